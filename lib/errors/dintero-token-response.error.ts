import { DinteroAuthError } from './dintero-auth.error.js';
import { DinteroErrorCode } from './dintero-error-code.js';

/** The token endpoint answered 200 with something that is not a usable token. */
export class DinteroTokenResponseError extends DinteroAuthError {
  readonly code = DinteroErrorCode.TOKEN_RESPONSE;
  // A proxy's error page or a half-sent body can be transient; backoff bounds the cost if not.
  readonly retryable = true;

  /** The message usually reads `Dintero token response is unusable: <what is wrong>`. */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
