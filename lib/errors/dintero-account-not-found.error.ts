import { DinteroAuthError } from './dintero-auth.error.js';
import { DinteroErrorCode } from './dintero-error-code.js';

/** The credentials resolver knows no such account (it gave `undefined`). Asked again on the next `get()`. */
export class DinteroAccountNotFoundError extends DinteroAuthError {
  readonly code = DinteroErrorCode.ACCOUNT_NOT_FOUND;
  readonly retryable = false;

  constructor(readonly accountId: string) {
    super(`No Dintero credentials for account ${accountId}: the resolver does not know it`);
  }
}
