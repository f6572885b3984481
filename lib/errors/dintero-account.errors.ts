import { accountIdProblem } from '../options/account-id.js';
import { DinteroAuthError } from './dintero-auth.errors.js';

/** `DinteroAccounts.get()` or `forget()` was given something that is not a Dintero account id. */
export class DinteroAccountIdError extends DinteroAuthError {
  readonly code = 'DINTERO_ACCOUNT_ID';
  readonly retryable = false;

  constructor(value: unknown) {
    super(accountIdProblem(value));
  }
}

/** The credentials resolver knows no such account (it gave `undefined`). Asked again on the next `get()`. */
export class DinteroAccountNotFoundError extends DinteroAuthError {
  readonly code = 'DINTERO_ACCOUNT_NOT_FOUND';
  readonly retryable = false;

  constructor(readonly accountId: string) {
    super(`No Dintero credentials for account ${accountId}: the resolver does not know it`);
  }
}

/** Why the credentials of an account could not be resolved. */
export type DinteroAccountResolveFailure = 'failed' | 'timeout' | 'shutdown';

/**
 * The credentials resolver threw, or did not answer within `resolveTimeoutMs`. Nothing is
 * cached: the next `get()` of the account asks the resolver again. `cause` holds what the
 * resolver threw.
 */
export class DinteroAccountResolveError extends DinteroAuthError {
  readonly code = 'DINTERO_ACCOUNT_RESOLVE';
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
