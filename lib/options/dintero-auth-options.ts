import type { DinteroCredentialsProvider } from './dintero-credentials.js';
import type { DinteroSecretsSource } from './signature-secrets.js';
import type { Agent as HttpAgent } from 'node:http';
import type { DinteroTokenStore } from '../store/dintero-token.store.js';

/** When a token is refreshed and how long it is handed out. Fractions are of the token's lifetime. */
export interface DinteroRefreshOptions {
  /** Earliest point of the refresh window. Default `0.75`. */
  windowStart?: number;
  /**
   * Latest point of the refresh window; each token refreshes at a uniformly random point in the
   * window, so replicas spread out. Default `0.85`.
   */
  windowEnd?: number;
  /** A token stops being handed out this fraction of its lifetime before expiry... Default `0.1`. */
  safetyMarginFraction?: number;
  /** ...or this many milliseconds before expiry, whichever is shorter. Default `60000`. */
  safetyMarginMaxMs?: number;
}

/** Backoff between failed token requests: exponential, with full jitter. */
export interface DinteroRetryOptions {
  /** Upper bound of the first delay. Default `500`. */
  initialDelayMs?: number;
  /** Cap of every delay, `Retry-After` included. Default `30000`. */
  maxDelayMs?: number;
  /**
   * While callers are waiting and no token is usable, an attempt may start this soon after the
   * last one, whatever the backoff says (still one at a time, `Retry-After` still a floor, and
   * not after a 400, 401 or 403). So an outage that ends is noticed within this time. Default `1000`.
   */
  demandIntervalMs?: number;
}

/**
 * Checking that callbacks and webhook deliveries come from Dintero (`DinteroCallbackGuard`,
 * `DinteroWebhookGuard`). Secrets are lists, current first (several during a rotation), or a
 * function that reads them.
 */
export interface DinteroSignatureOptions {
  /** The account's callback signature secrets (`POST /v1/admin/signature`). */
  callbackSecrets?: DinteroSecretsSource;
  /** The `config.secret` of the account's webhook subscriptions. */
  webhookSecrets?: DinteroSecretsSource;
  /** How far a callback's signature time may be from now, either way, in seconds. Default `300`. */
  toleranceSeconds?: number;
  /**
   * The app's public base URL as Dintero calls it, e.g. `https://shop.example.com` or, behind a
   * proxy that strips a prefix, `https://shop.example.com/api`: the signed host name and path come
   * from it, never from the `Host` header. Without it, `Host` is trusted.
   */
  publicUrl?: string;
  /** How long a webhook delivery id is remembered, so that it is handled once, in seconds. Default `86400`. */
  webhookReplaySeconds?: number;
}

/** Options of `DinteroAuthModule.forRoot()` / the factory of `forRootAsync()`. */
export interface DinteroAuthModuleOptions {
  /** Dintero account id: `T` (test) or `P` (production), then 8 digits, or 3 for a partner. */
  accountId: string;
  /** OAuth client id of a Dintero API client (or give `credentials`). */
  clientId?: string;
  /** OAuth client secret; never logged, never shown in errors or output (or give `credentials`). */
  clientSecret?: string;
  /**
   * Instead of `clientId` and `clientSecret`: a function that reads them, for secrets that rotate
   * (e.g. `dinteroCredentialsFromFiles()` over a mounted secret). Read before the first token
   * request, again at once when Dintero answers `invalid_client` (at most once per few seconds),
   * and every `credentialsRefreshIntervalMs` if set. The token in hand stays in use while new
   * credentials fetch its successor; a provider that throws or hangs (past `requestTimeoutMs`)
   * leaves the last good credentials in use.
   */
  credentials?: DinteroCredentialsProvider;
  /**
   * With `credentials`: also read them this often, in milliseconds, and fetch a new token with
   * them at once when they changed. Default: off (read on `invalid_client` only).
   */
  credentialsRefreshIntervalMs?: number;
  /** Token audience. Default `https://api.dintero.com/v1/accounts/{accountId}`. */
  audience?: string;
  /**
   * Checkout API base URL. Default `https://checkout.dintero.com/v1`; the token URL is
   * `{baseUrl}/accounts/{accountId}/auth/token`.
   */
  baseUrl?: string;
  /** Refresh-ahead timing. */
  refresh?: DinteroRefreshOptions;
  /** Backoff between failed token requests. */
  retry?: DinteroRetryOptions;
  /** Total deadline of one token request (headers and body), in milliseconds. Default `10000`. */
  requestTimeoutMs?: number;
  /**
   * How long a caller waits for a token that does not exist yet before it gets a
   * `DinteroTokenUnavailableError`; attempts go on in the background. Default `10000`.
   */
  acquireTimeoutMs?: number;
  /** Fetch a token while the application bootstraps, and fail start-up if that fails. Default `false`. */
  prefetch?: boolean;
  /**
   * More origins that may receive the bearer token, e.g. `https://billing.dintero.com`. They are
   * added to `https://checkout.dintero.com`, `https://api.dintero.com` and the base URL's origin;
   * every other origin never sees a token.
   */
  apiOrigins?: string[];
  /** `Dintero-System-Name` sent with every API call: your system's name. Default `nestjs-dintero-auth`. */
  systemName?: string;
  /** `Dintero-System-Version` sent with every API call. Default this package's version. */
  systemVersion?: string;
  /** Total deadline of each `DinteroHttpService` call (headers and body), in milliseconds. Default `30000`. */
  apiTimeoutMs?: number;
  /**
   * The agent for token requests and `DinteroHttpService` calls, e.g. an
   * `HttpsProxyAgent` where egress goes through a proxy. `HTTP(S)_PROXY` variables are ignored:
   * axios would send the request, token included, to an http proxy in plain text.
   */
  httpsAgent?: HttpAgent;
  /**
   * A store shared by replicas (e.g. `RedisTokenStore`): one token request per cluster instead
   * of one per replica, encrypted at rest. Each replica still keeps the token in memory, so no
   * API call ever waits on the store. A failing store only means each replica fetches its own.
   */
  store?: DinteroTokenStore;
  /** Verifying Dintero's signed callbacks and webhooks: secrets, tolerance, public URL. */
  signature?: DinteroSignatureOptions;
  /**
   * Allow plain `http://` base URLs, and only to loopback hosts (127.0.0.1, ::1, localhost):
   * for tests and the fake server. Default `false`.
   */
  allowInsecureLoopback?: boolean;
}
