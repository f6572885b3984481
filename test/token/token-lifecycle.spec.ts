import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_DINTERO_CLIENT, type FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import {
  type DinteroAccessToken,
  type DinteroAuthModuleOptions,
  DinteroTokenRequestError,
  DinteroTokenResponseError,
  DinteroTokenUnavailableError,
} from '../../lib/index.js';
import type { TokenEndpoint } from '../../lib/token/token-endpoint.client.js';
import { nextEvent, recordEvents } from '../support/events.js';
import { ManualClock } from '../../lib/testing/manual-clock.js';
import { eventually, expectIdle, fakeOptions, type ManualTokenApp, startFake, startTokenApp, type TokenApp } from '../support/token-app.js';

const LIFETIME_S = 100;
let fake: FakeDinteroServer;
let app: TokenApp | undefined;

beforeAll(async () => {
  fake = await startFake(LIFETIME_S);
});
afterEach(async () => {
  await app?.close();
  app = undefined;
  fake.clearTokenFaults();
  fake.resetCounts();
  fake.tokenLifetimeSeconds = LIFETIME_S;
});
afterAll(() => fake.stop());

async function start(overrides: Partial<DinteroAuthModuleOptions> = {}): Promise<TokenApp & { clock: ManualClock }> {
  const clock = new ManualClock();
  app = await startTokenApp(fakeOptions(fake, overrides), clock);
  return app as TokenApp & { clock: ManualClock };
}

/** The promise's value if it settles within this turn of the event loop, otherwise 'pending'. */
function settledThisTurn<T>(promise: Promise<T>): Promise<T | 'pending'> {
  return Promise.race([promise, new Promise<'pending'>((resolve) => setImmediate(resolve, 'pending'))]);
}

/** Moves the manual clock to `fraction` of the given token's lifetime, counted from its request. */
function advanceToFraction(app: TokenApp & { clock: ManualClock }, token: DinteroAccessToken, fraction: number): void {
  const target = token.timeline.sentAt + token.expiresIn * 1000 * fraction;
  app.clock.advance(target - app.clock.now());
}

describe('single flight', () => {
  it('500 concurrent callers on a cold cache cause exactly one token request', async () => {
    const { tokens } = await start();
    const all = await Promise.all(Array.from({ length: 500 }, () => tokens.getToken()));
    expect(fake.tokenRequestCount).toBe(1);
    expect(new Set(all.map((token) => token.accessToken)).size).toBe(1);
  });

  it('concurrent refresh() calls share one request', async () => {
    const { tokens } = await start();
    const first = await tokens.getToken();
    const [a, b, c] = await Promise.all([tokens.refresh(), tokens.refresh(), tokens.getToken()]);
    expect(fake.tokenRequestCount).toBe(2);
    expect(a.accessToken).toBe(b.accessToken);
    expect(a.accessToken).not.toBe(first.accessToken);
    expect(c.accessToken).toBe(first.accessToken); // still usable, so served at once
  });
});

describe('status()', () => {
  it('reports health without ever starting a token request', async () => {
    const app = await start();
    expect(app.tokens.status()).toMatchObject({ token: undefined, refreshing: false, consecutiveFailures: 0 });
    expect(fake.tokenRequestCount).toBe(0);
    fake.injectTokenFault({ type: 'status', status: 503 }, 1);
    const failed = nextEvent(app.tokens.events$, 'refresh-failed');
    const pending = app.tokens.getToken();
    const { nextDelayMs, servingPrevious } = await failed;
    expect(servingPrevious).toBe(false);
    const failing = app.tokens.status();
    expect(failing).toMatchObject({ token: undefined, consecutiveFailures: 1, lastError: { status: 503 } });
    expect(nextDelayMs).toBeGreaterThan(0);
    expect(failing.nextAttemptAt!.getTime()).toBe(Math.trunc(app.clock.wallNow() + nextDelayMs!));
    app.clock.advance(500);
    const token = await pending;
    expect(app.tokens.status()).toMatchObject({ token, consecutiveFailures: 0, lastError: undefined, nextAttemptAt: undefined });
    expect(fake.tokenRequestCount).toBe(2);
  });
});

