import { DinteroAuthError } from './dintero-auth.error.js';
import { DinteroErrorCode } from './dintero-error-code.js';

/** Why credentials could not be read: the provider threw, did not answer in time, or gave invalid ones. */
export type DinteroCredentialsFailure = 'failed' | 'timeout' | 'invalid';

/**
 * The `credentials` provider could not give usable credentials. The last good ones stay in use;
 * without any yet, the token request fails with this error and is tried again after the usual
 * backoff. `cause` holds what the provider threw; the message never holds a secret.
 */
export class DinteroCredentialsError extends DinteroAuthError {
  readonly code = DinteroErrorCode.CREDENTIALS;
  readonly retryable = true;
  readonly failure: DinteroCredentialsFailure;

  constructor(message: string, options: { failure: DinteroCredentialsFailure; cause?: unknown }) {
    super(message, options);
    this.failure = options.failure;
  }
}
