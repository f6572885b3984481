import { DinteroAuthConfigError } from '../errors/dintero-auth-config.error.js';
import type { DinteroAccountsConfig, DinteroAccountsModuleOptions, DinteroCredentialsResolver } from './dintero-accounts-options.js';
import { readSharedOptions, SHARED_KEYS } from './normalize-options.js';
import { type Issues, isRecord, readCount, readDuration } from './option-readers.js';
import type { DinteroTokenStore } from '../store/dintero-token.store.js';

const DEFAULT_MAX_ACCOUNTS = 1000;
const DEFAULT_IDLE_TIMEOUT_MS = 15 * 60_000;
const DEFAULT_RESOLVE_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_CONCURRENT_RESOLVES = 8;
const PER_ACCOUNT: Record<string, string> = {
  accountId: 'is given to get(accountId), not to the module',
  clientId: 'comes from resolveCredentials, per account',
  clientSecret: 'comes from resolveCredentials, per account',
  credentials: 'comes from resolveCredentials, per account',
  credentialsRefreshIntervalMs: 'does not apply: credentials come from resolveCredentials, per account',
  audience: 'is the default one of each account',
  prefetch: 'does not apply: accounts are opened on first use',
};
const OWN_KEYS = ['resolveCredentials', 'maxAccounts', 'idleTimeoutMs', 'resolveTimeoutMs', 'maxConcurrentResolves'];

/** Validates accounts options into a frozen config, or throws one {@link DinteroAuthConfigError} naming every bad field. */
export function normalizeAccountsOptions(input: DinteroAccountsModuleOptions): DinteroAccountsConfig {
  const options: unknown = input;
  if (!isRecord(options)) throw DinteroAuthConfigError.fromIssues([{ path: '(options)', problem: 'must be an object' }]);
  const issues: Issues = [];
  const { resolveCredentials, maxAccounts, idleTimeoutMs, resolveTimeoutMs, maxConcurrentResolves } = options;
  if (typeof resolveCredentials !== 'function') {
    issues.push({ path: 'resolveCredentials', problem: 'is required: (accountId) => ({ clientId, clientSecret }) or undefined' });
  }
  for (const key of Object.keys(options)) {
    if (key in PER_ACCOUNT) issues.push({ path: key, problem: PER_ACCOUNT[key]! });
    else if (!OWN_KEYS.includes(key) && !SHARED_KEYS.has(key)) issues.push({ path: key, problem: 'is not a known option' });
  }
  const config: DinteroAccountsConfig = {
    resolveCredentials: resolveCredentials as DinteroCredentialsResolver,
    maxAccounts: readCount(maxAccounts, 'maxAccounts', DEFAULT_MAX_ACCOUNTS, issues),
    idleTimeoutMs: readDuration(idleTimeoutMs, 'idleTimeoutMs', DEFAULT_IDLE_TIMEOUT_MS, issues),
    resolveTimeoutMs: readDuration(resolveTimeoutMs, 'resolveTimeoutMs', DEFAULT_RESOLVE_TIMEOUT_MS, issues),
    maxConcurrentResolves: readCount(maxConcurrentResolves, 'maxConcurrentResolves', DEFAULT_MAX_CONCURRENT_RESOLVES, issues),
    shared: readSharedOptions(options, issues),
    store: options.store as DinteroTokenStore | undefined,
  };
  if (issues.length > 0) throw DinteroAuthConfigError.fromIssues(issues);
  return Object.freeze(config);
}
