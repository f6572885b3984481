import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import type { FakeDinteroServer } from '../../lib/testing/index.js';
import { AppModule } from '../../sample-app/src/app.module.js';
import { setUpApp } from '../../sample-app/src/app.setup.js';
import { DinteroTarget } from '../../sample-app/src/dintero/dintero-target.js';
import { CaptureLogger } from '../support/capture-logger.js';

export interface SampleApp {
  readonly app: INestApplication;
  readonly fake: FakeDinteroServer;
  readonly logger: CaptureLogger;
}

/** The sample app as main.ts sets it up, with no Dintero credentials: it runs its own fake. */
export async function startSampleApp(): Promise<SampleApp> {
  for (const name of ['DINTERO_ACCOUNT_ID', 'DINTERO_CLIENT_ID', 'DINTERO_CLIENT_SECRET']) delete process.env[name];
  const logger = new CaptureLogger();
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).setLogger(logger).compile();
  const app = setUpApp(moduleRef.createNestApplication<NestExpressApplication>({ logger }));
  await app.init();
  const fake = moduleRef.get(DinteroTarget).fake;
  if (!fake) throw new Error('expected the sample app to start its fake Dintero');
  return { app, fake, logger };
}

/** Plays the payer on the fake's hosted checkout: opens the page, presses a button, follows nothing. */
export async function payOnFakeCheckout(checkoutUrl: string, button: 'pay' | 'cancel'): Promise<{ page: string; returnUrl: URL }> {
  const page = await (await fetch(checkoutUrl)).text();
  const action = new RegExp(`action="([^"]+/${button})"`).exec(page)?.[1];
  if (!action) throw new Error(`no ${button} form on the checkout page`);
  const answer = await fetch(new URL(action, checkoutUrl), { method: 'POST', redirect: 'manual' });
  if (answer.status !== 303) throw new Error(`expected a redirect to return_url, got ${answer.status}`);
  return { page, returnUrl: new URL(answer.headers.get('location')!) };
}
