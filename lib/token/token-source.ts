import type { TokenGrant } from './access-token.js';

/** Where `DinteroTokenService` gets a token from: Dintero directly, or a store shared by replicas. */
export interface TokenSource {
  /** One acquisition; rejects only with a `DinteroAuthError`. */
  requestToken(signal: AbortSignal): Promise<TokenGrant>;
}

/** Injection token of the {@link TokenSource} in use. */
export const DINTERO_TOKEN_SOURCE = Symbol('DINTERO_TOKEN_SOURCE');
