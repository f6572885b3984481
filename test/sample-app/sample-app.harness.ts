import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import type { FakeDinteroServer } from '../../lib/testing/index.js';
import { AppModule } from '../../sample-app/src/app.module.js';
import { setUpApp } from '../../sample-app/src/app.setup.js';
import { DinteroTarget } from '../../sample-app/src/dintero/dintero-target.js';
import { OPERATION_POLL_DELAYS_MS } from '../../sample-app/src/payments/payments.service.js';
import { CaptureLogger } from '../support/capture-logger.js';
import { freePort } from '../support/free-port.js';

export interface SampleApp {
  readonly app: INestApplication;
  readonly fake: FakeDinteroServer;
  readonly logger: CaptureLogger;
  /** `http://127.0.0.1:{port}`: where the app listens, its PUBLIC_URL (return and callback URLs). */
  readonly origin: string;
}

/**
 * The sample app as main.ts sets it up, with no Dintero credentials: it runs its own fake, and
 * listens on a free loopback port so that the fake can call it back. After a 202 it re-reads
 * the transaction at once, three times at most: the fake, not a clock, decides when it is done.
 */
export async function startSampleApp(options: { pollDelaysMs?: readonly number[] } = {}): Promise<SampleApp> {
  for (const name of ['DINTERO_ACCOUNT_ID', 'DINTERO_CLIENT_ID', 'DINTERO_CLIENT_SECRET', 'DINTERO_PROFILE_ID']) delete process.env[name];
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  process.env.PUBLIC_URL = origin;
  const logger = new CaptureLogger();
  try {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
      .overrideProvider(OPERATION_POLL_DELAYS_MS)
      .useValue(options.pollDelaysMs ?? [0, 0, 0])
      .setLogger(logger)
      .compile();
    const app = setUpApp(moduleRef.createNestApplication<NestExpressApplication>({ logger }));
    await app.listen(port, '127.0.0.1');
    const fake = moduleRef.get(DinteroTarget).fake;
    if (!fake) throw new Error('expected the sample app to start its fake Dintero');
    return { app, fake, logger, origin };
  } finally {
    delete process.env.PUBLIC_URL;
  }
}

/** Plays the payer on the fake's hosted checkout: opens the page, presses a button, follows nothing. */
export async function payOnFakeCheckout(
  checkoutUrl: string,
  button: 'pay' | 'cancel',
  form: { product?: string; outcome?: string } = {},
): Promise<{ page: string; returnUrl: URL }> {
  const page = await (await fetch(checkoutUrl)).text();
  const action = new RegExp(`action="([^"]+/${button})"`).exec(page)?.[1];
  if (!action) throw new Error(`no ${button} form on the checkout page`);
  const answer = await fetch(new URL(action, checkoutUrl), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form as Record<string, string>).toString(),
  });
  if (answer.status !== 303) throw new Error(`expected a redirect to return_url, got ${answer.status}`);
  return { page, returnUrl: new URL(answer.headers.get('location')!) };
}
