import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DinteroTokenUnavailableError } from '../lib/index.js';
import { FAKE_DINTERO_CLIENT, type FakeDinteroServer } from '../lib/testing/index.js';
import { nextEvent } from './support/events.js';
import { ManualClock } from './support/manual-clock.js';
import { eventually, fakeOptions, startFake, startTokenApp } from './support/token-app.js';

let fake: FakeDinteroServer;
// The child runs the built package, as a user's process would; `npm test` builds first.
const BUILT = fileURLToPath(new URL('../dist/index.js', import.meta.url));
if (!existsSync(BUILT)) console.warn(`SKIPPED: the process-exit test needs a build (${BUILT}); run npm run build`);

beforeAll(async () => {
  fake = await startFake(100);
});
afterEach(() => {
  fake.clearTokenFaults();
  fake.resetCounts();
});
afterAll(() => fake.stop());

/** Runs a fixture against this file's fake server, with an IPC channel. */
function forkFixture(name: string): ChildProcess {
  return fork(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), {
    env: {
      ...process.env,
      ACCOUNT_ID: FAKE_DINTERO_CLIENT.accountId,
      CLIENT_ID: FAKE_DINTERO_CLIENT.clientId,
      CLIENT_SECRET: FAKE_DINTERO_CLIENT.clientSecret,
      BASE_URL: fake.baseUrl,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

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
  it.skipIf(!existsSync(BUILT))('after app.close() with a request in flight, the process exits by itself', async () => {
    const child = forkFixture('close-then-exit.mjs');
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

  it.skipIf(!existsSync(BUILT))('a script awaiting a token during an outage gets a typed error before it exits', async () => {
    fake.injectTokenFault({ type: 'status', status: 503 });
    const child = forkFixture('await-token-during-outage.mjs');
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
