import { Agent as HttpAgent } from 'node:http';
import { DinteroAuthConfigError } from '../errors/dintero-auth-config.error.js';
import { accountIdProblem, isAccountId } from './account-id.js';
import { ClientCredentials } from './client-credentials.js';
import type {
  CredentialsConfig,
  DinteroAuthConfig,
  DinteroSharedConfig,
  RefreshTiming,
  RetryTiming,
  SignatureConfig,
} from './dintero-auth.config.js';
import { DEFAULT_BASE_URL, DINTERO_ORIGINS, PACKAGE_NAME, PACKAGE_VERSION } from './dintero-auth.constants.js';
import type { DinteroAuthModuleOptions } from './dintero-auth-options.js';
import type { DinteroCredentialsProvider } from './dintero-credentials.js';
import {
  type Issues,
  isRecord,
  MAX_TIMER_MS,
  parseUrl,
  type RawOptions,
  readBoolean,
  readDuration,
  readUnknownKeys,
} from './option-readers.js';
import { SignatureSecrets } from './signature-secrets.js';

const DEFAULT_REFRESH: RefreshTiming = {
  windowStart: 0.75,
  windowEnd: 0.85,
  safetyMarginFraction: 0.1,
  safetyMarginMaxMs: 60_000,
};
const DEFAULT_RETRY: RetryTiming = { initialDelayMs: 500, maxDelayMs: 30_000, demandIntervalMs: 1_000 };
const DEFAULT_SIGNATURE = { toleranceSeconds: 300, webhookReplaySeconds: 86_400 };
const SIGNATURE_KEYS = ['callbackSecrets', 'webhookSecrets', 'toleranceSeconds', 'publicUrl', 'webhookReplaySeconds'];
const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_API_TIMEOUT_MS = 30_000;
/** Dintero's limit for the `Dintero-System-*` headers. */
const MAX_SYSTEM_HEADER_LENGTH = 120;

/** The options that say whose tokens these are; the rest can be shared by many accounts. */
const IDENTITY = {
  accountId: true,
  clientId: true,
  clientSecret: true,
  credentials: true,
  credentialsRefreshIntervalMs: true,
  audience: true,
} as const;

/**
 * Every option, once. Typed by the options interface, so an option added there and not here (or
 * the reverse) does not compile; the README's table is checked against {@link optionPaths}.
 */
const OPTIONS: Record<keyof DinteroAuthModuleOptions, true> = {
  ...IDENTITY,
  baseUrl: true,
  refresh: true,
  retry: true,
  requestTimeoutMs: true,
  acquireTimeoutMs: true,
  prefetch: true,
  allowInsecureLoopback: true,
  apiOrigins: true,
  systemName: true,
  systemVersion: true,
  apiTimeoutMs: true,
  httpsAgent: true,
  store: true,
  signature: true,
};
const KNOWN_KEYS = new Set(Object.keys(OPTIONS));
/** Options that several accounts can share: all but their identity and `prefetch`. */
export const SHARED_KEYS: ReadonlySet<string> = new Set(Object.keys(OPTIONS).filter((key) => !(key in IDENTITY) && key !== 'prefetch'));

