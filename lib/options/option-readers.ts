import type { DinteroAuthConfigIssue } from '../errors/dintero-auth-config.error.js';

/** Every problem found so far; readers add to it and return a fallback, so that all are named at once. */
export type Issues = DinteroAuthConfigIssue[];

/** Options as given: often from the environment or a factory, so nothing about their shape is trusted. */
export type RawOptions = Record<string, unknown>;

/** Largest delay a Node timer can hold (2^31 - 1 ms, about 24.8 days). */
export const MAX_TIMER_MS = 2_147_483_647;

export function isRecord(value: unknown): value is RawOptions {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An absolute URL, or undefined for anything else. */
export function parseUrl(value: unknown): URL | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** Names every key of `options` outside `known`, under `prefix` (`retry.`) if given. */
export function readUnknownKeys(options: RawOptions, known: ReadonlySet<string>, issues: Issues, prefix = ''): void {
  for (const key of Object.keys(options)) if (!known.has(key)) issues.push({ path: `${prefix}${key}`, problem: 'is not a known option' });
}

export function readBoolean(value: unknown, path: string, fallback: boolean, issues: Issues): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    issues.push({ path, problem: 'must be true or false' });
    return fallback;
  }
  return value;
}

/** Milliseconds a Node timer can wait for. */
export function readDuration(value: unknown, path: string, fallback: number, issues: Issues): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_TIMER_MS) {
    issues.push({ path, problem: `must be a number of milliseconds above 0 and at most ${MAX_TIMER_MS}` });
    return fallback;
  }
  return value;
}

/** A whole number of at least 1. */
export function readCount(value: unknown, path: string, fallback: number, issues: Issues): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    issues.push({ path, problem: 'must be a whole number of at least 1' });
    return fallback;
  }
  return value;
}
