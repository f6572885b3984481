import { describe, expect, it } from 'vitest';
import { MIN_TOKEN_AGE_FOR_401_MS, type UnauthorizedFacts, judgeUnauthorized } from '../../lib/http/unauthorized-policy.js';

const facts = (overrides: Partial<UnauthorizedFacts> = {}): UnauthorizedFacts => ({
  answeredByAllowedOrigin: true,
  canResend: true,
  sentIsCurrent: true,
  sentAgeMs: MIN_TOKEN_AGE_FOR_401_MS,
  ...overrides,
});

describe('judgeUnauthorized', () => {
  it.each<[string, Partial<UnauthorizedFacts>, string]>([
    ['answered by a foreign origin (after a redirect): the 401 goes back', { answeredByAllowedOrigin: false }, 'return'],
    ['a body that cannot be replayed: the 401 goes back', { canResend: false }, 'return'],
    ['foreign origin, even with a replaced token: the 401 goes back', { answeredByAllowedOrigin: false, sentIsCurrent: false }, 'return'],
    ['the token was replaced meanwhile: resend with the current one', { sentIsCurrent: false }, 'resend'],
    ['replaced meanwhile, however young: resend', { sentIsCurrent: false, sentAgeMs: 0 }, 'resend'],
    ['current and old enough to be stale: drop it, resend', {}, 'invalidate'],
    ['current but younger than the minimum age: not blamed', { sentAgeMs: MIN_TOKEN_AGE_FOR_401_MS - 1 }, 'return'],
  ])('%s', (_name, overrides, verdict) => {
    expect(judgeUnauthorized(facts(overrides))).toBe(verdict);
  });

  it('takes the minimum age as given', () => {
    expect(judgeUnauthorized(facts({ sentAgeMs: 100 }), 100)).toBe('invalidate');
    expect(judgeUnauthorized(facts({ sentAgeMs: 99 }), 100)).toBe('return');
  });
});
