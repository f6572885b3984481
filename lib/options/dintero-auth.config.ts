import type { Agent as HttpAgent } from 'node:http';
import type { ClientCredentials } from './client-credentials.js';

/** Refresh-ahead timing, validated so that refresh < usable-until < expiry for any lifetime. */
export interface RefreshTiming {
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly safetyMarginFraction: number;
  readonly safetyMarginMaxMs: number;
}

/** Exponential backoff bounds. */
export interface RetryTiming {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

/** The module's options after validation and defaults: frozen, and safe to log. */
export interface DinteroAuthConfig {
  readonly accountId: string;
  readonly credentials: ClientCredentials;
  readonly audience: string;
  /** Base URL without a trailing slash. */
  readonly baseUrl: string;
  readonly tokenUrl: string;
  /** Origins that receive the bearer token: Dintero's own, the base URL's, and `apiOrigins`. */
  readonly allowedOrigins: ReadonlySet<string>;
  readonly systemName: string;
  readonly systemVersion: string;
  readonly apiTimeoutMs: number;
  readonly httpsAgent: HttpAgent | undefined;
  readonly refresh: RefreshTiming;
  readonly retry: RetryTiming;
  readonly requestTimeoutMs: number;
  readonly acquireTimeoutMs: number;
  readonly prefetch: boolean;
  readonly allowInsecureLoopback: boolean;
}