/** Every option's path, nested ones as `refresh.windowStart`: what the documentation must list. */
export function optionPaths(): string[] {
  const nested = (section: string, defaults: object) => Object.keys(defaults).map((key) => `${section}.${key}`);
  return [
    ...Object.keys(OPTIONS).filter((key) => key !== 'refresh' && key !== 'retry' && key !== 'signature'),
    ...nested('refresh', DEFAULT_REFRESH),
    ...nested('retry', DEFAULT_RETRY),
    ...SIGNATURE_KEYS.map((key) => `signature.${key}`),
  ];
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** Whose tokens: an account and its API client, validated. */
interface Identity {
  readonly accountId: string;
  readonly credentials: CredentialsConfig;
  readonly audience: string;
}

/**
 * Validates user options into a frozen config, or throws one {@link DinteroAuthConfigError}
 * naming every invalid field. Never echoes the client secret.
 */
export function normalizeOptions(input: DinteroAuthModuleOptions): DinteroAuthConfig {
  const options = readObject(input);
  const issues: Issues = [];
  readUnknownKeys(options, KNOWN_KEYS, issues);
  // The audience is judged against the base URL: shared options first, their problems listed after.
  const sharedIssues: Issues = [];
  const shared = readSharedOptions(options, sharedIssues);
  const identity = readIdentity(options, shared.baseUrl, issues);
  const prefetch = readBoolean(options.prefetch, 'prefetch', false, issues);
  issues.push(...sharedIssues);
  if (issues.length > 0) throw DinteroAuthConfigError.fromIssues(issues);
  return withIdentity(shared, identity!, prefetch);
}

/**
 * Validates the options that accounts share (every one but the identity and `prefetch`) into a
 * frozen config, adding a problem to `issues` for each invalid field. Keys are not checked here:
 * the caller knows which it accepts.
 */
export function readSharedOptions(options: RawOptions, issues: Issues): DinteroSharedConfig {
  const allowInsecureLoopback = readBoolean(options.allowInsecureLoopback, 'allowInsecureLoopback', false, issues);
  const baseUrl = readBaseUrl(options.baseUrl, allowInsecureLoopback, issues);
  const refresh = readRefresh(options.refresh, issues);
  const retry = readRetry(options.retry, issues);
  const requestTimeoutMs = readDuration(options.requestTimeoutMs, 'requestTimeoutMs', DEFAULT_TIMEOUT_MS, issues);
  const acquireTimeoutMs = readDuration(options.acquireTimeoutMs, 'acquireTimeoutMs', DEFAULT_TIMEOUT_MS, issues);
  const apiTimeoutMs = readDuration(options.apiTimeoutMs, 'apiTimeoutMs', DEFAULT_API_TIMEOUT_MS, issues);
  const apiOrigins = readApiOrigins(options.apiOrigins, allowInsecureLoopback, issues);
  const systemName = readHeaderText(options, 'systemName', PACKAGE_NAME, issues);
  const systemVersion = readHeaderText(options, 'systemVersion', PACKAGE_VERSION, issues);
  readStore(options.store, issues);
  const httpsAgent = options.httpsAgent;
  if (httpsAgent !== undefined && !(httpsAgent instanceof HttpAgent)) {
    issues.push({ path: 'httpsAgent', problem: 'must be an http(s).Agent, such as https.Agent or a proxy agent' });
  }
  const signature = readSignature(options.signature, allowInsecureLoopback, issues);
  const origin = baseUrl === undefined ? [] : [new URL(baseUrl).origin];
  return Object.freeze<DinteroSharedConfig>({
    baseUrl: baseUrl ?? DEFAULT_BASE_URL,
    allowedOrigins: new Set([...DINTERO_ORIGINS, ...origin, ...apiOrigins]),
    systemName,
    systemVersion,
    apiTimeoutMs,
    httpsAgent: httpsAgent as HttpAgent | undefined,
    refresh,
    retry,
    requestTimeoutMs,
    acquireTimeoutMs,
    allowInsecureLoopback,
    signature,
  });
}

/**
 * One account's config over shared ones already validated: its id (already checked by the
 * caller) and the credentials a resolver gave (with its own `audience` and `profileId`, if
 * any), checked as `forRoot` checks them.
 */
export function accountConfig(shared: DinteroSharedConfig, accountId: string, credentials: unknown): DinteroAccountConfig {
  const given = isRecord(credentials) ? credentials : {};
  const issues: Issues = [];
  const { clientId, clientSecret, audience } = given;
  const identity = readIdentity({ accountId, clientId, clientSecret, audience }, shared.baseUrl, issues);
  const profileId = readProfileId(given.profileId, issues);
  const signature = Object.freeze<SignatureConfig>({
    ...shared.signature,
    callbackSecrets: readSecrets(given.callbackSecrets, 'callbackSecrets', issues) ?? shared.signature.callbackSecrets,
    webhookSecrets: readSecrets(given.webhookSecrets, 'webhookSecrets', issues) ?? shared.signature.webhookSecrets,
  });
  if (issues.length > 0) throw DinteroAuthConfigError.fromIssues(issues);
  return Object.freeze({ ...withIdentity({ ...shared, signature }, identity!, false), profileId });
}

/** An account's config, with the payment profile its resolver named. */
export interface DinteroAccountConfig extends DinteroAuthConfig {
  readonly profileId: string | undefined;
}

/** Dintero's payment profile ids are short names (`default`, `P12345678.57VcP8aM9AP3vh2Q8gsHBH`). */
function readProfileId(value: unknown, issues: Issues): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^[\w.-]{1,100}$/.test(value)) {
    issues.push({ path: 'profileId', problem: 'must be 1 to 100 letters, digits, ".", "_" or "-"' });
    return undefined;
  }
  return value;
}

