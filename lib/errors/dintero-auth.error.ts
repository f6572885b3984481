/**
 * The error taxonomy of this module. Every error carries a stable `code` for programs and a
 * message for people; none ever holds a client secret or an access token.
 */
import type { DinteroErrorCode } from './dintero-error-code.js';

/** Base class of every error this module throws or rejects with. */
export abstract class DinteroAuthError extends Error {
  /** Stable machine-readable code, one of {@link DinteroErrorCode}, e.g. `DINTERO_TOKEN_REQUEST`. */
  abstract readonly code: DinteroErrorCode;
  /** Whether the same request may succeed if tried again later. */
  abstract readonly retryable: boolean;

  /**
   * Every error of this module is built as `(message, options)`: the thrower writes the message,
   * `options` holds `cause` (only set when given) and the fields of the class.
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }
}
