import type { TokenGrant } from './access-token.js';

/** Where `DinteroTokenService` gets a token from: Dintero directly, or a store shared by replicas. */
export interface TokenSource {
  /**
   * One acquisition; rejects only with a `DinteroAuthError`. `unwanted` lists access tokens the
   * caller is replacing (the current one, one Dintero just refused): a source that shares tokens
   * must not hand one of those back. `refused` is the one Dintero refused, if any: a source that
   * shares tokens must keep every other sharer from taking it too.
   */
  requestToken(signal: AbortSignal, unwanted?: ReadonlySet<string>, refused?: string): Promise<TokenGrant>;
}

/** Injection token of the {@link TokenSource} in use. */
export const DINTERO_TOKEN_SOURCE = Symbol('DINTERO_TOKEN_SOURCE');
