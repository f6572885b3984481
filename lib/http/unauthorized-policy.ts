/**
 * How young a token may be and still be blamed for a 401. A token Dintero refuses within
 * seconds of issuing it is not stale: fetching another would not help, and an API that
 * always answers 401 would otherwise cost a token request per call.
 */
export const MIN_TOKEN_AGE_FOR_401_MS = 5_000;

/** What we know about a 401 once it arrived. */
export interface UnauthorizedFacts {
  /** Whether the origin that answered (after redirects) is an allowed one. */
  readonly answeredByAllowedOrigin: boolean;
  /** Whether the request may be sent again (not resent before, a body that can be replayed). */
  readonly canResend: boolean;
  /** Whether the token the request carried is still the current one. */
  readonly sentIsCurrent: boolean;
  /** Age of the token the request carried, in milliseconds. */
  readonly sentAgeMs: number;
}

/**
 * - `return`: the caller gets the 401 as it is;
 * - `resend`: the token was already replaced, send once more with the current one;
 * - `invalidate`: drop the token, send once more with its successor.
 */
export type UnauthorizedVerdict = 'return' | 'resend' | 'invalidate';

/**
 * Decides what a 401 on a request that carried our token means. At most one token request per
 * {@link MIN_TOKEN_AGE_FOR_401_MS} follows, whatever the call rate: a fresh successor is too
 * young to be blamed in turn.
 */
export function judgeUnauthorized(facts: UnauthorizedFacts, minAgeMs = MIN_TOKEN_AGE_FOR_401_MS): UnauthorizedVerdict {
  if (!facts.answeredByAllowedOrigin || !facts.canResend) return 'return';
  if (!facts.sentIsCurrent) return 'resend';
  return facts.sentAgeMs >= minAgeMs ? 'invalidate' : 'return';
}
