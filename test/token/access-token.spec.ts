/** The token object: it hands its bearer string out on request only, and shows a fingerprint elsewhere. */
import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DinteroAccessToken } from '../../lib/token/access-token.js';
import { planTimeline } from '../../lib/token/refresh-policy.js';
import { TokenEventBus } from '../../lib/token/token-event-bus.js';
import { tokenFingerprint } from '../../lib/token/token-fingerprint.js';

const BEARER = 'eyJhbGciOiJSUzI1NiJ9.payload-7f3a9c.sig';
const REFRESH = 'refresh-4b1d';
const TIMING = { windowStart: 0.75, windowEnd: 0.85, safetyMarginFraction: 0.1, safetyMarginMaxMs: 60_000 };
const WALL = Date.UTC(2026, 10, 29, 12, 0, 0);

function token(accessToken = BEARER): DinteroAccessToken {
  return new DinteroAccessToken(
    { accessToken, expiresInSeconds: 3600, refreshToken: REFRESH },
    planTimeline(0, 3_600_000, TIMING, 0),
    WALL,
  );
}

describe('DinteroAccessToken', () => {
  it('hands out its bearer and refresh token on request, and matches itself by object or string only', () => {
    const held = token();
    expect([held.accessToken, held.refreshToken]).toEqual([BEARER, REFRESH]);
    expect(held.matches(BEARER)).toBe(true);
    expect(held.matches(token())).toBe(true);
    expect(held.matches(`${BEARER}x`)).toBe(false);
    expect(held.matches(token('another.token.value'))).toBe(false);
  });

  it('shows its fingerprint and times, never the token, in String(), JSON and util.inspect', () => {
    const held = token();
    const expiresAt = new Date(WALL + 3_600_000).toISOString();
    expect(String(held)).toBe(`DinteroAccessToken(${held.fingerprint}, expires ${expiresAt})`);
    expect(inspect({ held }, { depth: 10, showHidden: true })).toContain(`DinteroAccessToken(${held.fingerprint}, expires ${expiresAt})`);
    expect(JSON.parse(JSON.stringify(held))).toEqual({
      accessToken: '<redacted>',
      fingerprint: held.fingerprint,
      tokenType: 'Bearer',
      expiresIn: 3600,
      obtainedAt: new Date(WALL).toISOString(),
      refreshAt: new Date(WALL + 2_700_000).toISOString(),
      usableUntil: new Date(WALL + 3_540_000).toISOString(),
      expiresAt,
    });
    for (const shown of [String(held), JSON.stringify(held), inspect(held, { showHidden: true })]) {
      expect(shown).not.toContain(BEARER);
      expect(shown).not.toContain(REFRESH);
    }
  });

  it("the fingerprint is the first 10 hex digits of the token's SHA-256: enough to tell tokens apart in logs, useless to an attacker", () => {
    expect(tokenFingerprint(BEARER)).toBe(createHash('sha256').update(BEARER).digest('hex').slice(0, 10));
    expect(token().fingerprint).toBe(tokenFingerprint(BEARER));
    expect(tokenFingerprint('a')).not.toBe(tokenFingerprint('b'));
  });
});

describe('TokenEventBus', () => {
  it('completes its stream on complete(), and drops events after it', () => {
    const bus = new TokenEventBus();
    const seen: string[] = [];
    let completed = false;
    bus.events$.subscribe({ next: (event) => seen.push(event.type), complete: () => (completed = true) });
    bus.emit({ type: 'invalidated', fingerprint: 'abc' });
    bus.complete();
    bus.emit({ type: 'invalidated', fingerprint: 'def' });
    expect(seen).toEqual(['invalidated']);
    expect(completed).toBe(true);
  });
});
