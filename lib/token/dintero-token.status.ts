import type { DinteroAuthError } from '../errors/dintero-auth.error.js';
import type { DinteroAccessToken } from './access-token.js';

/** What `DinteroTokenService.status()` reports: enough for a health check, never the token itself in output. */
export interface DinteroTokenStatus {
  /** The usable token, if one is held (it redacts itself when logged or serialized). */
  readonly token: DinteroAccessToken | undefined;
  /** Whether a token request is in flight. */
  readonly refreshing: boolean;
  /** Failed token requests since the last success. */
  readonly consecutiveFailures: number;
  /** The last failure since the last success. */
  readonly lastError: DinteroAuthError | undefined;
  /** When backoff allows the next attempt, if it is in the future. */
  readonly nextAttemptAt: Date | undefined;
  /** When the client id and secret in use were last read (or given); undefined before a provider's first read. */
  readonly credentialsReadAt: Date | undefined;
  /** A one-way label of the client id in use (never the secret); undefined before a provider's first read. */
  readonly clientIdFingerprint: string | undefined;
}
