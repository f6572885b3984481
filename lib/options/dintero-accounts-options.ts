import type { DinteroTokenStore } from '../store/dintero-token.store.js';
import type { DinteroSharedConfig } from './dintero-auth.config.js';
import type { DinteroAuthModuleOptions } from './dintero-auth-options.js';

/** The API client of one account, as the credentials resolver gives it. */
export interface DinteroAccountCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
  /** The account's callback signature secrets, current first; instead of `signature.callbackSecrets`. */
  readonly callbackSecrets?: readonly string[] | undefined;
  /** The secrets of the account's webhook subscriptions; instead of `signature.webhookSecrets`. */
  readonly webhookSecrets?: readonly string[] | undefined;
  /**
   * The token's audience when not the default `https://api.dintero.com/v1/accounts/{accountId}`:
   * only that or `{baseUrl}/accounts/{accountId}` is accepted.
   */
  readonly audience?: string | undefined;
  /** The account's payment profile for Checkout sessions (`profile_id`), handed back as `DinteroAccount.profileId`. */
  readonly profileId?: string | undefined;
}

/**
 * Looks up the credentials of an account (a database, a secret manager): `undefined` when the
 * account is unknown. Called once each time the account is opened, shared by every `get()` that
 * waits meanwhile; after a failure or a time-out, the next `get()` calls it again.
 */
export type DinteroCredentialsResolver = (
  accountId: string,
) => Promise<DinteroAccountCredentials | undefined> | DinteroAccountCredentials | undefined;

/** The options of `DinteroAuthModule` that every account shares (per-account ones come from the resolver). */
export type DinteroSharedAccountOptions = Omit<
  DinteroAuthModuleOptions,
  'accountId' | 'clientId' | 'clientSecret' | 'credentials' | 'credentialsRefreshIntervalMs' | 'audience' | 'prefetch'
>;

/** Options of `DinteroAccountsModule.forRoot()` / the factory of `forRootAsync()`. */
export interface DinteroAccountsModuleOptions extends DinteroSharedAccountOptions {
  /** Where each account's client id and secret come from. */
  resolveCredentials: DinteroCredentialsResolver;
  /** Accounts held at most; beyond it the least recently used idle one is dropped. Default `1000`. */
  maxAccounts?: number;
  /** An account unused this long (and with no call in flight) is dropped. Default 15 minutes. */
  idleTimeoutMs?: number;
  /** Longest wait for the resolver; past it `get()` fails with `DinteroAccountResolveError`. Default `10000`. */
  resolveTimeoutMs?: number;
  /**
   * Resolver calls at most at once; other accounts being opened wait their turn (within
   * `resolveTimeoutMs`). At most `maxAccounts` accounts are being opened at once: beyond that,
   * `get()` of another account fails at once with `DinteroAccountResolveError` (`busy`). Default `8`.
   */
  maxConcurrentResolves?: number;
}

/** Validated accounts options. */
export interface DinteroAccountsConfig {
  readonly resolveCredentials: DinteroCredentialsResolver;
  readonly maxAccounts: number;
  readonly idleTimeoutMs: number;
  readonly resolveTimeoutMs: number;
  readonly maxConcurrentResolves: number;
  /** What every account shares, validated once, at start-up. */
  readonly shared: DinteroSharedConfig;
  /** The store of the options, shared by every account; the registry closes it. */
  readonly store: DinteroTokenStore | undefined;
}
