import { dinteroError } from './fake-error-body.js';
import type { FakeTokenClaims } from '../testing/fake-jwt.js';
import type { FakeAnswer } from './fake-checkout-api.js';

/** Whom a request's bearer token speaks for. */
export interface FakeBearer {
  readonly claims: FakeTokenClaims;
  readonly accountId: string;
}

/**
 * The account of a request's `Authorization: Bearer` token, as Dintero checks it: a token this
 * fake issued, unrevoked and unexpired (else 401), with an account audience (else 403).
 */
export function bearerAccount(
  authorization: string | undefined,
  verifyToken: (accessToken: string) => FakeTokenClaims | undefined,
): FakeBearer | { readonly refused: FakeAnswer } {
  const match = /^Bearer (\S+)$/.exec(authorization ?? '');
  const claims = match ? verifyToken(match[1]!) : undefined;
  if (!claims) return { refused: [401, dinteroError('A valid, unexpired bearer token is required')] };
  const accountId = /\/accounts\/([PT]\d+)$/.exec(claims.aud)?.[1];
  if (!accountId) return { refused: [403, dinteroError('The token has no account audience')] };
  return { claims, accountId };
}
