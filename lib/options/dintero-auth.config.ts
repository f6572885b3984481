import type { Agent as HttpAgent } from 'node:http';
import type { DinteroRefreshOptions, DinteroRetryOptions } from './dintero-auth-options.js';
import type { ClientCredentials } from './client-credentials.js';
import type { DinteroCredentialsProvider } from './dintero-credentials.js';
import type { SignatureSecrets } from './signature-secrets.js';

/**
 * Refresh-ahead timing, validated so that refresh < usable-until < expiry for any lifetime. The
 * options' own type, every field present: the two cannot drift apart.
 */
export type RefreshTiming = Readonly<Required<DinteroRefreshOptions>>;

/** Backoff and demand-probe timing: the options' own type, every field present. */
export type RetryTiming = Readonly<Required<DinteroRetryOptions>>;

/** Signature checking, validated: secrets behind {@link SignatureSecrets}, durations in milliseconds. */
export interface SignatureConfig {
  readonly callbackSecrets: SignatureSecrets | undefined;
  readonly webhookSecrets: SignatureSecrets | undefined;
  readonly toleranceMs: number;
  readonly publicUrl: string | undefined;
  readonly webhookReplayMs: number;
}

/** Where the client id and secret come from: given once, or a provider read again when they rotate. */
export interface CredentialsConfig {
  /** `clientId` and `clientSecret` as given (the secret is not readable from here); undefined with a provider. */
  readonly initial: ClientCredentials | undefined;
  /** The `credentials` option. */
  readonly provider: DinteroCredentialsProvider | undefined;
  /** How often the provider is read besides on `invalid_client`; undefined: never. */
  readonly refreshIntervalMs: number | undefined;
}

/** The options several accounts can share, after validation and defaults: frozen, and safe to log. */
export interface DinteroSharedConfig {
  /** Base URL without a trailing slash. */
  readonly baseUrl: string;
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
  /** Whether plain http to loopback hosts is allowed. */
  readonly allowInsecureLoopback: boolean;
  /** Checking signed callbacks and webhooks. */
  readonly signature: SignatureConfig;
}

/** The module's options after validation and defaults: frozen, and safe to log. */
export interface DinteroAuthConfig extends DinteroSharedConfig {
  /** Dintero account id. */
  readonly accountId: string;
  /** Client id and secret, or where they are read from. */
  readonly credentials: CredentialsConfig;
  /** Token audience. */
  readonly audience: string;
  /** `{baseUrl}/accounts/{accountId}/auth/token`. */
  readonly tokenUrl: string;
  /** Whether a token is fetched while the application bootstraps. */
  readonly prefetch: boolean;
}