function readObject(input: unknown): RawOptions {
  // Options often come from the environment or a factory; trust nothing about their shape.
  if (!isRecord(input)) throw DinteroAuthConfigError.fromIssues([{ path: '(options)', problem: 'must be an object' }]);
  return input;
}

/** The identity, or undefined with its problems in `issues`. */
function readIdentity(options: RawOptions, baseUrl: string, issues: Issues): Identity | undefined {
  const accountId = readAccountId(options.accountId, issues);
  const credentials = readCredentials(options, issues);
  const audience = readAudience(options.audience, accountId, baseUrl, issues);
  if (accountId === undefined || credentials === undefined || audience === undefined) return undefined;
  return { accountId, credentials, audience };
}

/** `clientId` and `clientSecret`, or instead of them a `credentials` provider. */
function readCredentials(options: RawOptions, issues: Issues): CredentialsConfig | undefined {
  const { credentials: provider, credentialsRefreshIntervalMs: interval } = options;
  if (provider === undefined) {
    if (interval !== undefined) issues.push({ path: 'credentialsRefreshIntervalMs', problem: 'applies only with credentials' });
    const clientId = readClientId(options.clientId, issues);
    const clientSecret = readSecret(options.clientSecret, issues);
    if (clientId === undefined || clientSecret === undefined) return undefined;
    return Object.freeze({ initial: new ClientCredentials(clientId, clientSecret), provider: undefined, refreshIntervalMs: undefined });
  }
  const before = issues.length;
  if (typeof provider !== 'function') {
    issues.push({
      path: 'credentials',
      problem: 'must be a function that returns { clientId, clientSecret }, e.g. dinteroCredentialsFromFiles()',
    });
  }
  for (const key of ['clientId', 'clientSecret'] as const) {
    if (options[key] !== undefined) issues.push({ path: key, problem: 'must not be given with credentials: they come from its provider' });
  }
  const refreshIntervalMs = interval === undefined ? undefined : readDuration(interval, 'credentialsRefreshIntervalMs', 0, issues);
  if (issues.length > before) return undefined;
  return Object.freeze({ initial: undefined, provider: provider as DinteroCredentialsProvider, refreshIntervalMs });
}

/**
 * Credentials a provider gave, checked as `clientId` and `clientSecret` are; the problems, never
 * a value, in `issues`.
 */
export function readProvidedCredentials(value: unknown, issues: Issues): ClientCredentials | undefined {
  const given = isRecord(value) ? value : {};
  const clientId = readClientId(given.clientId, issues);
  const clientSecret = readSecret(given.clientSecret, issues);
  return clientId === undefined || clientSecret === undefined ? undefined : new ClientCredentials(clientId, clientSecret);
}

