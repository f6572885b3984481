import type { DinteroAccountIdError } from './dintero-account-id.error.js';
import type { DinteroAccountNotFoundError } from './dintero-account-not-found.error.js';
import type { DinteroAccountResolveError } from './dintero-account-resolve.error.js';
import type { DinteroCredentialsError } from './dintero-credentials.error.js';
import type { DinteroAuthConfigError } from './dintero-auth-config.error.js';
import { DinteroAuthError } from './dintero-auth.error.js';
import type { DinteroErrorCode } from './dintero-error-code.js';
import type { DinteroSignatureError } from './dintero-signature.error.js';
import type { DinteroTokenNetworkError } from './dintero-token-network.error.js';
import type { DinteroTokenRequestError } from './dintero-token-request.error.js';
import type { DinteroTokenResponseError } from './dintero-token-response.error.js';
import type { DinteroTokenUnavailableError } from './dintero-token-unavailable.error.js';

/** The error class behind each {@link DinteroErrorCode}. */
export interface DinteroAuthErrorByCode {
  DINTERO_AUTH_CONFIG: DinteroAuthConfigError;
  DINTERO_TOKEN_REQUEST: DinteroTokenRequestError;
  DINTERO_TOKEN_NETWORK: DinteroTokenNetworkError;
  DINTERO_TOKEN_RESPONSE: DinteroTokenResponseError;
  DINTERO_TOKEN_UNAVAILABLE: DinteroTokenUnavailableError;
  DINTERO_ACCOUNT_ID: DinteroAccountIdError;
  DINTERO_ACCOUNT_NOT_FOUND: DinteroAccountNotFoundError;
  DINTERO_ACCOUNT_RESOLVE: DinteroAccountResolveError;
  DINTERO_SIGNATURE: DinteroSignatureError;
  DINTERO_CREDENTIALS: DinteroCredentialsError;
}

/** Whether `value` is an error of this module (an instance of {@link DinteroAuthError}). */
export function isDinteroAuthError(value: unknown): value is DinteroAuthError;
/**
 * Whether `value` is the error of this module with that code, typed as its class:
 * `isDinteroAuthError(error, DinteroErrorCode.TOKEN_REQUEST)` gives `error.status`.
 */
export function isDinteroAuthError<C extends DinteroErrorCode>(value: unknown, code: C): value is DinteroAuthErrorByCode[C];
export function isDinteroAuthError(value: unknown, code?: DinteroErrorCode): value is DinteroAuthError {
  return value instanceof DinteroAuthError && (code === undefined || value.code === code);
}
