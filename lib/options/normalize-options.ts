import { Agent as HttpAgent } from 'node:http';
import { ACCOUNT_ID_PATTERN, DEFAULT_BASE_URL, DINTERO_ORIGINS, PACKAGE_NAME, PACKAGE_VERSION } from './dintero-auth.constants.js';
import { DinteroAuthConfigError, type DinteroAuthConfigIssue } from '../errors/dintero-auth-config.error.js';
import type { DinteroAuthModuleOptions } from './dintero-auth-options.js';
import { ClientCredentials } from './client-credentials.js';
import type { DinteroAuthConfig, RefreshTiming, RetryTiming } from './dintero-auth.config.js';

/** Largest delay a Node timer can hold (2^31 - 1 ms, about 24.8 days). */
const MAX_TIMER_MS = 2_147_483_647;

const DEFAULT_REFRESH: RefreshTiming = {
  windowStart: 0.75,
  windowEnd: 0.85,
  safetyMarginFraction: 0.1,
  safetyMarginMaxMs: 60_000,
};
const DEFAULT_RETRY: RetryTiming = { initialDelayMs: 500, maxDelayMs: 30_000, demandIntervalMs: 1_000 };
const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_API_TIMEOUT_MS = 30_000;
/** Dintero's limit for the `Dintero-System-*` headers. */
const MAX_SYSTEM_HEADER_LENGTH = 120;

/**
 * Every option, once. Typed by the options interface, so an option added there and not here (or
 * the reverse) does not compile; the README's table is checked against {@link optionPaths}.
 */
const OPTIONS: Record<keyof DinteroAuthModuleOptions, true> = {
  accountId: true,
  clientId: true,
  clientSecret: true,
  audience: true,
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
};
const KNOWN_KEYS = new Set(Object.keys(OPTIONS));

/** Every option's path, nested ones as `refresh.windowStart`: what the documentation must list. */
export function optionPaths(): string[] {
  const nested = (section: string, defaults: object) => Object.keys(defaults).map((key) => `${section}.${key}`);
  return [
    ...Object.keys(OPTIONS).filter((key) => key !== 'refresh' && key !== 'retry'),
    ...nested('refresh', DEFAULT_REFRESH),
    ...nested('retry', DEFAULT_RETRY),
  ];
}
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

type Issues = DinteroAuthConfigIssue[];
type Raw = Record<string, unknown>;

/** Default audience for an account: the one Dintero's own examples use. */
function defaultAudience(accountId: string): string {
  return `https://api.dintero.com/v1/accounts/${accountId}`;
}

/**
 * Validates user options into a frozen config, or throws one {@link DinteroAuthConfigError}
 * naming every invalid field. Never echoes the client secret.
 */