function withIdentity(shared: DinteroSharedConfig, identity: Identity, prefetch: boolean): DinteroAuthConfig {
  const { accountId, credentials, audience } = identity;
  return Object.freeze<DinteroAuthConfig>({
    ...shared,
    accountId,
    credentials,
    audience,
    tokenUrl: `${shared.baseUrl}/accounts/${accountId}/auth/token`,
    prefetch,
  });
}

function readStore(store: unknown, issues: Issues): void {
  const methods = ['get', 'set', 'acquireLease', 'watch', 'claim', 'raise', 'close'];
  if (store === undefined || (isRecord(store) && methods.every((name) => typeof store[name] === 'function'))) return;
  issues.push({
    path: 'store',
    problem: 'must be a DinteroTokenStore (get, set, acquireLease, watch, claim, raise and close methods), e.g. a RedisTokenStore',
  });
}

/** Default audience for an account: the one Dintero's own examples use. */
function defaultAudience(accountId: string): string {
  return `https://api.dintero.com/v1/accounts/${accountId}`;
}

function readAccountId(value: unknown, issues: Issues): string | undefined {
  if (typeof value !== 'string' || value.length === 0) {
    issues.push({ path: 'accountId', problem: 'is required (a string such as "T12345678")' });
    return undefined;
  }
  if (!isAccountId(value)) {
    issues.push({ path: 'accountId', problem: accountIdProblem(value) });
    return undefined;
  }
  return value;
}

function readClientId(value: unknown, issues: Issues): string | undefined {
  if (typeof value !== 'string' || value.trim().length === 0) {
    issues.push({ path: 'clientId', problem: 'is required (a non-empty string)' });
    return undefined;
  }
  // A colon would split differently in the Basic header; control characters corrupt headers.
  if (value.includes(':') || hasControlCharacter(value) || value !== value.trim()) {
    issues.push({ path: 'clientId', problem: 'must not contain ":", control characters or surrounding spaces' });
    return undefined;
  }
  return value;
}

function readSecret(value: unknown, issues: Issues): string | undefined {
  if (typeof value !== 'string' || value.length === 0) {
    issues.push({ path: 'clientSecret', problem: 'is required (a non-empty string)' });
    return undefined;
  }
  if (hasControlCharacter(value) || value !== value.trim()) {
    issues.push({ path: 'clientSecret', problem: 'must not contain control characters or surrounding spaces (value not shown)' });
    return undefined;
  }
  return value;
}

function hasControlCharacter(value: string): boolean {
  return [...value].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f);
}

function readBaseUrl(value: unknown, allowInsecureLoopback: boolean, issues: Issues): string | undefined {
  if (value === undefined) return DEFAULT_BASE_URL;
  const url = parseUrl(value);
  if (!url) {
    issues.push({ path: 'baseUrl', problem: 'must be an absolute URL such as "https://checkout.dintero.com/v1"' });
    return undefined;
  }
  const problem = transportProblem(url, allowInsecureLoopback);
  if (problem) {
    issues.push({ path: 'baseUrl', problem });
    return undefined;
  }
  // An empty "?" or "#" leaves search and hash empty but would still cut the token path off.
  if (url.username || url.password || url.search || url.hash || /[?#]/.test(value as string)) {
    issues.push({ path: 'baseUrl', problem: 'must not carry credentials, a query or a fragment' });
    return undefined;
  }
  return url.href.replace(/\/+$/, '');
}

/** Why a URL may not carry credentials or tokens, or undefined when it may. */
function transportProblem(url: URL, allowInsecureLoopback: boolean): string | undefined {
  if (url.protocol === 'https:') return undefined;
  if (url.protocol !== 'http:') return `protocol "${url.protocol}" is not supported; use https`;
  if (!allowInsecureLoopback) {
    return 'must use https (plain http is allowed only to loopback hosts, with allowInsecureLoopback: true)';
  }
  if (!LOOPBACK_HOSTS.has(url.hostname)) {
    return `plain http is allowed only to 127.0.0.1, ::1 or localhost, not "${url.hostname}"`;
  }
  return undefined;
}

function readApiOrigins(value: unknown, allowInsecureLoopback: boolean, issues: Issues): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    issues.push({ path: 'apiOrigins', problem: 'must be an array of origins such as "https://api.dintero.com"' });
    return [];
  }
  const origins: string[] = [];
  value.forEach((entry: unknown, index) => {
    const path = `apiOrigins[${index}]`;
    const url = parseUrl(entry);
    const problem = url ? transportProblem(url, allowInsecureLoopback) : 'must be an absolute URL such as "https://api.dintero.com"';
    if (problem) issues.push({ path, problem });
    else if (url!.pathname !== '/' || url!.search || url!.hash || url!.username || url!.password) {
      issues.push({ path, problem: 'must be an origin only (scheme, host and port), with no path, query or credentials' });
    } else origins.push(url!.origin);
  });
  return origins;
}

