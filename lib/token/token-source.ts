import type { TokenGrant } from './access-token.js';

/** Where `DinteroTokenService` gets a token from: Dintero directly, or a store shared by replicas. */
export interface TokenSource {
  /**
   * One acquisition; rejects only with a `DinteroAuthError`. `unwanted` lists access tokens the
   * caller is replacing (the current one, one Dintero just refused): a source that shares tokens
   * must not hand one of those back.
   */
  requestToken(signal: AbortSignal, unwanted?: ReadonlySet<string>): Promise<TokenGrant>;
}

/** Injection token of the {@link TokenSource} in use. */
export const DINTERO_TOKEN_SOURCE = Symbol('DINTERO_TOKEN_SOURCE');
