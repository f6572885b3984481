/** The token the service holds, with the alarms of its refresh point and usable-until time. */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../lib/testing/manual-clock.js';
import { DinteroAccessToken } from '../../lib/token/access-token.js';
import { HeldToken } from '../../lib/token/held-token.js';

function held() {
  const clock = new ManualClock();
  const woken: string[] = [];
  const tokens = new HeldToken(
    clock,
    () => woken.push(`refresh at ${clock.now()}`),
    () => woken.push(`usable-until at ${clock.now()}`),
  );
  /** A token sent now: refresh in 60 s, usable for 90 s, expiring in 100 s. */
  const token = (accessToken: string) => {
    const sentAt = clock.now();
    const timeline = { sentAt, refreshAt: sentAt + 60_000, usableUntil: sentAt + 90_000, expiresAt: sentAt + 100_000 };
    return new DinteroAccessToken({ accessToken, expiresInSeconds: 100 }, timeline, clock.wallNow());
  };
  return { clock, woken, tokens, token };
}

describe('HeldToken', () => {
  it('a token held is usable until, not at, its usable-until time, then stale', () => {
    const { clock, tokens, token } = held();
    expect([tokens.current, tokens.usable(), tokens.stale()]).toEqual([undefined, undefined, undefined]);
    const first = token('eyJ.first');
    tokens.hold(first, true);
    clock.freeze(90_000 - 1);
    expect([tokens.current, tokens.usable(), tokens.stale()]).toEqual([first, first, undefined]);
    clock.freeze(1);
    expect([tokens.current, tokens.usable(), tokens.stale()]).toEqual([first, undefined, first]);
  });

  it('wakes at the refresh point (only when refreshing ahead) and at usable-until', () => {
    const { clock, woken, tokens, token } = held();
    const start = clock.now();
    tokens.hold(token('eyJ.first'), true);
    clock.advance(100_000);
    expect(woken).toEqual([`refresh at ${start + 60_000}`, `usable-until at ${start + 90_000}`]);

    woken.length = 0;
    tokens.hold(token('eyJ.second'), false);
    clock.advance(100_000);
    expect(woken).toEqual([`usable-until at ${start + 190_000}`]);
  });

  it('a new token replaces the alarms of the last; stopping refresh-ahead clears the refresh alarm only', () => {
    const { clock, woken, tokens, token } = held();
    const start = clock.now();
    tokens.hold(token('eyJ.first'), true);
    clock.advance(30_000);
    tokens.hold(token('eyJ.second'), true);
    expect(clock.pendingTimers).toBe(2);
    tokens.stopRefreshing();
    clock.advance(200_000);
    expect(woken).toEqual([`usable-until at ${start + 120_000}`]);
  });

  it('lets go of the token held only, with its alarms', () => {
    const { clock, tokens, token } = held();
    const first = token('eyJ.first');
    tokens.hold(first, true);
    tokens.drop(token('eyJ.first'));
    expect(tokens.current).toBe(first);
    expect(clock.pendingTimers).toBe(2);
    tokens.drop(first);
    expect(tokens.current).toBeUndefined();
    expect(clock.pendingTimers).toBe(0);
  });

  it('usable$ replays the usable token and each new one, never a stale one, and completes at close()', () => {
    const { clock, tokens, token } = held();
    const first = token('eyJ.first');
    tokens.hold(first, true);
    const seen: string[] = [];
    let completed = false;
    tokens.usable$.subscribe({ next: (held) => seen.push(held.accessToken), complete: () => (completed = true) });
    clock.freeze(90_000);
    tokens.usable$.subscribe((held) => seen.push(`late ${held.accessToken}`));
    tokens.hold(token('eyJ.second'), true);
    tokens.close();
    expect(seen).toEqual(['eyJ.first', 'eyJ.second', 'late eyJ.second']);
    expect(completed).toBe(true);
    expect(clock.pendingTimers).toBe(0);
  });
});
