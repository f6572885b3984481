import { type DynamicModule, Module } from '@nestjs/common';
import { DinteroAuthModule } from '../module/dintero-auth.module.js';
import type { DinteroAuthModuleRegistration } from '../module/dintero-auth.module-definition.js';
import { DINTERO_TOKEN_ENDPOINT } from '../module/injection-tokens.js';
import type { TokenEndpoint } from '../token/token-endpoint.client.js';

/** Where test tokens come from: one fixed string, or a function called for each token request. */
export type TestTokenSource = string | (() => string | Promise<string>);

/** Options of {@link DinteroAuthTestingModule.withToken}. */
export interface DinteroAuthTestingOptions extends Partial<DinteroAuthModuleRegistration> {
  /** Lifetime of each test token, in seconds. Default 3600. */
  tokenLifetimeSeconds?: number;
}

/**
 * `DinteroAuthModule` for unit tests, with tokens from your script instead of Dintero: the
 * real `DinteroTokenService`, `DinteroHttpService` and interceptor, and no token request ever
 * leaving the process.
 *
 * ```ts
 * Test.createTestingModule({ imports: [DinteroAuthTestingModule.withToken('test-token'), PaymentsModule] })
 * ```
 *
 * Global like the real module; `name` stands in for a named registration.
 */
@Module({})
export class DinteroAuthTestingModule {
  /** The module with tokens from `source`; `options` as for `forRoot()` (`name`, `isGlobal` too), all optional. */
  static withToken(source: TestTokenSource, options: DinteroAuthTestingOptions = {}): DynamicModule {
    const { tokenLifetimeSeconds = 3600, ...overrides } = options;
    const real = DinteroAuthModule.forRoot({
      accountId: 'T00000000',
      clientId: 'test-client',
      clientSecret: 'test-secret',
      ...overrides,
    });
    const scripted: TokenEndpoint = {
      requestToken: async () => ({
        accessToken: typeof source === 'string' ? source : await source(),
        expiresInSeconds: tokenLifetimeSeconds,
      }),
    };
    return {
      ...real,
      // Registered after the module's own provider of the same token, so it replaces it.
      providers: [...(real.providers ?? []), { provide: DINTERO_TOKEN_ENDPOINT, useValue: scripted }],
    };
  }
}
