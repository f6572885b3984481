import { DinteroAuthError } from './dintero-auth.error.js';
import { DinteroErrorCode } from './dintero-error-code.js';

/** The credentials resolver knows no such account (it gave `undefined`). Asked again on the next `get()`. */
export class DinteroAccountNotFoundError extends DinteroAuthError {
  readonly code = DinteroErrorCode.ACCOUNT_NOT_FOUND;
  readonly retryable = false;

  readonly accountId: string;

  constructor(message: string, options: { accountId: string; cause?: unknown }) {
    super(message, options);
    this.accountId = options.accountId;
  }
}