describe('refresh ahead', () => {
  it('refreshes in the background inside the jittered window, with no caller waiting', async () => {
    const app = await start();
    const events = recordEvents(app.tokens.events$);
    const first = await app.tokens.getToken();
    expect(first.refreshAt.getTime() - first.obtainedAt.getTime()).toBeGreaterThanOrEqual(75_000);
    expect(first.refreshAt.getTime() - first.obtainedAt.getTime()).toBeLessThanOrEqual(85_000);

    advanceToFraction(app, first, 0.74);
    expect(fake.tokenRequestCount).toBe(1);
    const refreshed = nextEvent(app.tokens.events$, 'refreshed');
    advanceToFraction(app, first, 0.851);
    await refreshed;
    expect(fake.tokenRequestCount).toBe(2);

    const second = await app.tokens.getToken();
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(fake.tokenRequestCount).toBe(2);
    expect(events.map((event) => [event.type, 'source' in event ? event.source : undefined])).toEqual([
      ['acquired', 'endpoint'],
      ['refreshed', 'endpoint'],
    ]);
  });

  it('a token whose lifetime has passed on the monotonic clock is never handed out', async () => {
    const app = await start({ retry: { initialDelayMs: 1_000, maxDelayMs: 1_000 } });
    const first = await app.tokens.getToken();
    fake.injectTokenFault({ type: 'status', status: 503 });
    const expired = nextEvent(app.tokens.events$, 'expired');
    advanceToFraction(app, first, 0.9);
    await expired;
    const attempt = app.tokens.getToken();
    app.clock.advance(10_000);
    await expect(attempt).rejects.toBeInstanceOf(DinteroTokenUnavailableError);
  });

  it('moving the wall clock by an hour either way neither expires nor stretches a token', async () => {
    const app = await start();
    const first = await app.tokens.getToken();
    app.clock.jumpWallClock(60 * 60 * 1000);
    expect((await app.tokens.getToken()).accessToken).toBe(first.accessToken);
    app.clock.jumpWallClock(-2 * 60 * 60 * 1000);
    expect((await app.tokens.getToken()).accessToken).toBe(first.accessToken);
    expect(fake.tokenRequestCount).toBe(1);
    const refreshed = nextEvent(app.tokens.events$, 'refreshed');
    advanceToFraction(app, first, 0.86);
    await refreshed;
    expect(fake.tokenRequestCount).toBe(2);
  });
});

