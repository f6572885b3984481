import type { DinteroAuthError } from '../errors/dintero-auth.error.js';
import type { DinteroCredentialsError } from '../errors/dintero-credentials.error.js';

/** A token was obtained while none was usable (the first one, or after expiry or invalidation). */
export interface DinteroTokenAcquiredEvent {
  readonly type: 'acquired';
  /** `endpoint`: fetched from Dintero; `store`: taken over from another replica through the store. */
  readonly source: 'endpoint' | 'store';
  readonly fingerprint: string;
  readonly expiresAt: Date;
  readonly refreshAt: Date;
}

/** A usable token was replaced ahead of time by a fresh one. */
export interface DinteroTokenRefreshedEvent {
  readonly type: 'refreshed';
  readonly source: 'endpoint' | 'store';
  readonly fingerprint: string;
  readonly previousFingerprint: string;
  readonly expiresAt: Date;
  readonly refreshAt: Date;
}

/** A token request failed. */
export interface DinteroTokenRefreshFailedEvent {
  readonly type: 'refresh-failed';
  /** Consecutive failures so far, this one included. */
  readonly attempt: number;
  /** Delay before the next attempt; undefined when the error will not pass by retrying. */
  readonly nextDelayMs: number | undefined;
  readonly error: DinteroAuthError;
  /** Whether a usable token is still being served meanwhile. */
  readonly servingPrevious: boolean;
}

/** The current token reached its usable-until time without a successor. */
export interface DinteroTokenExpiredEvent {
  readonly type: 'expired';
  readonly fingerprint: string;
}

/** The current token was dropped by `invalidate()` (e.g. Dintero answered 401 to it). */
export interface DinteroTokenInvalidatedEvent {
  readonly type: 'invalidated';
  readonly fingerprint: string;
}

/** The shared token store failed: this replica fetches on its own until it works again. */
export interface DinteroTokenStoreFailedEvent {
  readonly type: 'store-failed';
  readonly message: string;
}

/** The shared token store works again: this replica shares tokens again. */
export interface DinteroTokenStoreRecoveredEvent {
  readonly type: 'store-recovered';
}

/**
 * The shared store holds a token sealed under another client secret (replicas in the middle of
 * a rotation): this replica cannot read it and fetches its own. Reported once per such key.
 */
export interface DinteroTokenStoreKeyMismatchEvent {
  readonly type: 'store-key-mismatch';
}

/**
 * The `credentials` provider gave a client id or secret other than the ones in use: tokens are
 * fetched with them from now on. Names the client id by a one-way fingerprint, never the secret.
 */
export interface DinteroCredentialsChangedEvent {
  readonly type: 'credentials-changed';
  /** A one-way label of the client id now in use. */
  readonly clientIdFingerprint: string;
  /** The label of the client id used before (the same one when only the secret changed). */
  readonly previousClientIdFingerprint: string;
  /** What made them read: Dintero refused the ones in use, or `credentialsRefreshIntervalMs` passed. */
  readonly reason: 'invalid-client' | 'schedule';
  /** When they were read. */
  readonly readAt: Date;
}

/** The `credentials` provider threw, did not answer in time, or gave invalid credentials. */
export interface DinteroCredentialsFailedEvent {
  readonly type: 'credentials-failed';
  readonly error: DinteroCredentialsError;
  /** Whether credentials read before stay in use meanwhile. */
  readonly usingPrevious: boolean;
}

/**
 * The shared token store held what no replica of this configuration leaves there: a generation
 * floor above every lease taken (`floor`: this replica put it back, so that replicas share
 * tokens again), or a lease held past the longest any replica holds one (`lease`: this replica
 * fetched on its own). Someone else writes to the store, or a replica is configured otherwise.
 */
export interface DinteroTokenStoreDistrustedEvent {
  readonly type: 'store-distrusted';
  readonly key: 'floor' | 'lease';
  readonly message: string;
}

/** Everything `DinteroTokenService.events$` reports. No event ever holds a token. */
export type DinteroTokenEvent =
  | DinteroTokenAcquiredEvent
  | DinteroTokenRefreshedEvent
  | DinteroTokenRefreshFailedEvent
  | DinteroTokenExpiredEvent
  | DinteroTokenInvalidatedEvent
  | DinteroTokenStoreFailedEvent
  | DinteroTokenStoreRecoveredEvent
  | DinteroTokenStoreKeyMismatchEvent
  | DinteroCredentialsChangedEvent
  | DinteroCredentialsFailedEvent
  | DinteroTokenStoreDistrustedEvent;
