import { getEventListeners } from 'node:events';
import { beforeEach, describe, expect, it } from 'vitest';
import { Doorbell } from '../../lib/store/doorbell.js';
import { ManualClock } from '../../lib/testing/manual-clock.js';

// The wait of a replica for another's token: until a ring, an abort, or the polling deadline.

/** Whether `promise` has settled once pending callbacks ran. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('Doorbell', () => {
  let clock: ManualClock;
  beforeEach(() => {
    clock = new ManualClock();
  });

  it('ends a wait at its deadline when nobody rings', async () => {
    const wait = new Doorbell(clock).wait(500, new AbortController().signal);
    clock.advance(499);
    expect(await settled(wait)).toBe(false);
    clock.advance(1);
    expect(await settled(wait)).toBe(true);
  });

  it('ends a wait at once when rung, and the next wait runs its whole time', async () => {
    const bell = new Doorbell(clock);
    const wait = bell.wait(500, new AbortController().signal);
    bell.ring();
    expect(await settled(wait)).toBe(true);
    expect(await settled(bell.wait(500, new AbortController().signal))).toBe(false);
  });

  it('keeps a ring that came while nobody waited for the next wait, and only for that one', async () => {
    const bell = new Doorbell(clock);
    bell.ring();
    expect(await settled(bell.wait(500, new AbortController().signal))).toBe(true);
    expect(await settled(bell.wait(500, new AbortController().signal))).toBe(false);
  });

  it('ends a wait on abort, or at once when already aborted, and leaves no listener behind', async () => {
    const bell = new Doorbell(clock);
    const controller = new AbortController();
    const wait = bell.wait(500, controller.signal);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    controller.abort();
    expect(await settled(wait)).toBe(true);
    expect(await settled(bell.wait(500, controller.signal))).toBe(true);

    const kept = new AbortController();
    bell.ring();
    await bell.wait(500, kept.signal);
    const rung = bell.wait(500, kept.signal);
    bell.ring();
    await rung;
    expect(getEventListeners(kept.signal, 'abort')).toHaveLength(0);
  });
});
