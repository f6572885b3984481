import { DinteroAuthError } from './dintero-auth.error.js';
import { DinteroErrorCode } from './dintero-error-code.js';

/** Why a caller got no token. */
export type DinteroTokenUnavailableReason = 'timeout' | 'backoff' | 'shutdown';

/** Where a caller waited, for a message that says what to check. */
export interface DinteroTokenWaitContext {
  /** The token URL asked. */
  readonly tokenUrl: string;
  /** How long the caller could wait (`acquireTimeoutMs`). */
  readonly acquireTimeoutMs: number;
}

/**
 * No usable token could be handed to a caller in time. `cause` holds the last failure, if any;
 * attempts may go on in the background.
 */
export class DinteroTokenUnavailableError extends DinteroAuthError {
  readonly code = DinteroErrorCode.TOKEN_UNAVAILABLE;
  readonly reason: DinteroTokenUnavailableReason;
  readonly retryable: boolean;

  constructor(reason: DinteroTokenUnavailableReason, cause?: DinteroAuthError, context?: DinteroTokenWaitContext) {
    const from = context ? ` from ${context.tokenUrl}` : '';
    const why = {
      timeout: context
        ? `no token arrived${from} within acquireTimeoutMs (${context.acquireTimeoutMs} ms)`
        : 'no token arrived within the acquire timeout',
      backoff: `the token endpoint${context ? ` (${context.tokenUrl})` : ''} is failing and the next attempt is later than the caller can wait`,
      shutdown: 'the module is shutting down',
    }[reason];
    const last = cause
      ? ` (last error: ${cause.message})`
      : reason === 'timeout' && context
        ? '; the request is still unanswered: check that the endpoint is reachable and answers, or raise requestTimeoutMs'
        : '';
    super(`No Dintero access token available: ${why}${last}`, cause ? { cause } : undefined);
    this.reason = reason;
    this.retryable = reason !== 'shutdown';
  }
}
