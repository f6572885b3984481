import { DinteroAuthError } from './dintero-auth.error.js';
import { DinteroErrorCode } from './dintero-error-code.js';

/** `DinteroAccounts.get()` or `forget()` was given something that is not a Dintero account id. */
export class DinteroAccountIdError extends DinteroAuthError {
  readonly code = DinteroErrorCode.ACCOUNT_ID;
  readonly retryable = false;

  /** The value is never a field: it may be a secret. {@link DinteroAccountIdError.fromValue} writes the usual message. */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }

  /** The error for `value`, shown only when it is a short string (a long one may be a secret passed in the wrong place). */
  static fromValue(value: unknown): DinteroAccountIdError {
    const shown =
      typeof value === 'string' && value.length <= 12
        ? JSON.stringify(value)
        : `a ${typeof value === 'string' ? `${value.length}-character string` : typeof value}`;
    return new DinteroAccountIdError(`${shown} is not a Dintero account id: T (test) or P (production), then 8 digits, or 3 for a partner`);
  }
}
