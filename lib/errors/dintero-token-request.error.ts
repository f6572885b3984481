import { DinteroAuthError } from './dintero-auth.error.js';
import { DinteroErrorCode } from './dintero-error-code.js';

/** Dintero's token endpoint answered with an error status. */
export class DinteroTokenRequestError extends DinteroAuthError {
  readonly code = DinteroErrorCode.TOKEN_REQUEST;
  /** HTTP status of the answer. */
  readonly status: number;
  /** `error.code` from Dintero's error body, when present. */
  readonly dinteroCode: string | undefined;
  /** `error.message` from Dintero's error body, when present. */
  readonly dinteroMessage: string | undefined;
  /** The server's `Retry-After`, in milliseconds, when it sent one. */
  readonly retryAfterMs: number | undefined;
  /** 429, 408 and 5xx may pass; 400, 401, 403 and other 4xx need a fix on our side. */
  readonly retryable: boolean;

  /** `retryable` follows from `status`. */
  constructor(
    message: string,
    options: {
      status: number;
      dinteroCode?: string | undefined;
      dinteroMessage?: string | undefined;
      retryAfterMs?: number | undefined;
      cause?: unknown;
    },
  ) {
    super(message, options);
    this.status = options.status;
    this.dinteroCode = options.dinteroCode;
    this.dinteroMessage = options.dinteroMessage;
    this.retryAfterMs = options.retryAfterMs;
    this.retryable = isRetryableStatus(options.status);
  }
}

/** Statuses worth trying again: the server is busy, overloaded or failing, not refusing us. */
function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * The server's `Retry-After`, in milliseconds, when `error` is a {@link DinteroTokenRequestError}
 * that carried one; `undefined` for anything else. It does not look into `cause`.
 */
export function retryAfterMsOf(error: unknown): number | undefined {
  return error instanceof DinteroTokenRequestError ? error.retryAfterMs : undefined;
}
