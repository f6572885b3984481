import { afterEach, describe, expect, it } from 'vitest';
import { systemClock, type TimerHandle } from '../../lib/token/clock.js';

// The real clock the token service runs on in production (every other test runs the service
// on the manual clock). Each non-event is checked against a later Node timer: Node fires its
// timers in due order, so the outcome does not depend on the machine's speed.

const armed: TimerHandle[] = [];
afterEach(() => {
  for (const handle of armed.splice(0)) systemClock.clearTimer(handle);
});

function arm(callback: () => void, delayMs: number, keepAlive?: boolean): TimerHandle {
  const handle = systemClock.setTimer(callback, delayMs, keepAlive);
  armed.push(handle);
  return handle;
}

/** Resolves after a plain Node timer of `ms`: every timer due before it has fired by then. */
const nodeTimer = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const activeTimers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

describe('systemClock', () => {
  it('never fires a timer before its delay has passed on the monotonic clock', async () => {
    // Node counts a timer from a whole-millisecond loop time, so it often fires a fraction of a
    // millisecond early; the clock then waits out the rest. Fifty fractional delays make an
    // early one likely, were the rest not waited out.
    const delays = Array.from({ length: 50 }, (_, index) => 1 + (index % 10) / 10 + Math.floor(index / 10));
    const early = await Promise.all(
      delays.map((delayMs) => {
        const armedAt = systemClock.now();
        return new Promise<number>((resolve) => arm(() => resolve(systemClock.now() - armedAt - delayMs), delayMs));
      }),
    );
    expect(early.filter((by) => by < 0)).toEqual([]);
  });

  it("waits out a delay beyond Node's 2^31-1 ms limit in steps Node accepts: no overflow, so no timer every millisecond", async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      let fired = false;
      arm(() => (fired = true), 2 ** 31 + 1_000);
      await nodeTimer(20);
      expect(fired).toBe(false);
      expect(warnings).not.toContain('TimeoutOverflowWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('a cleared timer never fires', async () => {
    let fired = false;
    systemClock.clearTimer(arm(() => (fired = true), 1));
    await nodeTimer(20);
    expect(fired).toBe(false);
  });

  it('keeps the process alive only for a timer that asks to', () => {
    const before = activeTimers();
    arm(() => undefined, 60_000);
    expect(activeTimers()).toBe(before);
    arm(() => undefined, 60_000, true);
    expect(activeTimers()).toBe(before + 1);
  });

  it('reads monotonic time from performance.now() and wall time from Date.now()', () => {
    const [wallBefore, monoBefore] = [Date.now(), performance.now()];
    const [wall, mono] = [systemClock.wallNow(), systemClock.now()];
    const [wallAfter, monoAfter] = [Date.now(), performance.now()];
    expect(wall).toBeGreaterThanOrEqual(wallBefore);
    expect(wall).toBeLessThanOrEqual(wallAfter);
    expect(mono).toBeGreaterThanOrEqual(monoBefore);
    expect(mono).toBeLessThanOrEqual(monoAfter);
  });
});
