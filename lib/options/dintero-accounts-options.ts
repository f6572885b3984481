import { DinteroAuthConfigError, type DinteroAuthConfigIssue } from '../errors/dintero-auth-config.error.js';
import type { DinteroAuthModuleOptions } from './dintero-auth-options.js';
import { normalizeOptions } from './normalize-options.js';

/** The API client of one account, as the credentials resolver gives it. */
export interface DinteroAccountCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
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
  'accountId' | 'clientId' | 'clientSecret' | 'audience' | 'prefetch'
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
}

/** Validated accounts options. */
export interface DinteroAccountsConfig {
  readonly resolveCredentials: DinteroCredentialsResolver;
  readonly maxAccounts: number;
  readonly idleTimeoutMs: number;
  readonly resolveTimeoutMs: number;
  /** What each account's `normalizeOptions()` gets besides its id and credentials. */
  readonly shared: DinteroSharedAccountOptions;
}

const DEFAULT_MAX_ACCOUNTS = 1000;
const DEFAULT_IDLE_TIMEOUT_MS = 15 * 60_000;
const DEFAULT_RESOLVE_TIMEOUT_MS = 10_000;
const MAX_TIMER_MS = 2_147_483_647;
const PER_ACCOUNT: Record<string, string> = {
  accountId: 'is given to get(accountId), not to the module',
  clientId: 'comes from resolveCredentials, per account',
  clientSecret: 'comes from resolveCredentials, per account',
  audience: 'is the default one of each account',
  prefetch: 'does not apply: accounts are opened on first use',
};
/** Stand-ins for the per-account fields, to validate the shared options the way forRoot does. */
const PROBE = { accountId: 'T00000000', clientId: 'probe', clientSecret: 'probe' };

/** Validates accounts options into a frozen config, or throws one {@link DinteroAuthConfigError} naming every bad field. */
export function normalizeAccountsOptions(input: DinteroAccountsModuleOptions): DinteroAccountsConfig {
  const options: unknown = input;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw DinteroAuthConfigError.fromIssues([{ path: '(options)', problem: 'must be an object' }]);
  }
  const { resolveCredentials, maxAccounts, idleTimeoutMs, resolveTimeoutMs, ...shared } = options as DinteroAccountsModuleOptions;
  const issues: DinteroAuthConfigIssue[] = [];
  if (typeof resolveCredentials !== 'function') {
    issues.push({ path: 'resolveCredentials', problem: 'is required: (accountId) => ({ clientId, clientSecret }) or undefined' });
  }
  for (const [key, problem] of Object.entries(PER_ACCOUNT)) if (key in shared) issues.push({ path: key, problem });
  const config = {
    resolveCredentials,
    maxAccounts: readCount(maxAccounts, 'maxAccounts', DEFAULT_MAX_ACCOUNTS, issues),
    idleTimeoutMs: readDuration(idleTimeoutMs, 'idleTimeoutMs', DEFAULT_IDLE_TIMEOUT_MS, issues),
    resolveTimeoutMs: readDuration(resolveTimeoutMs, 'resolveTimeoutMs', DEFAULT_RESOLVE_TIMEOUT_MS, issues),
    shared: Object.freeze({ ...shared }),
  };
  const sharedIssues = (() => {
    const perAccount = Object.keys(PER_ACCOUNT);
    const rest = Object.fromEntries(Object.entries(shared).filter(([key]) => !perAccount.includes(key)));
    try {
      normalizeOptions({ ...rest, ...PROBE });
      return [];
    } catch (error) {
      if (error instanceof DinteroAuthConfigError) return error.issues;
      throw error;
    }
  })();
  issues.push(...sharedIssues);
  if (issues.length > 0) throw DinteroAuthConfigError.fromIssues(issues);
  return Object.freeze(config);
}

function readCount(value: unknown, path: string, fallback: number, issues: DinteroAuthConfigIssue[]): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    issues.push({ path, problem: 'must be a whole number of at least 1' });
    return fallback;
  }
  return value;
}

function readDuration(value: unknown, path: string, fallback: number, issues: DinteroAuthConfigIssue[]): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_TIMER_MS) {
    issues.push({ path, problem: `must be a number of milliseconds above 0 and at most ${MAX_TIMER_MS}` });
    return fallback;
  }
  return value;
}