describe('outages', () => {
  it('keeps serving a valid token while the endpoint is down, and recovers once it is back', async () => {
    fake.tokenLifetimeSeconds = 1_000; // room for several retries before the usable time
    const app = await start({ retry: { initialDelayMs: 1_000, maxDelayMs: 4_000 } });
    const first = await app.tokens.getToken();
    fake.injectTokenFault({ type: 'status', status: 503 });
    const failed = nextEvent(app.tokens.events$, 'refresh-failed');
    advanceToFraction(app, first, 0.86);
    const failure = await failed;
    expect(failure).toMatchObject({ attempt: 1, servingPrevious: true });
    expect(failure.nextDelayMs).toBeLessThanOrEqual(1_000);

    for (let i = 0; i < 3; i += 1) {
      const again = nextEvent(app.tokens.events$, 'refresh-failed');
      app.clock.advance(4_000);
      await again;
      expect((await app.tokens.getToken()).accessToken).toBe(first.accessToken);
    }
    const attemptsDuringOutage = fake.tokenRequestCount;
    expect(attemptsDuringOutage).toBe(5);

    fake.clearTokenFaults();
    const refreshed = nextEvent(app.tokens.events$, 'refreshed');
    app.clock.advance(4_000);
    await refreshed;
    expect((await app.tokens.getToken()).accessToken).not.toBe(first.accessToken);
    expect(app.tokens.status().lastError).toBeUndefined();
  });

  it('a late refresh timer does not matter: the first peek at or past the refresh point starts it', async () => {
    const app = await start();
    app.clock.pinRandom(0); // the refresh point falls on a whole millisecond
    const token = await app.tokens.getToken();
    const toRefresh = token.refreshAt.getTime() - app.clock.wallNow();
    app.clock.freeze(toRefresh - 1); // no timer runs while frozen
    expect(app.tokens.peekToken()).toBe(token);
    expect(app.tokens.status().refreshing).toBe(false);
    app.clock.freeze(1);
    expect(app.tokens.peekToken()).toBe(token);
    expect(app.tokens.status().refreshing).toBe(true);
    const refreshed = nextEvent(app.tokens.events$, 'refreshed');
    expect(app.tokens.peekToken()).toBe(token); // one refresh in flight, not a second
    await refreshed;
    expect(fake.tokenRequestCount).toBe(2);
  });

  it('a token that arrives at its usable-until time is refused, and the next attempt replaces it', async () => {
    fake.tokenLifetimeSeconds = 10;
    const app = await start({ acquireTimeoutMs: 60_000 });
    const failed = nextEvent(app.tokens.events$, 'refresh-failed');
    const pending = app.tokens.getToken();
    // Before the answer can arrive: a 10 s token is usable for 9 s from its request.
    app.clock.freeze(9_000);
    const { error } = await failed;
    expect(error).toBeInstanceOf(DinteroTokenResponseError);
    expect(error.message).toContain('a 10000 ms token took 9000 ms to arrive and was no longer usable');
    app.clock.advance(1_000);
    const token = await pending;
    expect(token.usableUntil.getTime()).toBeGreaterThan(app.clock.wallNow());
    expect(fake.tokenRequestCount).toBe(2);
  });

  it('a token found stale after a frozen event loop is replaced by exactly one request', async () => {
    const app = await start();
    const first = await app.tokens.getToken();
    app.clock.freeze(LIFETIME_S * 1000); // no timer has run: the expiry timer is overdue
    app.tokens.token$.subscribe();
    const next = await app.tokens.getToken();
    expect(next.accessToken).not.toBe(first.accessToken);
    expect(fake.tokenRequestCount).toBe(2);
    app.clock.advance(0); // the overdue timers find nothing to do
    expectIdle(app, fake, 2);
  });

  it('a caller is told at once when the next attempt is later than it can wait', async () => {
    const app = await start({ acquireTimeoutMs: 5_000 });
    fake.injectTokenFault({ type: 'status', status: 429, retryAfter: 20 }, 1);
    const error = await app.tokens.getToken().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ reason: 'backoff', cause: { status: 429, retryAfterMs: 20_000 } });
    expect(fake.tokenRequestCount).toBe(1);
  });

  it('honours Retry-After on 429 before the next attempt', async () => {
    const app = await start({ acquireTimeoutMs: 30_000 });
    fake.injectTokenFault({ type: 'status', status: 429, retryAfter: 5 }, 1);
    const failed = nextEvent(app.tokens.events$, 'refresh-failed');
    const pending = app.tokens.getToken();
    expect((await failed).nextDelayMs).toBeGreaterThanOrEqual(5_000);
    app.clock.advance(4_900);
    expectIdle(app, fake, 1);
    app.clock.advance(100);
    expect(app.tokens.status().refreshing).toBe(true);
    await pending;
    expect(fake.tokenRequestCount).toBe(2);
  });

  it('caps Retry-After at the backoff cap', async () => {
    const app = await start({ acquireTimeoutMs: 30_000, retry: { initialDelayMs: 100, maxDelayMs: 2_000 } });
    fake.injectTokenFault({ type: 'status', status: 429, retryAfter: 3600 }, 1);
    const failed = nextEvent(app.tokens.events$, 'refresh-failed');
    const pending = app.tokens.getToken();
    expect((await failed).nextDelayMs).toBe(2_000);
    app.clock.advance(2_000);
    await pending;
    expect(fake.tokenRequestCount).toBe(2);
  });

  it.each([500, 502, 503])('retries %i with exponential backoff, then succeeds', async (status) => {
    const app = await start({ retry: { initialDelayMs: 200, maxDelayMs: 10_000 } });
    fake.injectTokenFault({ type: 'status', status }, 3);
    const events = recordEvents(app.tokens.events$);
    const pending = app.tokens.getToken();
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      await eventually(() => events.length === attempt, 5_000, `failure ${attempt}`);
      const event = events[attempt - 1]!;
      expect(event).toMatchObject({ type: 'refresh-failed', attempt });
      if (event.type === 'refresh-failed') expect(event.nextDelayMs).toBeLessThanOrEqual(200 * 2 ** (attempt - 1));
      app.clock.advance(200 * 2 ** (attempt - 1));
    }
    await pending;
    expect(fake.tokenRequestCount).toBe(4);
  });

  it.each([
    ['HTML', { type: 'body', body: '<html><body>Bad gateway</body></html>', contentType: 'text/html' }],
    ['an empty object', { type: 'body', body: '{}' }],
    ['a wrong token_type', { type: 'body', body: '{"access_token":"abc","token_type":"mac","expires_in":60}' }],
    ['a truncated body', { type: 'truncate' }],
    ['a reset connection', { type: 'reset' }],
  ] as const)('treats %s as a failed attempt and retries', async (_name, fault) => {
    const app = await start({ retry: { initialDelayMs: 100, maxDelayMs: 100 } });
    fake.injectTokenFault(fault, 1);
    const failed = nextEvent(app.tokens.events$, 'refresh-failed');
    const pending = app.tokens.getToken();
    expect((await failed).error.retryable).toBe(true);
    app.clock.advance(100);
    await pending;
    expect(fake.tokenRequestCount).toBe(2);
  });

  it('a request slower than requestTimeoutMs fails as a timeout and is retried', async () => {
    app = await startTokenApp(fakeOptions(fake, { requestTimeoutMs: 100, retry: { initialDelayMs: 10, maxDelayMs: 10 } }));
    fake.injectTokenFault({ type: 'delay', ms: 1_000 }, 1);
    const failed = nextEvent(app.tokens.events$, 'refresh-failed');
    const token = await app.tokens.getToken();
    expect((await failed).error).toMatchObject({ code: 'DINTERO_TOKEN_NETWORK', failure: 'timeout' });
    expect(fake.verifyToken(token.accessToken)).toBeDefined();
  });
});

