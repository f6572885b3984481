/**
 * The error taxonomy of this module. Every error carries a stable `code` for programs and a
 * message for people; none ever holds a client secret or an access token.
 */

/** Base class of every error this module throws or rejects with. */
export abstract class DinteroAuthError extends Error {
  /** Stable machine-readable code, e.g. `DINTERO_TOKEN_REQUEST`. */
  abstract readonly code: string;
  /** Whether the same request may succeed if tried again later. */
  abstract readonly retryable: boolean;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** One invalid module option: where it is and what is wrong with it. */
export interface DinteroAuthConfigIssue {
  /** Option path, e.g. `accountId` or `refresh.windowEnd`. */
  readonly path: string;
  /** Why it is invalid (never echoes a secret). */
  readonly problem: string;
}

/** The module's options are invalid; names every bad field at once. Thrown at start-up. */
export class DinteroAuthConfigError extends DinteroAuthError {
  readonly code = 'DINTERO_AUTH_CONFIG';
  readonly retryable = false;
  readonly issues: readonly DinteroAuthConfigIssue[];

  constructor(issues: readonly DinteroAuthConfigIssue[]) {
    const lines = issues.map((issue) => `  - ${issue.path}: ${issue.problem}`);
    super(`Invalid DinteroAuthModule options (${issues.length}):\n${lines.join('\n')}`);
    this.issues = Object.freeze([...issues]);
  }
}

/** Dintero's token endpoint answered with an error status. */
export class DinteroTokenRequestError extends DinteroAuthError {
  readonly code = 'DINTERO_TOKEN_REQUEST';
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

  constructor(details: {
    status: number;
    dinteroCode?: string | undefined;
    dinteroMessage?: string | undefined;
    retryAfterMs?: number | undefined;
  }) {
    const code = details.dinteroCode ? ` (${details.dinteroCode})` : '';
    const said = details.dinteroMessage ? `: ${details.dinteroMessage}` : '';
    super(`Dintero token endpoint answered ${details.status}${code}${said}`);
    this.status = details.status;
    this.dinteroCode = details.dinteroCode;
    this.dinteroMessage = details.dinteroMessage;
    this.retryAfterMs = details.retryAfterMs;
    this.retryable = isRetryableStatus(details.status);
  }
}

/** Statuses worth trying again: the server is busy, overloaded or failing, not refusing us. */
function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Why a token request got no answer. */
export type DinteroTokenNetworkFailure = 'timeout' | 'connection' | 'aborted';

/** What to check, for the system errors a misconfiguration usually causes. */
const SYSTEM_CODE_HINTS: Readonly<Record<string, string>> = {
  ENOTFOUND: 'the host name does not resolve: check baseUrl and DNS',
  EAI_AGAIN: 'DNS did not answer: check DNS',
  ECONNREFUSED: 'nothing listens there: check baseUrl and that the endpoint is up',
  ECONNRESET: 'the connection was reset: a proxy or firewall may be in the way',
  CERT_HAS_EXPIRED: 'the TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the TLS certificate is self-signed',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the TLS certificate chain is incomplete',
};

/** The token request got no HTTP answer: timeout, refused or reset connection, DNS, TLS. */
export class DinteroTokenNetworkError extends DinteroAuthError {
  readonly code = 'DINTERO_TOKEN_NETWORK';
  readonly retryable = true;
  readonly failure: DinteroTokenNetworkFailure;
  /** The system error code, e.g. `ECONNREFUSED`, when there is one. */
  readonly systemCode: string | undefined;
  /** The token URL asked (it never carries credentials), when known. */
  readonly url: string | undefined;

  /** `detail` says more about a timeout, e.g. which deadline ran out. */
  constructor(failure: DinteroTokenNetworkFailure, systemCode?: string, url?: string, detail?: string) {
    const hint = systemCode && SYSTEM_CODE_HINTS[systemCode] ? `: ${SYSTEM_CODE_HINTS[systemCode]}` : '';
    const what = systemCode ? ` (${systemCode}${hint})` : '';
    const more = detail ? `: ${detail}` : '';
    super(`Dintero token request${url ? ` to ${url}` : ''} failed: ${failure}${what}${more}`);
    this.failure = failure;
    this.systemCode = systemCode;
    this.url = url;
  }
}

/** The token endpoint answered 200 with something that is not a usable token. */
export class DinteroTokenResponseError extends DinteroAuthError {
  readonly code = 'DINTERO_TOKEN_RESPONSE';
  // A proxy's error page or a half-sent body can be transient; backoff bounds the cost if not.
  readonly retryable = true;

  constructor(problem: string) {
    super(`Dintero token response is unusable: ${problem}`);
  }
}

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
  readonly code = 'DINTERO_TOKEN_UNAVAILABLE';
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
