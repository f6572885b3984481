import { DinteroAuthError } from './dintero-auth.error.js';
import { DinteroErrorCode } from './dintero-error-code.js';

/**
 * Why a callback or webhook was refused: no signature (`missing`), one that cannot be read
 * (`malformed`), signed too long ago (`expired`) or too far ahead (`future`), signed with another
 * secret or over another request (`mismatch`), seen before (`replayed`), or nothing to check it
 * with (`unconfigured`: no secret, or no raw body for a webhook).
 */
export type DinteroSignatureFailure = 'missing' | 'malformed' | 'expired' | 'future' | 'mismatch' | 'replayed' | 'unconfigured';

/**
 * A request that claims to come from Dintero (a callback or a webhook delivery) did not prove it.
 * The message says why in general terms only: never the secret, nor the signature expected.
 */
export class DinteroSignatureError extends DinteroAuthError {
  readonly code = DinteroErrorCode.SIGNATURE;
  readonly retryable = false;
  readonly reason: DinteroSignatureFailure;

  constructor(message: string, options: { reason: DinteroSignatureFailure; cause?: unknown }) {
    super(message, options);
    this.reason = options.reason;
  }
}