describe('errors that retrying cannot fix', () => {
  it.each([
    [400, { type: 'status', status: 400, code: 'invalid_request' }],
    [401, { type: 'status', status: 401, code: 'invalid_client' }],
    [403, { type: 'status', status: 403, code: 'mfa_required' }],
  ] as const)("%i is not retried, and reaches the caller with Dintero's code", async (status, fault) => {
    const app = await start();
    fake.injectTokenFault(fault);
    const error = await app.tokens.getToken().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DinteroTokenRequestError);
    expect(error).toMatchObject({ status, dinteroCode: fault.code, retryable: false });
    app.clock.advance(10 * 60_000);
    expectIdle(app, fake, 1);
  });

  it('bad credentials are sent as configured, and the refusal reaches the caller with the status the endpoint answered', async () => {
    const app = await start({ clientSecret: 'not-the-secret' });
    const error = await app.tokens.getToken().catch((caught: unknown) => caught);
    const [sent] = fake.tokenRequests;
    const basic = Buffer.from(String(sent!.headers.authorization).replace(/^Basic /, ''), 'base64').toString();
    expect(basic).toBe(`${FAKE_DINTERO_CLIENT.clientId}:not-the-secret`);
    expect(error).toBeInstanceOf(DinteroTokenRequestError);
    expect(error).toMatchObject({ status: sent!.status, retryable: false });
  });

  it('a caller during the backoff after a refusal gets that refusal at once, and no request is made for it', async () => {
    const app = await start({ retry: { initialDelayMs: 60_000, maxDelayMs: 60_000 } });
    app.clock.pinRandom(0.99);
    fake.injectTokenFault({ type: 'status', status: 401, code: 'invalid_client' }, 1);
    const refusal = await app.tokens.getToken().catch((caught: unknown) => caught);
    expect(refusal).toBeInstanceOf(DinteroTokenRequestError);
    app.clock.advance(1_000);
    expect(await settledThisTurn(app.tokens.getToken().catch((caught: unknown) => caught))).toBe(refusal);
    expectIdle(app, fake, 1);
  });

  it('the next demand after the backoff tries again', async () => {
    const app = await start({ retry: { initialDelayMs: 1_000, maxDelayMs: 1_000 } });
    fake.injectTokenFault({ type: 'status', status: 401 }, 1);
    await expect(app.tokens.getToken()).rejects.toBeInstanceOf(DinteroTokenRequestError);
    app.clock.advance(1_000);
    await expect(app.tokens.getToken()).resolves.toBeDefined();
    expect(fake.tokenRequestCount).toBe(2);
  });
});

