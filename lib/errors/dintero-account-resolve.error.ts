import { DinteroAuthError } from './dintero-auth.error.js';
import { DinteroErrorCode } from './dintero-error-code.js';

/**
 * Why the credentials of an account could not be resolved: the resolver `failed` or did not
 * answer in time (`timeout`), the module is shutting down, or `busy`: `maxAccounts` accounts are
 * being opened already, and the resolver was not asked.
 */
export type DinteroAccountResolveFailure = 'failed' | 'timeout' | 'shutdown' | 'busy';

/**
 * The credentials resolver threw, or did not answer within `resolveTimeoutMs`. Nothing is
 * cached: the next `get()` of the account asks the resolver again. `cause` holds what the
 * resolver threw.
 */
export class DinteroAccountResolveError extends DinteroAuthError {
  readonly code = DinteroErrorCode.ACCOUNT_RESOLVE;
  readonly retryable: boolean;
  readonly accountId: string;
  readonly failure: DinteroAccountResolveFailure;

  /** `retryable` follows from `failure`: all but `shutdown`. */
  constructor(message: string, options: { accountId: string; failure: DinteroAccountResolveFailure; cause?: unknown }) {
    super(message, options);
    this.accountId = options.accountId;
    this.failure = options.failure;
    this.retryable = options.failure !== 'shutdown';
  }
}
