import { Global, Module, type OnApplicationShutdown } from '@nestjs/common';
import { FAKE_DINTERO_CLIENT, FakeDinteroServer } from 'nestjs-dintero-auth/fake-dintero';
import { LocalDintero } from '../dintero/local-dintero.js';
import { FAKE_PLATFORM_MERCHANTS } from '../platform/merchants.js';

/** What the fake signs callbacks with: the app checks them with it (Dintero's account signature secret). */
export const FAKE_CALLBACK_SECRET = 'fake-callback-secret-do-not-use';

/**
 * Development only: a fake Dintero started in this process on a free loopback port, so that the
 * app runs with no Dintero credentials. AppModule imports this module only then, and nothing else
 * imports the fake. It accepts and calls back this app's loopback `callback_url` (the fake's
 * test mode), signing each callback, and knows the clients of the platform's two merchants
 * (src/platform) besides its own.
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
      }),
    },
  ],
  exports: [LocalDintero],
})
export class FakeDinteroModule implements OnApplicationShutdown {
  constructor(private readonly fake: FakeDinteroServer) {}

  async onApplicationShutdown(): Promise<void> {
    await this.fake.stop();
  }
}
