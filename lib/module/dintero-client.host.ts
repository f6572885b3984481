import type { OnApplicationBootstrap, OnApplicationShutdown, OnModuleDestroy } from '@nestjs/common';
import type { DinteroClient } from '../client/dintero-client.js';
import type { DinteroTokenStore } from '../store/dintero-token.store.js';

/**
 * A registration's client in Nest's lifecycle, in Nest's order: prefetch at bootstrap, drain
 * when modules are destroyed (the HTTP server still serving), everything else at the end. The
 * store of the registration's options is the registration's: it is closed last.
 */
export class DinteroClientHost implements OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown {
  constructor(
    readonly client: DinteroClient,
    private readonly store: DinteroTokenStore | undefined,
  ) {}

  onApplicationBootstrap(): Promise<void> {
    return this.client.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.client.close('drain');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close('shutdown');
    await this.store?.close().catch(() => undefined);
  }
}