export function normalizeOptions(input: DinteroAuthModuleOptions): DinteroAuthConfig {
  // Options often come from the environment or a factory; trust nothing about their shape.
  const options: unknown = input;
  if (!isRecord(options)) {
    throw DinteroAuthConfigError.fromIssues([{ path: '(options)', problem: 'must be an object' }]);
  }
  const issues: Issues = [];
  for (const key of Object.keys(options)) {
    if (!KNOWN_KEYS.has(key)) issues.push({ path: key, problem: 'is not a known option' });
  }

  const accountId = readAccountId(options.accountId, issues);
  const clientId = readClientId(options.clientId, issues);
  const clientSecret = readSecret(options.clientSecret, issues);
  const allowInsecureLoopback = readBoolean(options, 'allowInsecureLoopback', false, issues);
  const prefetch = readBoolean(options, 'prefetch', false, issues);
  const baseUrl = readBaseUrl(options.baseUrl, allowInsecureLoopback, issues);
  const audience = readAudience(options.audience, accountId, issues);
  const refresh = readRefresh(options.refresh, issues);
  const retry = readRetry(options.retry, issues);
  const requestTimeoutMs = readDuration(options, 'requestTimeoutMs', DEFAULT_TIMEOUT_MS, issues);
  const acquireTimeoutMs = readDuration(options, 'acquireTimeoutMs', DEFAULT_TIMEOUT_MS, issues);
  const apiTimeoutMs = readDuration(options, 'apiTimeoutMs', DEFAULT_API_TIMEOUT_MS, issues);
  const apiOrigins = readApiOrigins(options.apiOrigins, allowInsecureLoopback, issues);
  const systemName = readHeaderText(options, 'systemName', PACKAGE_NAME, issues);
  const systemVersion = readHeaderText(options, 'systemVersion', PACKAGE_VERSION, issues);
  const store = options.store;
  const storeMethods = ['get', 'set', 'acquireLease'];
  if (store !== undefined && !(isRecord(store) && storeMethods.every((name) => typeof store[name] === 'function'))) {
    issues.push({ path: 'store', problem: 'must be a DinteroTokenStore (get, set and acquireLease methods), e.g. a RedisTokenStore' });
  }
  const httpsAgent = options.httpsAgent;
  if (httpsAgent !== undefined && !(httpsAgent instanceof HttpAgent)) {
    issues.push({ path: 'httpsAgent', problem: 'must be an http(s).Agent, such as https.Agent or a proxy agent' });
  }

  if (issues.length > 0) throw DinteroAuthConfigError.fromIssues(issues);

  return Object.freeze<DinteroAuthConfig>({
    accountId: accountId!,
    credentials: new ClientCredentials(clientId!, clientSecret!),
    audience: audience!,
    baseUrl: baseUrl!,
    tokenUrl: `${baseUrl!}/accounts/${accountId!}/auth/token`,
    allowedOrigins: new Set([...DINTERO_ORIGINS, new URL(baseUrl!).origin, ...apiOrigins]),
    systemName,
    systemVersion,
    apiTimeoutMs,
    httpsAgent: httpsAgent as HttpAgent | undefined,
    refresh,
    retry,
    requestTimeoutMs,
    acquireTimeoutMs,
    prefetch,
    allowInsecureLoopback,
  });
}

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readAccountId(value: unknown, issues: Issues): string | undefined {
  if (typeof value !== 'string' || value.length === 0) {
    issues.push({ path: 'accountId', problem: 'is required (a string such as "T12345678")' });
    return undefined;
  }
  if (!ACCOUNT_ID_PATTERN.test(value)) {
    // A long value may be a secret in the wrong variable: show short ones only.
    const shown = value.length <= 12 ? JSON.stringify(value) : `a ${value.length}-character value`;
    issues.push({
      path: 'accountId',
      problem: `${shown} is not a Dintero account id: T (test) or P (production), then 8 digits, or 3 for a partner`,
    });
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

function parseUrl(value: unknown): URL | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
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

function readHeaderText(options: Raw, key: string, fallback: string, issues: Issues): string {
  const value = options[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_SYSTEM_HEADER_LENGTH || !/^[\x20-\x7e]+$/.test(value)) {
    issues.push({ path: key, problem: `must be 1 to ${MAX_SYSTEM_HEADER_LENGTH} printable ASCII characters` });
    return fallback;
  }
  return value;
}

function readAudience(value: unknown, accountId: string | undefined, issues: Issues): string | undefined {
  if (value === undefined) return accountId ? defaultAudience(accountId) : undefined;
  if (typeof value !== 'string' || !parseUrl(value)) {
    issues.push({ path: 'audience', problem: 'must be an absolute URL such as "https://api.dintero.com/v1/accounts/T12345678"' });
    return undefined;
  }
  return value;
}

function readBoolean(options: Raw, key: string, fallback: boolean, issues: Issues): boolean {
  const value = options[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    issues.push({ path: key, problem: 'must be true or false' });
    return fallback;
  }
  return value;
}

function readDuration(options: Raw, key: string, fallback: number, issues: Issues, path = key): number {
  const value = options[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_TIMER_MS) {
    issues.push({ path, problem: `must be a number of milliseconds above 0 and at most ${MAX_TIMER_MS}` });
    return fallback;
  }
  return value;
}

function readFraction(options: Raw, key: keyof RefreshTiming, fallback: number, issues: Issues): number {
  const value = options[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value > 0 && value < 1)) {
    issues.push({ path: `refresh.${key}`, problem: 'must be a number between 0 and 1 (exclusive)' });
    return fallback;
  }
  return value;
}

function readSection(value: unknown, path: string, issues: Issues, known: readonly string[]): Raw {
  if (value === undefined) return {};
  if (!isRecord(value)) {
    issues.push({ path, problem: 'must be an object' });
    return {};
  }
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) issues.push({ path: `${path}.${key}`, problem: 'is not a known option' });
  }
  return value;
}

function readRefresh(value: unknown, issues: Issues): RefreshTiming {
  const raw = readSection(value, 'refresh', issues, Object.keys(DEFAULT_REFRESH));
  const d = DEFAULT_REFRESH;
  const timing: RefreshTiming = {
    windowStart: readFraction(raw, 'windowStart', d.windowStart, issues),
    windowEnd: readFraction(raw, 'windowEnd', d.windowEnd, issues),
    safetyMarginFraction: readFraction(raw, 'safetyMarginFraction', d.safetyMarginFraction, issues),
    safetyMarginMaxMs: readDuration(raw, 'safetyMarginMaxMs', d.safetyMarginMaxMs, issues, 'refresh.safetyMarginMaxMs'),
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

function readRetry(value: unknown, issues: Issues): RetryTiming {
  const raw = readSection(value, 'retry', issues, Object.keys(DEFAULT_RETRY));
  const timing: RetryTiming = {
    initialDelayMs: readDuration(raw, 'initialDelayMs', DEFAULT_RETRY.initialDelayMs, issues, 'retry.initialDelayMs'),
    maxDelayMs: readDuration(raw, 'maxDelayMs', DEFAULT_RETRY.maxDelayMs, issues, 'retry.maxDelayMs'),
    demandIntervalMs: readDuration(raw, 'demandIntervalMs', DEFAULT_RETRY.demandIntervalMs, issues, 'retry.demandIntervalMs'),
  };
  if (timing.maxDelayMs < timing.initialDelayMs) {
    issues.push({ path: 'retry.maxDelayMs', problem: 'must not be below retry.initialDelayMs' });
  }
  return Object.freeze(timing);
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
