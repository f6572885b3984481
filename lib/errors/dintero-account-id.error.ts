import { DinteroAuthError } from './dintero-auth.error.js';
import { DinteroErrorCode } from './dintero-error-code.js';

/** `DinteroAccounts.get()` or `forget()` was given something that is not a Dintero account id. */
export class DinteroAccountIdError extends DinteroAuthError {
  readonly code = DinteroErrorCode.ACCOUNT_ID;
  readonly retryable = false;

  /** The value is never a field, nor in the message unless short: it may be a secret given in the wrong place. */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
