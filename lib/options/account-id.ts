import { quoted } from './quoted.js';

/** Dintero's account id: T (test) or P (production), then 8 digits (account) or 3 (partner). */
const ACCOUNT_ID_PATTERN = /^[PT]{1}(?=(?:.{3}|.{8})$)[0-9]*$/;

export function isAccountId(value: unknown): value is string {
  return typeof value === 'string' && ACCOUNT_ID_PATTERN.test(value);
}

/** Too short to be a secret, or a near miss of an account id (`t1234567`, `12345678`): safe to show. */
const NEAR_MISS_PATTERN = /^(?:.{0,4}|[PTpt]?[0-9]{0,10})$/su;

/**
 * Why `value` is not an account id, showing it only when it is a near miss of one: anything else
 * may be a secret given in the wrong place (an environment variable, a URL segment), short
 * (`sk_live_0123`) or not.
 */
export function accountIdProblem(value: unknown): string {
  const shown =
    typeof value === 'string' ? (NEAR_MISS_PATTERN.test(value) ? quoted(value) : `a ${value.length}-character value`) : kindOf(value);
  return `${shown} is not a Dintero account id: T (test) or P (production), then 8 digits, or 3 for a partner`;
}

function kindOf(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
