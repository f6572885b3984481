import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Doorbell } from '../../lib/store/doorbell.js';

// The wait of a replica for another's token: until a ring, an abort, or the polling deadline.

/** Whether `promise` has settled once pending callbacks ran. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await vi.advanceTimersByTimeAsync(0);
  return done;
}

describe('Doorbell', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('ends a wait at its deadline when nobody rings', async () => {
    const wait = new Doorbell().wait(500, new AbortController().signal);
    await vi.advanceTimersByTimeAsync(499);
    expect(await settled(wait)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await settled(wait)).toBe(true);
  });

  it('ends a wait at once when rung, and the next wait runs its whole time', async () => {
    const bell = new Doorbell();
    const wait = bell.wait(500, new AbortController().signal);
    bell.ring();
    expect(await settled(wait)).toBe(true);
    expect(await settled(bell.wait(500, new AbortController().signal))).toBe(false);
  });

  it('keeps a ring that came while nobody waited for the next wait, and only for that one', async () => {
    const bell = new Doorbell();
    bell.ring();
    expect(await settled(bell.wait(500, new AbortController().signal))).toBe(true);
    expect(await settled(bell.wait(500, new AbortController().signal))).toBe(false);
  });

  it('ends a wait on abort, or at once when already aborted, and leaves no listener behind', async () => {
    const bell = new Doorbell();
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
