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

  /** {@link DinteroTokenUnavailableError.fromReason} writes the usual message. */
  constructor(message: string, options: { reason: DinteroTokenUnavailableReason; cause?: DinteroAuthError | undefined }) {
    super(message, options);
    this.reason = options.reason;
    this.retryable = options.reason !== 'shutdown';
  }

  /**
   * The error for `reason`, saying where the caller waited (`context`) and the last failure
   * (`cause`): `No Dintero access token available: the module is shutting down`.
   */
  static fromReason(
    reason: DinteroTokenUnavailableReason,
    options: { cause?: DinteroAuthError | undefined; context?: DinteroTokenWaitContext | undefined } = {},
  ): DinteroTokenUnavailableError {
    const { cause, context } = options;
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
    return new DinteroTokenUnavailableError(`No Dintero access token available: ${why}${last}`, { reason, cause });
  }
}
