import { STATUS_CODES } from 'node:http';
import axios from 'axios';
import { DinteroAuthError } from '../errors/dintero-auth.error.js';
import { DinteroErrorCode } from '../errors/dintero-error-code.js';
import { DinteroTokenRequestError } from '../errors/dintero-token-request.error.js';
import { DinteroTokenUnavailableError } from '../errors/dintero-token-unavailable.error.js';
import { dinteroCallAccountOf } from './dintero-call-errors.js';

/** What an HTTP client is told about a Dintero failure: never a token, a secret or a stack. */
export interface DinteroErrorResponse {
  /** The HTTP status to answer with. */
  readonly status: number;
  /** Seconds, for a `Retry-After` header, when trying again later may work. */
  readonly retryAfterSeconds: number | undefined;
  /** The JSON body, shaped as Nest's own error bodies. */
  readonly body: {
    readonly statusCode: number;
    readonly error: string;
    readonly message: string;
    /** This module's error code, when the failure is this module's. */
    readonly code?: string;
    /** What Dintero answered, when it answered: its status and its error's code and message. */
    readonly dintero?: { readonly status: number; readonly code?: string; readonly message?: string };
  };
}

/** When nothing says how long to wait for a token, a client may try again after this. */
const DEFAULT_RETRY_AFTER_SECONDS = 5;
/** Dintero's message is passed on, cut to this, without control characters. */
const MAX_MESSAGE_LENGTH = 300;
const TOKEN_SIDE: ReadonlySet<string> = new Set([
  DinteroErrorCode.TOKEN_UNAVAILABLE,
  DinteroErrorCode.TOKEN_REQUEST,
  DinteroErrorCode.TOKEN_NETWORK,
  DinteroErrorCode.TOKEN_RESPONSE,
  DinteroErrorCode.ACCOUNT_RESOLVE,
]);

/**
 * The answer for `error`, or undefined when it is not a failure this maps (any other error, and a
 * configuration error, which is the app's own 500). Account not found: 404; not an account id:
 * 400; no token: 503 with `Retry-After`; Dintero's 4xx: the same status with Dintero's error code
 * and message (its 401 and 403 are about this app's credentials, not the caller's: 502); Dintero's
 * 5xx or no answer: 502, or 504 on a timeout.
 */
export function dinteroErrorResponse(error: unknown): DinteroErrorResponse | undefined {
  if (error instanceof DinteroAuthError) return fromModuleError(error);
  if (axios.isAxiosError(error) && dinteroCallAccountOf(error) !== undefined) return fromDinteroAnswer(error.response, error.code);
  return undefined;
}

function fromModuleError(error: DinteroAuthError): DinteroErrorResponse | undefined {
  if (error.code === DinteroErrorCode.ACCOUNT_NOT_FOUND) return answer(404, 'No such Dintero account', { code: error.code });
  if (error.code === DinteroErrorCode.ACCOUNT_ID) return answer(400, 'Not a Dintero account id', { code: error.code });
  if (!TOKEN_SIDE.has(error.code)) return undefined;
  const shutdown = error instanceof DinteroTokenUnavailableError && error.reason === 'shutdown';
  const retryAfterSeconds = error.retryable || shutdown ? retryAfterOf(error) : undefined;
  return answer(503, 'Dintero cannot be reached right now', { code: error.code }, retryAfterSeconds);
}

function fromDinteroAnswer(response: { status: number; data?: unknown; headers?: unknown } | undefined, code: string | undefined) {
  if (!response) {
    const timedOut = code === 'ECONNABORTED' || code === 'ETIMEDOUT';
    return answer(timedOut ? 504 : 502, timedOut ? 'Dintero did not answer in time' : 'Dintero did not answer');
  }
  const dintero = { status: response.status, ...dinteroErrorOf(response.data) };
  if (response.status >= 400 && response.status < 500 && response.status !== 401 && response.status !== 403 && response.status !== 407) {
    const retryAfter = response.status === 429 ? retryAfterHeader(response.headers) : undefined;
    return answer(response.status, dintero.message ?? `Dintero answered ${response.status}`, { dintero }, retryAfter);
  }
  return answer(502, `Dintero answered ${response.status}`, { dintero });
}

function answer(
  status: number,
  message: string,
  extra: { code?: string; dintero?: DinteroErrorResponse['body']['dintero'] } = {},
  retryAfterSeconds?: number,
): DinteroErrorResponse {
  return { status, retryAfterSeconds, body: { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message, ...extra } };
}

/** The wait the token endpoint asked for (`Retry-After` on a token error in the chain), else the default. */
function retryAfterOf(error: unknown): number {
  for (let link: unknown = error, depth = 0; link instanceof Error && depth < 5; link = link.cause, depth += 1) {
    if (link instanceof DinteroTokenRequestError && link.retryAfterMs !== undefined)
      return Math.max(1, Math.ceil(link.retryAfterMs / 1000));
  }
  return DEFAULT_RETRY_AFTER_SECONDS;
}

function retryAfterHeader(headers: unknown): number | undefined {
  const value = typeof headers === 'object' && headers !== null ? (headers as Record<string, unknown>)['retry-after'] : undefined;
  const seconds = typeof value === 'string' && /^\d{1,6}$/.test(value.trim()) ? Number(value.trim()) : undefined;
  return seconds;
}

/** `error.code` and `error.message` of Dintero's error body, as plain short text. */
function dinteroErrorOf(data: unknown): { code?: string; message?: string } {
  const error = typeof data === 'object' && data !== null ? (data as { error?: unknown }).error : undefined;
  if (typeof error !== 'object' || error === null) return {};
  const { code, message } = error as { code?: unknown; message?: unknown };
  return {
    ...(typeof code === 'string' ? { code: plain(code) } : {}),
    ...(typeof message === 'string' ? { message: plain(message) } : {}),
  };
}

function plain(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, ' ').slice(0, MAX_MESSAGE_LENGTH);
}