function readHeaderText(options: RawOptions, key: string, fallback: string, issues: Issues): string {
  const value = options[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_SYSTEM_HEADER_LENGTH || !/^[\x20-\x7e]+$/.test(value)) {
    issues.push({ path: key, problem: `must be 1 to ${MAX_SYSTEM_HEADER_LENGTH} printable ASCII characters` });
    return fallback;
  }
  return value;
}

/**
 * The audience names the account the token is for: Dintero's form of it, or the configured base
 * URL's. Anything else (another account's, another host, another scheme) would ask for a token
 * that is not this account's, or hand the grant to a server that is not Dintero.
 */
function readAudience(value: unknown, accountId: string | undefined, baseUrl: string, issues: Issues): string | undefined {
  if (value === undefined) return accountId ? defaultAudience(accountId) : undefined;
  const allowed = [defaultAudience(accountId ?? ''), `${baseUrl}/accounts/${accountId ?? ''}`];
  // With the account id wrong (reported as such), an audience of some account is let pass.
  const fits = (audience: string) =>
    accountId
      ? value === audience
      : typeof value === 'string' && /^[^/]+$/.test(value.slice(audience.length)) && value.startsWith(audience);
  if (typeof value !== 'string' || !allowed.some(fits)) {
    const [dintero, base] = allowed.map((audience) => (accountId ? audience : `${audience}{accountId}`));
    issues.push({
      path: 'audience',
      problem: `must be this account's audience: "${dintero}" (the default)${base === dintero ? '' : ` or "${base}"`}`,
    });
    return undefined;
  }
  return value;
}

function readFraction(options: RawOptions, key: keyof RefreshTiming, fallback: number, issues: Issues): number {
  const value = options[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value > 0 && value < 1)) {
    issues.push({ path: `refresh.${key}`, problem: 'must be a number between 0 and 1 (exclusive)' });
    return fallback;
  }
  return value;
}

function readSection(value: unknown, path: string, issues: Issues, known: readonly string[]): RawOptions {
  if (value === undefined) return {};
  if (!isRecord(value)) {
    issues.push({ path, problem: 'must be an object' });
    return {};
  }
  readUnknownKeys(value, new Set(known), issues, `${path}.`);
  return value;
}

function readRefresh(value: unknown, issues: Issues): RefreshTiming {
  const raw = readSection(value, 'refresh', issues, Object.keys(DEFAULT_REFRESH));
  const d = DEFAULT_REFRESH;
  const timing: RefreshTiming = {
    windowStart: readFraction(raw, 'windowStart', d.windowStart, issues),
    windowEnd: readFraction(raw, 'windowEnd', d.windowEnd, issues),
    safetyMarginFraction: readFraction(raw, 'safetyMarginFraction', d.safetyMarginFraction, issues),
    safetyMarginMaxMs: readDuration(raw.safetyMarginMaxMs, 'refresh.safetyMarginMaxMs', d.safetyMarginMaxMs, issues),
  };
  if (timing.windowStart > timing.windowEnd) {
    issues.push({ path: 'refresh.windowStart', problem: 'must not be after refresh.windowEnd' });
  }
  // The margin is at most safetyMarginFraction of the lifetime, so this keeps refresh before
  // "usable until" for every lifetime, from one second to days.
  if (timing.windowEnd >= 1 - timing.safetyMarginFraction) {
    issues.push({
      path: 'refresh.windowEnd',
      problem: `must be below 1 - refresh.safetyMarginFraction (${round(1 - timing.safetyMarginFraction)}), so that a token refreshes before it stops being usable`,
    });
  }
  return Object.freeze(timing);
}

