import { type DynamicModule, Module } from '@nestjs/common';
import { DINTERO_AUTH_CONFIG, DINTERO_CLOCK } from '../options/dintero-auth.constants.js';
import {
  DINTERO_AUTH_MODULE_OPTIONS,
  DinteroAuthConfigurableModule,
  type DinteroAuthModuleAsyncOptions,
  type DinteroAuthModuleRegistration,
} from './dintero-auth.module-definition.js';
import type { DinteroAuthModuleOptions } from '../options/dintero-auth-options.js';
import type { DinteroAuthConfig } from '../options/dintero-auth.config.js';
import { normalizeOptions } from '../options/normalize-options.js';
import { createDinteroAxios } from '../http/dintero-axios.factory.js';
import { DinteroAuthInterceptor } from '../http/dintero-auth.interceptor.js';
import { DinteroHttpService } from '../http/dintero-http.service.js';
import { SharedTokenSource } from '../store/shared-token.source.js';
import { systemClock } from '../token/clock.js';
import { TokenEventBus } from '../token/token-event-bus.js';
import { DINTERO_TOKEN_SOURCE, type TokenSource } from '../token/token-source.js';
import { DinteroTokenService } from '../token/dintero-token.service.js';
import { TokenEndpointClient } from '../token/token-endpoint.client.js';

/**
 * Dintero access tokens for a NestJS application, and `DinteroHttpService` to call Dintero with them.
 *
 * `DinteroAuthModule.forRoot({ accountId, clientId, clientSecret })`, or `forRootAsync()` with
 * `useFactory` / `useClass` / `useExisting`, `imports` and `inject`. Global unless `isGlobal: false`;
 * `name` tells several accounts apart. Options are validated once, while the application is
 * created; invalid ones fail start-up with a `DinteroAuthConfigError` that names every bad field.
 */
@Module({
  providers: [
    {
      provide: DINTERO_AUTH_CONFIG,
      useFactory: (options: DinteroAuthModuleOptions): DinteroAuthConfig => normalizeOptions(options),
      inject: [DINTERO_AUTH_MODULE_OPTIONS],
    },
    { provide: DINTERO_CLOCK, useValue: systemClock },
    {
      provide: TokenEndpointClient,
      useFactory: (config: DinteroAuthConfig) => new TokenEndpointClient(config),
      inject: [DINTERO_AUTH_CONFIG],
    },
    { provide: TokenEventBus, useFactory: () => new TokenEventBus() },
    {
      // Straight to Dintero, or through the store shared with other replicas. The store stays
      // out of the config object: it may hold a Redis password, and the config is safe to log.
      provide: DINTERO_TOKEN_SOURCE,
      useFactory: (
        config: DinteroAuthConfig,
        options: DinteroAuthModuleOptions,
        endpoint: TokenEndpointClient,
        bus: TokenEventBus,
      ): TokenSource => (options.store ? new SharedTokenSource(config, options.store, endpoint, bus) : endpoint),
      inject: [DINTERO_AUTH_CONFIG, DINTERO_AUTH_MODULE_OPTIONS, TokenEndpointClient, TokenEventBus],
    },
    DinteroTokenService,
    DinteroAuthInterceptor,
    {
      // A factory over an instance of our own: re-exporting HttpModule would hand every
      // importer a shared HttpService with our interceptor on it.
      provide: DinteroHttpService,
      useFactory: (config: DinteroAuthConfig, interceptor: DinteroAuthInterceptor) => {
        const instance = createDinteroAxios(config, interceptor.ownAgents);
        interceptor.protect(instance, { deadlineMs: config.apiTimeoutMs });
        return new DinteroHttpService(instance);
      },
      inject: [DINTERO_AUTH_CONFIG, DinteroAuthInterceptor],
    },
  ],
  // Exports are set per registration (by class, or by name): see dintero-auth.module-definition.ts.
})
export class DinteroAuthModule extends DinteroAuthConfigurableModule {
  /** The module with these options (and `isGlobal`, `name`). */
  static override forRoot(options: DinteroAuthModuleRegistration): DynamicModule {
    return super.forRoot(options);
  }

  /** The module with options made by a factory, a class or an existing provider. */
  static override forRootAsync(options: DinteroAuthModuleAsyncOptions): DynamicModule {
    return super.forRootAsync(options);
  }
}
