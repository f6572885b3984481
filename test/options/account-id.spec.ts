import { describe, expect, it } from 'vitest';
import { accountIdProblem, isAccountId } from '../../lib/options/account-id.js';

// One rule for the accountId option, DinteroAccounts.get() and forget(): what an account id is,
// and what a message may show of a value that is not one.

describe('account ids', () => {
  it('T or P, then 8 digits (an account) or 3 (a partner)', () => {
    expect(['T12345678', 'P12345678', 'T123', 'P999'].filter(isAccountId)).toHaveLength(4);
    for (const bad of [
      '',
      'T',
      'T12',
      'T1234',
      'T1234567',
      'T123456789',
      'X12345678',
      't12345678',
      'T1234567a',
      ' T12345678',
      42,
      undefined,
    ]) {
      expect(isAccountId(bad), String(bad)).toBe(false);
    }
  });

  it('a problem shows only near misses of an id: anything else, even 12 characters, may be a secret in the wrong place', () => {
    const rule = 'is not a Dintero account id: T (test) or P (production), then 8 digits, or 3 for a partner';
    const secretLike = 'sk_live_9f8e7d6c5b4a';
    const values: unknown[] = ['X1', '', 'T1234567890', 'T12345678901', 'sk_live_0123', secretLike, 42, undefined, null, {}];
    expect(values.map(accountIdProblem)).toEqual([
      `"X1" ${rule}`,
      `"" ${rule}`,
      `"T1234567890" ${rule}`,
      `a 12-character value ${rule}`,
      `a 12-character value ${rule}`,
      `a ${secretLike.length}-character value ${rule}`,
      `a number ${rule}`,
      `undefined ${rule}`,
      `null ${rule}`,
      `an object ${rule}`,
    ]);
  });
});