function readSignature(value: unknown, allowInsecureLoopback: boolean, issues: Issues): SignatureConfig {
  const raw = readSection(value, 'signature', issues, SIGNATURE_KEYS);
  const seconds = (key: keyof typeof DEFAULT_SIGNATURE) => {
    const given = raw[key];
    if (given === undefined) return DEFAULT_SIGNATURE[key] * 1000;
    if (typeof given !== 'number' || !Number.isInteger(given) || given < 1 || given * 1000 > MAX_TIMER_MS) {
      issues.push({ path: `signature.${key}`, problem: 'must be a whole number of seconds, at least 1' });
      return DEFAULT_SIGNATURE[key] * 1000;
    }
    return given * 1000;
  };
  return Object.freeze<SignatureConfig>({
    callbackSecrets: readSecrets(raw.callbackSecrets, 'signature.callbackSecrets', issues),
    webhookSecrets: readSecrets(raw.webhookSecrets, 'signature.webhookSecrets', issues),
    toleranceMs: seconds('toleranceSeconds'),
    publicUrl: readPublicUrl(raw.publicUrl, allowInsecureLoopback, issues),
    webhookReplayMs: seconds('webhookReplaySeconds'),
  });
}

/** Secrets given as a list of non-empty strings (never shown), or a function that reads them. */
export function readSecrets(value: unknown, path: string, issues: Issues): SignatureSecrets | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'function') return new SignatureSecrets(value as () => readonly string[]);
  if (!Array.isArray(value) || value.length === 0 || !value.every((secret) => typeof secret === 'string' && secret.length > 0)) {
    issues.push({ path, problem: 'must be a non-empty list of non-empty strings, or a function that returns them (values not shown)' });
    return undefined;
  }
  return new SignatureSecrets(value as string[]);
}

function readPublicUrl(value: unknown, allowInsecureLoopback: boolean, issues: Issues): string | undefined {
  if (value === undefined) return undefined;
  const url = parseUrl(value);
  const problem = url ? transportProblem(url, allowInsecureLoopback) : 'must be an absolute URL such as "https://shop.example.com"';
  if (problem) issues.push({ path: 'signature.publicUrl', problem });
  else if (url!.search || url!.hash || url!.username || url!.password) {
    issues.push({ path: 'signature.publicUrl', problem: 'must not carry credentials, a query or a fragment' });
  } else return url!.href;
  return undefined;
}

function readRetry(value: unknown, issues: Issues): RetryTiming {
  const raw = readSection(value, 'retry', issues, Object.keys(DEFAULT_RETRY));
  const timing: RetryTiming = {
    initialDelayMs: readDuration(raw.initialDelayMs, 'retry.initialDelayMs', DEFAULT_RETRY.initialDelayMs, issues),
    maxDelayMs: readDuration(raw.maxDelayMs, 'retry.maxDelayMs', DEFAULT_RETRY.maxDelayMs, issues),
    demandIntervalMs: readDuration(raw.demandIntervalMs, 'retry.demandIntervalMs', DEFAULT_RETRY.demandIntervalMs, issues),
  };
  if (timing.maxDelayMs < timing.initialDelayMs) {
    issues.push({ path: 'retry.maxDelayMs', problem: 'must not be below retry.initialDelayMs' });
  }
  return Object.freeze(timing);
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