describe('refresh()', () => {
  it('respects the backoff after a failure, so repeated calls do not hammer the endpoint', async () => {
    const app = await start({ acquireTimeoutMs: 30_000 });
    const held = await app.tokens.getToken();
    fake.injectTokenFault({ type: 'status', status: 429, retryAfter: 5 }, 1);
    const failed = nextEvent(app.tokens.events$, 'refresh-failed');
    const first = app.tokens.refresh();
    await failed;
    const second = app.tokens.refresh();
    expectIdle(app, fake, 2);
    expect((await app.tokens.getToken()).accessToken).toBe(held.accessToken);
    app.clock.advance(5_000);
    const [a, b] = await Promise.all([first, second]);
    expect(a.accessToken).toBe(b.accessToken);
    expect(a.accessToken).not.toBe(held.accessToken);
    expect(fake.tokenRequestCount).toBe(3);
  });

  it('while a token is held, a failure whose backoff outlasts the wait is told at once, and no probe is made for it', async () => {
    const app = await start({ retry: { initialDelayMs: 20_000, maxDelayMs: 20_000, demandIntervalMs: 1_000 } });
    app.clock.pinRandom(0.99);
    const held = await app.tokens.getToken();
    fake.injectTokenFault({ type: 'status', status: 503 }, 1);
    const failed = nextEvent(app.tokens.events$, 'refresh-failed');
    const outcome = app.tokens.refresh().catch((caught: unknown) => caught);
    await failed;
    // A caller probes sooner only when it has no token at all; this one has the held token.
    expect(await settledThisTurn(outcome)).toMatchObject({ reason: 'backoff' });
    expect(app.tokens.peekToken()).toBe(held);
    app.clock.advance(19_000);
    expectIdle(app, fake, 2);
  });
});

describe('invalidate', () => {
  it('drops the current token only when given that token, and the next demand fetches again', async () => {
    const app = await start();
    const first = await app.tokens.getToken();
    expect(app.tokens.invalidate('some-other-token')).toBe(false);
    expect(app.tokens.invalidate(first)).toBe(true);
    expect(app.tokens.invalidate(first)).toBe(false);
    const second = await app.tokens.getToken();
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(app.tokens.invalidate(first.accessToken)).toBe(false);
    expect((await app.tokens.getToken()).accessToken).toBe(second.accessToken);
    expect(fake.tokenRequestCount).toBe(2);
  });
});

