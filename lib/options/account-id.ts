import { quoted } from './quoted.js';

/** Dintero's account id: T (test) or P (production), then 8 digits (account) or 3 (partner). */
const ACCOUNT_ID_PATTERN = /^[PT]{1}(?=(?:.{3}|.{8})$)[0-9]*$/;

export function isAccountId(value: unknown): value is string {
  return typeof value === 'string' && ACCOUNT_ID_PATTERN.test(value);
}

/**
 * Why `value` is not an account id, showing it only when short: a long value may be a secret
 * given in the wrong place (an environment variable, a URL segment).
 */
export function accountIdProblem(value: unknown): string {
  const shown = typeof value === 'string' ? (value.length <= 12 ? quoted(value) : `a ${value.length}-character value`) : kindOf(value);
  return `${shown} is not a Dintero account id: T (test) or P (production), then 8 digits, or 3 for a partner`;
}

function kindOf(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
