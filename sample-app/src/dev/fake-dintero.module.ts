import { Global, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:http';
import { FAKE_DINTERO_CLIENT, FakeDinteroServer } from 'nestjs-dintero-auth/fake-dintero';
import { LocalDintero } from '../dintero/local-dintero.js';
import { publicUrl } from '../dintero/public-url.js';
import { FAKE_PLATFORM_MERCHANTS } from '../platform/merchants.js';

/** What the fake signs callbacks with: the app checks them with it (Dintero's account signature secret). */
export const FAKE_CALLBACK_SECRET = 'fake-callback-secret-do-not-use';
/** The `config.secret` of the fake's webhook subscription to this app. */
export const FAKE_WEBHOOK_SECRET = 'fake-webhook-secret-do-not-use';

/**
 * Development only: a fake Dintero started in this process on a free loopback port, so that the
 * app runs with no Dintero credentials. AppModule imports this module only then, and nothing else
 * imports the fake. It accepts and calls back this app's loopback `callback_url` (the fake's
 * test mode), signing each callback, and knows the clients of the platform's two merchants
 * (src/platform) besides its own. Once the app listens, it subscribes the app's webhook route, as
 * an operator would at Dintero.
 */
// Global: DinteroTargetModule finds LocalDintero here without importing this module.
@Global()
@Module({
  providers: [
    {
      provide: FakeDinteroServer,
      useFactory: () => {
        const merchants = FAKE_PLATFORM_MERCHANTS.map(({ accountId, clientId, clientSecret }) => ({ accountId, clientId, clientSecret }));
        return new FakeDinteroServer({
          clients: [FAKE_DINTERO_CLIENT, ...merchants],
          allowLoopbackCallbacks: true,
          callbackSignatureSecret: FAKE_CALLBACK_SECRET,
        }).start();
      },
    },
    {
      provide: LocalDintero,
      inject: [FakeDinteroServer],
      useFactory: (fake: FakeDinteroServer): LocalDintero => ({
        baseUrl: fake.baseUrl,
        client: FAKE_DINTERO_CLIENT,
        callbackSecret: FAKE_CALLBACK_SECRET,
        webhookSecret: FAKE_WEBHOOK_SECRET,
      }),
    },
  ],
  exports: [LocalDintero],
})
export class FakeDinteroModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly fake: FakeDinteroServer,
    private readonly adapterHost: HttpAdapterHost,
    private readonly config: ConfigService,
  ) {}

  onApplicationBootstrap(): void {
    // No HTTP server (an application context): nothing to deliver to.
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (!server) return;
    const url = `${publicUrl((name) => this.config.get<string>(name))}/payments/webhook`;
    // Subscribed once the app listens: the fake pings a new subscription at once.
    const subscribe = () =>
      this.fake.webhooks.subscribe(FAKE_DINTERO_CLIENT.accountId, {
        config: { url, secret: FAKE_WEBHOOK_SECRET },
        events: ['checkout_transaction'],
      });
    if (server.listening) subscribe();
    else server.once('listening', subscribe);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.fake.stop();
  }
}
