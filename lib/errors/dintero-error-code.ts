/**
 * The `code` of every error this module throws, for programs that branch on it, e.g.
 * `error.code === DinteroErrorCode.TOKEN_REQUEST`. Each key is its code without `DINTERO_`; the
 * strings are stable.
 */
export const DinteroErrorCode = Object.freeze({
  AUTH_CONFIG: 'DINTERO_AUTH_CONFIG',
  TOKEN_REQUEST: 'DINTERO_TOKEN_REQUEST',
  TOKEN_NETWORK: 'DINTERO_TOKEN_NETWORK',
  TOKEN_RESPONSE: 'DINTERO_TOKEN_RESPONSE',
  TOKEN_UNAVAILABLE: 'DINTERO_TOKEN_UNAVAILABLE',
  ACCOUNT_ID: 'DINTERO_ACCOUNT_ID',
  ACCOUNT_NOT_FOUND: 'DINTERO_ACCOUNT_NOT_FOUND',
  ACCOUNT_RESOLVE: 'DINTERO_ACCOUNT_RESOLVE',
  SIGNATURE: 'DINTERO_SIGNATURE',
  CREDENTIALS: 'DINTERO_CREDENTIALS',
} as const);

/** One of the {@link DinteroErrorCode} strings. */
export type DinteroErrorCode = (typeof DinteroErrorCode)[keyof typeof DinteroErrorCode];