describe('waiting, usability and the end', () => {
  it('a caller that waits out acquireTimeoutMs is told where the token was asked for and for how long', async () => {
    const app = await start({ acquireTimeoutMs: 1_000 });
    fake.injectTokenFault({ type: 'delay', ms: 2_000 }, 1);
    const pending = app.tokens.getToken().catch((caught: unknown) => caught);
    await eventually(() => fake.tokenRequestCount === 1);
    app.clock.advance(999);
    app.clock.advance(1);
    const error = await pending;
    expect(error).toBeInstanceOf(DinteroTokenUnavailableError);
    expect(error).toMatchObject({ reason: 'timeout', retryable: true });
    expect((error as Error).message).toBe(
      `No Dintero access token available: no token arrived from ${fake.baseUrl}/accounts/${FAKE_DINTERO_CLIENT.accountId}/auth/token within acquireTimeoutMs (1000 ms); the request is still unanswered: check that the endpoint is reachable and answers, or raise requestTimeoutMs`,
    );
  });

  it('a token is usable until, not at, its usable-until time; found stale, it is reported expired', async () => {
    const app = await start();
    app.clock.pinRandom(0);
    const token = await app.tokens.getToken();
    const events = recordEvents(app.tokens.events$);
    // status() starts nothing (a peek here would start the overdue refresh).
    app.clock.freeze(token.usableUntil.getTime() - app.clock.wallNow() - 1);
    expect(app.tokens.status().token).toBe(token);
    app.clock.freeze(1);
    expect(app.tokens.status().token).toBeUndefined();
    expect(app.tokens.peekToken()).toBeUndefined();
    const next = app.tokens.getToken();
    expect(events[0]).toEqual({ type: 'expired', fingerprint: token.fingerprint });
    expect((await next).accessToken).not.toBe(token.accessToken);
  });

  it('a failing background refresh, with the token still served and nobody waiting, keeps to the backoff', async () => {
    const app = await start({ retry: { initialDelayMs: 10_000, maxDelayMs: 10_000, demandIntervalMs: 1_000 } });
    const token = await app.tokens.getToken();
    fake.injectTokenFault({ type: 'status', status: 503 });
    const failed = nextEvent(app.tokens.events$, 'refresh-failed');
    app.clock.advance(token.refreshAt.getTime() - app.clock.wallNow() + 1);
    const { nextDelayMs } = await failed;
    app.clock.advance(Math.min(nextDelayMs!, 9_000) - 1);
    expectIdle(app, fake, 2);
  });

  it('invalidating with nobody waiting starts nothing; the next demand fetches', async () => {
    const app = await start();
    await app.tokens.getToken();
    app.tokens.invalidate();
    expectIdle(app, fake, 1);
    await app.tokens.getToken();
    expect(fake.tokenRequestCount).toBe(2);
  });

  it('after shutdown, every way of asking says so, and waiting callers are told', async () => {
    const app = await start();
    fake.injectTokenFault({ type: 'delay', ms: 2_000 }, 1);
    const waiting = app.tokens.getToken().catch((caught: unknown) => caught);
    await eventually(() => fake.tokenRequestCount === 1);
    await app.close();
    const shutdown = { reason: 'shutdown', retryable: false, message: 'No Dintero access token available: the module is shutting down' };
    expect(await waiting).toMatchObject(shutdown);
    await expect(app.tokens.getToken()).rejects.toMatchObject(shutdown);
    await expect(app.tokens.refresh()).rejects.toMatchObject(shutdown);
    expect(app.tokens.peekToken()).toBeUndefined();
  });

  it('after shutdown, a token still within its usable time is handed out by no way of asking', async () => {
    const app = await start();
    await app.tokens.getToken();
    await app.close();
    expect(app.tokens.peekToken()).toBeUndefined();
    expect(app.tokens.status().token).toBeUndefined();
    await expect(app.tokens.getToken()).rejects.toMatchObject({ reason: 'shutdown' });
  });

  it('getAccessToken() is the bearer string of getToken()', async () => {
    const app = await start();
    expect(await app.tokens.getAccessToken()).toBe((await app.tokens.getToken()).accessToken);
  });
});

