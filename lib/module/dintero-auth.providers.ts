import type { Provider } from '@nestjs/common';
import { createDinteroClient } from '../client/dintero-client.js';
import { DinteroAuthInterceptor } from '../http/dintero-auth.interceptor.js';
import { DinteroHttpService } from '../http/dintero-http.service.js';
import { DinteroInboundVerifier } from '../inbound/dintero-inbound.verifier.js';
import type { DinteroAuthConfig } from '../options/dintero-auth.config.js';
import type { DinteroAuthModuleOptions } from '../options/dintero-auth-options.js';
import { normalizeOptions } from '../options/normalize-options.js';
import { type Clock, systemClock } from '../token/clock.js';
import { DinteroTokenService } from '../token/dintero-token.service.js';
import { type TokenEndpoint, TokenEndpointClient } from '../token/token-endpoint.client.js';
import { DinteroClientHost } from './dintero-client.host.js';
import { DINTERO_AUTH_MODULE_OPTIONS } from './dintero-auth.module-definition.js';
import { DINTERO_AUTH_CONFIG, DINTERO_CLIENT, DINTERO_CLOCK, DINTERO_TOKEN_ENDPOINT } from './injection-tokens.js';

/**
 * Every provider of one registration: the options validated once, the client built once by
 * `createDinteroClient`, and its services handed out. Tests replace `DINTERO_CLOCK` or
 * `DINTERO_TOKEN_ENDPOINT`; nothing else is meant to be overridden.
 */
export function createDinteroAuthProviders(): Provider[] {
  return [
    {
      provide: DINTERO_AUTH_CONFIG,
      useFactory: (options: DinteroAuthModuleOptions): DinteroAuthConfig => normalizeOptions(options),
      inject: [DINTERO_AUTH_MODULE_OPTIONS],
    },
    { provide: DINTERO_CLOCK, useValue: systemClock },
    {
      provide: DINTERO_TOKEN_ENDPOINT,
      useFactory: (config: DinteroAuthConfig, clock: Clock): TokenEndpoint => new TokenEndpointClient(config, clock),
      inject: [DINTERO_AUTH_CONFIG, DINTERO_CLOCK],
    },
    {
      // The store stays out of the config: it may hold a Redis password, and the config is safe to log.
      provide: DINTERO_CLIENT,
      useFactory: (config: DinteroAuthConfig, options: DinteroAuthModuleOptions, clock: Clock, endpoint: TokenEndpoint) =>
        new DinteroClientHost(createDinteroClient({ config, clock, endpoint, store: options.store }), options.store),
      inject: [DINTERO_AUTH_CONFIG, DINTERO_AUTH_MODULE_OPTIONS, DINTERO_CLOCK, DINTERO_TOKEN_ENDPOINT],
    },
    { provide: DinteroTokenService, useFactory: (host: DinteroClientHost) => host.client.tokens, inject: [DINTERO_CLIENT] },
    { provide: DinteroAuthInterceptor, useFactory: (host: DinteroClientHost) => host.client.interceptor, inject: [DINTERO_CLIENT] },
    { provide: DinteroHttpService, useFactory: (host: DinteroClientHost) => host.client.http, inject: [DINTERO_CLIENT] },
    // Found by the inbound guards wherever they are used (they look it up, not inject it).
    { provide: DinteroInboundVerifier, useFactory: (host: DinteroClientHost) => host.client.inbound, inject: [DINTERO_CLIENT] },
  ];
}
