import { DinteroAuthError } from './dintero-auth.error.js';
import { DinteroErrorCode } from './dintero-error-code.js';

/** Why the credentials of an account could not be resolved. */
export type DinteroAccountResolveFailure = 'failed' | 'timeout' | 'shutdown';

/**
 * The credentials resolver threw, or did not answer within `resolveTimeoutMs`. Nothing is
 * cached: the next `get()` of the account asks the resolver again. `cause` holds what the
 * resolver threw.
 */
export class DinteroAccountResolveError extends DinteroAuthError {
  readonly code = DinteroErrorCode.ACCOUNT_RESOLVE;
  readonly retryable: boolean;

  constructor(
    readonly accountId: string,
    readonly failure: DinteroAccountResolveFailure,
    options?: { cause?: unknown; timeoutMs?: number },
  ) {
    const why = {
      failed: 'the resolver failed',
      timeout: `the resolver did not answer within ${options?.timeoutMs ?? '?'} ms`,
      shutdown: 'the module is shutting down',
    }[failure];
    super(
      `Could not resolve the Dintero credentials of account ${accountId}: ${why}`,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.retryable = failure !== 'shutdown';
  }
}
