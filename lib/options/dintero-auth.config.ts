import type { Agent as HttpAgent } from 'node:http';
import type { ClientCredentials } from './client-credentials.js';

/** Refresh-ahead timing, validated so that refresh < usable-until < expiry for any lifetime. */
export interface RefreshTiming {
  /** Earliest refresh point, as a fraction of the lifetime. */
  readonly windowStart: number;
  /** Latest refresh point, as a fraction of the lifetime. */
  readonly windowEnd: number;
  /** Safety margin before expiry, as a fraction of the lifetime... */
  readonly safetyMarginFraction: number;
  /** ...or in milliseconds, whichever is smaller. */
  readonly safetyMarginMaxMs: number;
}

/** Exponential backoff bounds. */
export interface RetryTiming {
  /** Upper bound of the first delay. */
  readonly initialDelayMs: number;
  /** Cap of every delay, `Retry-After` included. */
  readonly maxDelayMs: number;
  /** While callers wait with no usable token: at most one attempt per this many milliseconds. */
  readonly demandIntervalMs: number;
}

/** The module's options after validation and defaults: frozen, and safe to log. */
export interface DinteroAuthConfig {
  /** Dintero account id. */
  readonly accountId: string;
  /** Client id and secret (the secret is not readable from here). */
  readonly credentials: ClientCredentials;
  /** Token audience. */
  readonly audience: string;
  /** Base URL without a trailing slash. */
  readonly baseUrl: string;
  /** `{baseUrl}/accounts/{accountId}/auth/token`. */
  readonly tokenUrl: string;
  /** Origins that receive the bearer token: Dintero's own, the base URL's, and `apiOrigins`. */
  readonly allowedOrigins: ReadonlySet<string>;
  /** `Dintero-System-Name` header value. */
  readonly systemName: string;
  /** `Dintero-System-Version` header value. */
  readonly systemVersion: string;
  /** Total deadline of each API call (headers and body), in milliseconds. */
  readonly apiTimeoutMs: number;
  /** Agent for token and API requests, if one was given. */
  readonly httpsAgent: HttpAgent | undefined;
  /** Refresh-ahead timing. */
  readonly refresh: RefreshTiming;
  /** Backoff bounds. */
  readonly retry: RetryTiming;
  /** Total deadline of one token request (headers and body), in milliseconds. */
  readonly requestTimeoutMs: number;
  /** Longest wait of a caller for a token that does not exist yet, in milliseconds. */
  readonly acquireTimeoutMs: number;
  /** Whether a token is fetched while the application bootstraps. */
  readonly prefetch: boolean;
  /** Whether plain http to loopback hosts is allowed. */
  readonly allowInsecureLoopback: boolean;
}
