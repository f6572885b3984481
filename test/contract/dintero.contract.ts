import { Test, type TestingModule } from '@nestjs/testing';
import { afterAll, beforeAll, describe } from 'vitest';
import { DinteroAuthModule, DinteroHttpService } from '../../lib/index.js';
import { bootSampleApp } from '../sample-app/sample-app.harness.js';
import { checkoutContract, type ContractTarget } from './checkout.contract.js';

// `npm run test:contract`: the fake's assertions against Dintero's test environment.
const env = {
  accountId: process.env.DINTERO_ACCOUNT_ID ?? '',
  clientId: process.env.DINTERO_CLIENT_ID ?? '',
  clientSecret: process.env.DINTERO_CLIENT_SECRET ?? '',
  profileId: process.env.DINTERO_PROFILE_ID ?? '',
  baseUrl: process.env.DINTERO_BASE_URL ?? 'https://checkout.dintero.com/v1',
};
const missing = ['DINTERO_ACCOUNT_ID', 'DINTERO_CLIENT_ID', 'DINTERO_CLIENT_SECRET', 'DINTERO_PROFILE_ID'].filter(
  (name) => !process.env[name],
);
const reason =
  missing.length > 0
    ? `set ${missing.join(', ')} (a T... test account) to run it`
    : /^T\d{8}$/.test(env.accountId)
      ? undefined
      : `DINTERO_ACCOUNT_ID must be a test account (T followed by 8 digits): the suite creates sessions`;
if (reason) console.warn(`SKIPPED, PROVED NOTHING: the contract suite against Dintero's test environment ran no check: ${reason}`);

let moduleRef: TestingModule;
let target: ContractTarget;
let sample: Awaited<ReturnType<typeof bootSampleApp>> | undefined;

describe.skipIf(reason !== undefined)("the Checkout API contract, against Dintero's test environment", () => {
  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [
        DinteroAuthModule.forRoot({
          accountId: env.accountId,
          clientId: env.clientId,
          clientSecret: env.clientSecret,
          baseUrl: env.baseUrl,
          systemName: 'nestjs-dintero-auth-contract',
        }),
      ],
    }).compile();
    await moduleRef.init();
    // The sample app reads the same DINTERO_* variables: it talks to the test environment too.
    sample = await bootSampleApp();
    target = {
      http: moduleRef.get(DinteroHttpService),
      baseUrl: env.baseUrl,
      accountId: env.accountId,
      profileId: env.profileId,
      sample: sample.server,
    };
  });
  afterAll(async () => {
    await sample?.app.close();
    await moduleRef?.close();
  });

  checkoutContract(() => target);
});
