import { DinteroAuthError } from './dintero-auth.error.js';
import { DinteroErrorCode } from './dintero-error-code.js';

/** `DinteroAccounts.get()` or `forget()` was given something that is not a Dintero account id. */
export class DinteroAccountIdError extends DinteroAuthError {
  readonly code = DinteroErrorCode.ACCOUNT_ID;
  readonly retryable = false;

  constructor(value: unknown) {
    // A long value may be a secret passed in the wrong place: show short strings only.
    const shown =
      typeof value === 'string' && value.length <= 12
        ? JSON.stringify(value)
        : `a ${typeof value === 'string' ? `${value.length}-character string` : typeof value}`;
    super(`${shown} is not a Dintero account id: T (test) or P (production), then 8 digits, or 3 for a partner`);
  }
}