describe('token$', () => {
  it('is lazy, replays the current token, emits each new one and completes on shutdown', async () => {
    const app = await start();
    app.clock.advance(LIFETIME_S * 1000);
    expectIdle(app, fake, 0);

    const seen: string[] = [];
    let completed = false;
    app.tokens.token$.subscribe({ next: (token) => seen.push(token.accessToken), complete: () => (completed = true) });
    await eventually(() => seen.length === 1, 5_000, 'first token');
    expect(fake.tokenRequestCount).toBe(1);

    const late: string[] = [];
    app.tokens.token$.subscribe((token) => late.push(token.accessToken));
    expect(late).toEqual(seen);

    const first = await app.tokens.getToken();
    advanceToFraction(app, first, 0.86);
    await eventually(() => seen.length === 2, 5_000, 'refreshed token');
    expect(seen[1]).not.toBe(seen[0]);

    await app.close();
    expect(completed).toBe(true);
  });

  it('subscribed while a token is held, it starts no request before the refresh point', async () => {
    const app = await start();
    const token = await app.tokens.getToken();
    const seen: string[] = [];
    app.tokens.token$.subscribe((held) => seen.push(held.accessToken));
    expect(seen).toEqual([token.accessToken]);
    expectIdle(app, fake, 1);
  });

  it('keeps trying for its subscribers after an error that retrying cannot fix, spaced by the backoff', async () => {
    const app = await start({ retry: { initialDelayMs: 1_000, maxDelayMs: 1_000 } });
    fake.injectTokenFault({ type: 'status', status: 401 }, 1);
    const failed = nextEvent(app.tokens.events$, 'refresh-failed');
    const seen: string[] = [];
    app.tokens.token$.subscribe((token) => seen.push(token.accessToken));
    expect((await failed).nextDelayMs).toBeUndefined();
    expect(fake.tokenRequestCount).toBe(1);
    app.clock.advance(1_000);
    await eventually(() => seen.length === 1, 5_000, 'a token for the subscriber');
    expect(fake.tokenRequestCount).toBe(2);
  });

  it('never emits a token past its usable time, and fetches again for its subscribers', async () => {
    const app = await start({ retry: { initialDelayMs: 1_000, maxDelayMs: 1_000 } });
    const first = await app.tokens.getToken();
    fake.injectTokenFault({ type: 'status', status: 503 });
    const expired = nextEvent(app.tokens.events$, 'expired');
    advanceToFraction(app, first, 0.95);
    await expired;

    const seen: string[] = [];
    app.tokens.token$.subscribe((token) => seen.push(token.accessToken));
    expect(seen).toEqual([]);
    // The subscription may have started an attempt, against the failing endpoint: let it end.
    await eventually(() => !app.tokens.status().refreshing, 5_000, 'the attempt in flight to end');
    expect(seen).toEqual([]);

    fake.clearTokenFaults();
    const acquired = nextEvent(app.tokens.events$, 'acquired');
    app.clock.advance(1_000);
    await acquired;
    expect(seen).toHaveLength(1);
    expect(seen[0]).not.toBe(first.accessToken);
  });

  it('its subscribers are not waiting callers: after a failure they wait out the backoff, with no probe sooner', async () => {
    const app = await start({ retry: { initialDelayMs: 20_000, maxDelayMs: 20_000, demandIntervalMs: 1_000 } });
    app.clock.pinRandom(0.99);
    fake.injectTokenFault({ type: 'status', status: 503 }, 1);
    const failed = nextEvent(app.tokens.events$, 'refresh-failed');
    const seen: string[] = [];
    app.tokens.token$.subscribe((token) => seen.push(token.accessToken));
    expect(Math.round((await failed).nextDelayMs!)).toBe(19_800);
    app.clock.advance(19_800 - 1);
    expectIdle(app, fake, 1);
    const acquired = nextEvent(app.tokens.events$, 'acquired');
    app.clock.advance(1);
    await acquired;
    expect(seen).toHaveLength(1);
  });

  it('a caller arriving while its subscribers wait out a long backoff is served by a probe within demandIntervalMs', async () => {
    const app = await start({ retry: { initialDelayMs: 20_000, maxDelayMs: 20_000, demandIntervalMs: 1_000 } });
    app.clock.pinRandom(0.99);
    fake.injectTokenFault({ type: 'status', status: 503 }, 1);
    const failed = nextEvent(app.tokens.events$, 'refresh-failed');
    app.tokens.token$.subscribe();
    await failed;
    const caller = app.tokens.getToken();
    app.clock.advance(999);
    expectIdle(app, fake, 1);
    app.clock.advance(1);
    expect(app.tokens.status().refreshing, 'the probe started').toBe(true);
    await caller;
    expect(fake.tokenRequestCount).toBe(2);
  });

  it('stops trying once its last subscriber leaves', async () => {
    const app = await start({ retry: { initialDelayMs: 1_000, maxDelayMs: 1_000 } });
    app.clock.pinRandom(0.5);
    fake.injectTokenFault({ type: 'status', status: 503 });
    let failed = nextEvent(app.tokens.events$, 'refresh-failed');
    const first = app.tokens.token$.subscribe();
    const second = app.tokens.token$.subscribe();
    await failed;
    first.unsubscribe();
    failed = nextEvent(app.tokens.events$, 'refresh-failed');
    app.clock.advance(500);
    await failed;
    second.unsubscribe();
    app.clock.advance(60_000);
    expectIdle(app, fake, 2);
  });
});

