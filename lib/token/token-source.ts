import type { TokenGrant } from './access-token.js';
import type { CredentialedEndpoint } from './credentialed-endpoint.js';

/** One acquisition asked of a {@link TokenSource}. */
export interface TokenRequest {
  readonly signal: AbortSignal;
  /** Access tokens being replaced (the current one, one Dintero refused): a sharing source must not hand one back. */
  readonly replacing: ReadonlySet<string>;
  /** The one Dintero refused, if any: a sharing source keeps every other sharer from taking it too. */
  readonly refused?: string | undefined;
}

/** A grant and where it came from. */
export interface SourcedToken {
  readonly grant: TokenGrant;
  /** Dintero, or the store shared with other replicas. */
  readonly source: 'endpoint' | 'store';
  /** When the request that obtained it was sent, on the wall clock, if another replica's (its life counts from then). */
  readonly obtainedAtWallMs?: number | undefined;
}

/** Where `DinteroTokenService` gets a token from: Dintero directly, or a store shared by replicas. */
export interface TokenSource {
  /** One acquisition; rejects only with a `DinteroAuthError`. */
  requestToken(request: TokenRequest): Promise<SourcedToken>;
  /** Drops the token this source shares, so that no sharer takes it again (an account forgotten). */
  forget(): Promise<void>;
  /** Lets go of what the source holds (a lease, a subscription); the store itself stays its creator's. */
  close(): Promise<void>;
}

/** Straight to Dintero: nothing shared, nothing to let go. */
export function directSource(endpoint: CredentialedEndpoint): TokenSource {
  return {
    requestToken: async ({ signal }) => ({ grant: await endpoint.requestToken(signal), source: 'endpoint' }),
    forget: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}
