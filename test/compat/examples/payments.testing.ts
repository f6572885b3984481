import { Test, type TestingModule } from '@nestjs/testing';
import { DinteroAuthTestingModule } from 'nestjs-dintero-auth/testing';
import { PaymentsModule } from './payments.module.js';

/** In a test's `beforeAll`: your own module, the real Dintero client, tokens from the test. */
export async function paymentsTestingModule(): Promise<TestingModule> {
  const moduleRef = await Test.createTestingModule({
    imports: [DinteroAuthTestingModule.withToken('test-token'), PaymentsModule],
  }).compile();
  await moduleRef.init(); // compile() alone runs no lifecycle hooks
  return moduleRef;
}
