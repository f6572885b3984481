import type { ChildProcess } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import { DinteroTokenUnavailableError } from '../../lib/index.js';
import { BUILT, forkFixture } from '../support/fixture-process.js';
import { nextEvent } from '../support/events.js';
import { ManualClock } from '../../lib/testing/manual-clock.js';
import { eventually, fakeOptions, startFake, startTokenApp } from '../support/token-app.js';

let fake: FakeDinteroServer;

beforeAll(async () => {
  fake = await startFake(100);
});
afterEach(() => {
  fake.clearTokenFaults();
  fake.resetCounts();
});
afterAll(() => fake.stop());

/** The child's exit code, or null if it had to be killed after `ms`. */
function exitWithin(child: ChildProcess, ms: number): Promise<number | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill();
      resolve(null);
    }, ms);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

describe('shutdown', () => {
  it.skipIf(!BUILT)('after app.close() with a request in flight, the process exits by itself', async () => {
    const child = forkFixture('close-then-exit.mjs', fake);
    const messages: unknown[] = [];
    child.on('message', (message) => {
      messages.push(message);
      if (message === 'token') {
        fake.injectTokenFault({ type: 'delay', ms: 60_000 });
        child.send('stall');
      }
    });
    const exitCode = await exitWithin(child, 10_000);
    expect(messages).toEqual(['token', 'closed:shutdown']);
    expect(exitCode, 'the child was still alive 10 s after app.close()').toBe(0);
  });

  it.skipIf(!BUILT)('a script awaiting a token during an outage gets a typed error before it exits', async () => {
    fake.injectTokenFault({ type: 'status', status: 503 });
    const child = forkFixture('await-token-during-outage.mjs', fake);
    const messages: unknown[] = [];
    child.on('message', (message) => messages.push(message));
    const exitCode = await exitWithin(child, 10_000);
    expect(messages).toEqual(['error:DINTERO_TOKEN_UNAVAILABLE']);
    expect(exitCode).toBe(0);
  });

  it('app.close() clears every timer the service armed', async () => {
    const clock = new ManualClock();
    const app = await startTokenApp(fakeOptions(fake), clock);
    fake.injectTokenFault({ type: 'status', status: 503 }, 1);
    const failed = nextEvent(app.tokens.events$, 'refresh-failed');
    const pending = app.tokens.getToken(); // a waiter with a deadline, then a retry timer
    await failed;
    clock.advance(1_000);
    await pending; // now a refresh timer and an expiry timer
    expect(clock.pendingTimers).toBeGreaterThanOrEqual(2);
    await app.close();
    expect(clock.pendingTimers).toBe(0);
  });

  it('close during an in-flight request aborts it; waiters get a typed shutdown error', async () => {
    fake.injectTokenFault({ type: 'delay', ms: 5_000 }, 1);
    const app = await startTokenApp(fakeOptions(fake));
    const completions: string[] = [];
    app.tokens.token$.subscribe({ complete: () => completions.push('token$') });
    app.tokens.events$.subscribe({ complete: () => completions.push('events$') });
    const pending = app.tokens.getToken();
    await eventually(() => fake.tokenRequestCount === 1, 2_000, 'the token request to arrive');
    await app.close();
    await expect(pending).rejects.toMatchObject({ reason: 'shutdown' });
    await expect(app.tokens.getToken()).rejects.toBeInstanceOf(DinteroTokenUnavailableError);
    expect(completions.sort()).toEqual(['events$', 'token$']);
  });
});
