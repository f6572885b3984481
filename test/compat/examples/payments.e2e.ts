import { Test } from '@nestjs/testing';
import { DinteroAuthModule } from 'nestjs-dintero-auth';
import { FAKE_DINTERO_CLIENT, FakeDinteroServer } from 'nestjs-dintero-auth/fake-dintero';
import { PaymentsModule } from './payments.module.js';
import { PaymentsService } from './payments.service.js';

/** End to end, over real HTTP, against a fake Dintero that can be told to fail. */
export async function paymentsEndToEnd(): Promise<void> {
  const fake = await new FakeDinteroServer({ tokenLifetimeSeconds: 60 }).start();
  const moduleRef = await Test.createTestingModule({
    imports: [DinteroAuthModule.forRoot({ ...FAKE_DINTERO_CLIENT, baseUrl: fake.baseUrl, allowInsecureLoopback: true }), PaymentsModule],
  }).compile();
  await moduleRef.init();
  const payments = moduleRef.get(PaymentsService);

  fake.injectTokenFault({ type: 'status', status: 503 }, 2); // the first two token requests fail...
  const session = await payments.createSession(34_700, 'NOK', 'order-1'); // ...and this call waits for the third
  const transaction = fake.checkout.authorize(session.id); // the payer pays
  await payments.capture(transaction.id, 34_700); // the same token, held in memory
  if (fake.tokenRequestCount !== 3) throw new Error(`expected 3 token requests, saw ${fake.tokenRequestCount}`);

  await moduleRef.close();
  await fake.stop();
}