describe('a token endpoint that breaks its contract', () => {
  it('a failure that is not one of the module’s errors reaches callers by its message only', async () => {
    const config = { clientSecret: FAKE_DINTERO_CLIENT.clientSecret, headers: { authorization: 'Basic c2VjcmV0' } };
    const failures: unknown[] = [Object.assign(new Error('socket exploded'), { config }), 'a bare string'];
    const endpoint: TokenEndpoint = {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the contract broken on purpose
      requestToken: () => Promise.reject(failures.shift() ?? new Error('a third attempt')),
    };
    const retry = { initialDelayMs: 1_000, maxDelayMs: 1_000, demandIntervalMs: 1_000 };
    app = await startTokenApp(fakeOptions(fake, { retry, acquireTimeoutMs: 1_500 }), new ManualClock(), endpoint);
    const { tokens, clock } = app as ManualTokenApp;
    clock.pinRandom(0.99);
    const events = recordEvents(tokens.events$);
    const pending = tokens.getToken().catch((caught: unknown) => caught);
    await eventually(() => events.length === 1, 5_000, 'the first failure');
    // The retry after 990 ms fails too; the next would come after the caller's 1.5 s: it is told now.
    clock.advance(1_000);
    await eventually(() => events.length === 2, 5_000, 'the second failure');
    const errors = events.map((event) => (event.type === 'refresh-failed' ? event.error : undefined));
    expect(errors.map((error) => error?.message)).toEqual([
      'Dintero token response is unusable: unexpected failure: socket exploded',
      'Dintero token response is unusable: unexpected failure: a bare string',
    ]);
    for (const error of errors) {
      expect(error).toBeInstanceOf(DinteroTokenResponseError);
      const shown = `${JSON.stringify(error)} ${inspect(error, { depth: 5 })}`;
      expect(shown).not.toMatch(/c2VjcmV0|clientSecret|headers/);
      expect(shown).not.toContain(FAKE_DINTERO_CLIENT.clientSecret);
    }
    expect(await pending).toMatchObject({ reason: 'backoff', cause: errors[1] });
  });
});
