import { Test, type TestingModule } from '@nestjs/testing';
import { afterAll, beforeAll, describe } from 'vitest';
import { FAKE_DINTERO_CLIENT, FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import { DinteroAuthModule, DinteroHttpService } from '../../lib/index.js';
import { type SampleApp, startSampleApp } from '../sample-app/sample-app.harness.js';
import { checkoutContract, type ContractTarget } from './checkout.contract.js';

let fake: FakeDinteroServer;
let moduleRef: TestingModule;
let target: ContractTarget;
let sample: SampleApp;

beforeAll(async () => {
  fake = await new FakeDinteroServer().start();
  moduleRef = await Test.createTestingModule({
    imports: [DinteroAuthModule.forRoot({ ...FAKE_DINTERO_CLIENT, baseUrl: fake.baseUrl, allowInsecureLoopback: true })],
  }).compile();
  await moduleRef.init();
  // The sample app runs its own fake: the same code, another instance.
  sample = await startSampleApp();
  target = {
    http: moduleRef.get(DinteroHttpService),
    baseUrl: fake.baseUrl,
    accountId: FAKE_DINTERO_CLIENT.accountId,
    profileId: 'default',
    sample: sample.server,
  };
});
afterAll(async () => {
  await sample?.app.close();
  await moduleRef?.close();
  await fake?.stop();
});

describe('the Checkout API contract, against the fake', () => checkoutContract(() => target));
