/**
 * Every fault of the token endpoint, at every moment of a token's life: the typed outcome,
 * how many attempts and how far apart, what callers get meanwhile, and recovery.
 * Token time runs on a manual clock; HTTP is real.
 */
import axios from 'axios';
import { firstValueFrom } from 'rxjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_DINTERO_CLIENT, type FakeDinteroServer, type FakeTokenFault } from '../../lib/fake-dintero/index.js';
import {
  type DinteroAccessToken,
  type DinteroAuthError,
  type DinteroTokenEvent,
  DinteroTokenNetworkError,
  DinteroTokenRequestError,
  DinteroTokenResponseError,
  DinteroTokenUnavailableError,
} from '../../lib/index.js';
import { sessionBody } from '../support/checkout.js';
import { nextEvent, recordEvents } from '../support/events.js';
import { ManualClock } from '../../lib/testing/manual-clock.js';
import { eventually, fakeOptions, startFake, startTokenApp, type TokenApp } from '../support/token-app.js';

const LIFETIME_S = 1_000;
// Demand probes no sooner than the backoff cap: these cases check the backoff itself.
const RETRY = { initialDelayMs: 1_000, maxDelayMs: 8_000, demandIntervalMs: 8_000 };
const ACQUIRE_TIMEOUT_MS = 20_000;

interface FaultCase {
  readonly name: string;
  /** A fault the fake plays, or `refuse`: the endpoint is down (ECONNREFUSED). */
  readonly fault: FakeTokenFault | 'refuse';
  readonly retryable: boolean;
  /** The typed error each failed attempt must produce. */
  readonly expectError: (error: DinteroAuthError) => void;
  readonly retryAfterMs?: number;
  /**
   * A body that parses into another DinteroTokenResponseError: the parser's properties cover
   * the body, and the HTML case covers what happens next at every phase, so one phase will do.
   */
  readonly coldStartOnly?: boolean;
}

const status = (code: number, retryAfter?: number): FakeTokenFault => ({
  type: 'status',
  status: code,
  ...(retryAfter ? { retryAfter } : {}),
});
const body = (text: string, contentType = 'application/json'): FakeTokenFault => ({ type: 'body', body: text, contentType });
const badBody = (name: string, text: string, problem: RegExp): FaultCase => ({
  name,
  fault: body(text),
  retryable: true,
  expectError: responseError(problem),
  coldStartOnly: true,
});
const requestError = (code: number, retryAfterMs?: number) => (error: DinteroAuthError) => {
  expect(error).toBeInstanceOf(DinteroTokenRequestError);
  expect(error).toMatchObject({ status: code, retryAfterMs });
};
const networkError = (failure: string, systemCode?: string) => (error: DinteroAuthError) => {
  expect(error).toBeInstanceOf(DinteroTokenNetworkError);
  expect(error).toMatchObject({ failure, ...(systemCode ? { systemCode } : {}) });
};
const responseError = (problem: RegExp) => (error: DinteroAuthError) => {
  expect(error).toBeInstanceOf(DinteroTokenResponseError);
  expect(error.message).toMatch(problem);
};

const FAULTS: FaultCase[] = [
  { name: 'latency beyond the request timeout', fault: { type: 'delay', ms: 400 }, retryable: true, expectError: networkError('timeout') },
  { name: '500', fault: status(500), retryable: true, expectError: requestError(500) },
  { name: '502', fault: status(502), retryable: true, expectError: requestError(502) },
  { name: '503', fault: status(503), retryable: true, expectError: requestError(503) },
  { name: '429 with Retry-After', fault: status(429, 3), retryable: true, expectError: requestError(429, 3_000), retryAfterMs: 3_000 },
  { name: '429 without Retry-After', fault: status(429), retryable: true, expectError: requestError(429) },
  { name: 'connection reset', fault: { type: 'reset' }, retryable: true, expectError: networkError('connection', 'ECONNRESET') },
  { name: 'connection refused', fault: 'refuse', retryable: true, expectError: networkError('connection', 'ECONNREFUSED') },
  { name: 'truncated body', fault: { type: 'truncate' }, retryable: true, expectError: networkError('connection') },
  {
    name: 'HTML body',
    fault: body('<html><h1>502 Bad Gateway</h1></html>', 'text/html'),
    retryable: true,
    expectError: responseError(/not JSON/),
  },
  badBody('{}', '{}', /access_token/),
  badBody('wrong token_type', '{"access_token":"x.y.z","token_type":"mac","expires_in":60}', /token_type/),
  badBody('expires_in 0', '{"access_token":"x.y.z","token_type":"Bearer","expires_in":0}', /expires_in/),
  badBody('expires_in negative', '{"access_token":"x.y.z","token_type":"Bearer","expires_in":-60}', /expires_in/),
  badBody('expires_in a string', '{"access_token":"x.y.z","token_type":"Bearer","expires_in":"3600"}', /expires_in/),
  badBody('expires_in 10 years', '{"access_token":"x.y.z","token_type":"Bearer","expires_in":315360000}', /beyond/),
  { name: '401', fault: status(401), retryable: false, expectError: requestError(401) },
  { name: '403', fault: status(403), retryable: false, expectError: requestError(403) },
];

let fake: FakeDinteroServer;
let app: (TokenApp & { clock: ManualClock }) | undefined;

beforeAll(async () => {
  fake = await startFake(LIFETIME_S);
});
afterEach(async () => {
  await app?.close();
  app = undefined;
  await fake.acceptConnections();
  fake.clearTokenFaults();
  fake.resetCounts();
});
afterAll(() => fake.stop());

async function startApp(): Promise<TokenApp & { clock: ManualClock }> {
  const clock = new ManualClock();
  app = (await startTokenApp(
    fakeOptions(fake, { retry: RETRY, acquireTimeoutMs: ACQUIRE_TIMEOUT_MS, requestTimeoutMs: 150 }),
    clock,
  )) as TokenApp & { clock: ManualClock };
  return app;
}

async function applyFault(fault: FaultCase['fault']): Promise<void> {
  if (fault === 'refuse') await fake.refuseConnections();
  else fake.injectTokenFault(fault);
}

async function clearFault(): Promise<void> {
  fake.clearTokenFaults();
  await fake.acceptConnections();
}

const failures = (events: DinteroTokenEvent[]) =>
  events.filter((event): event is Extract<DinteroTokenEvent, { type: 'refresh-failed' }> => event.type === 'refresh-failed');

/**
 * Waits for failed attempt `attempt`, checks its error and announced delay, then checks that
 * the next attempt comes neither a millisecond before that delay nor later.
 */
async function expectAttemptSpacing(
  app: TokenApp & { clock: ManualClock },
  events: DinteroTokenEvent[],
  testCase: FaultCase,
  attempt: number,
) {
  await eventually(() => failures(events).length >= attempt, 5_000, `failed attempt ${attempt}`);
  const failure = failures(events)[attempt - 1]!;
  expect(failure.attempt).toBe(attempt);
  testCase.expectError(failure.error);
  const ceiling = Math.min(RETRY.maxDelayMs, RETRY.initialDelayMs * 2 ** (attempt - 1));
  const delay = failure.nextDelayMs!;
  expect(delay).toBeGreaterThanOrEqual(testCase.retryAfterMs ?? 0);
  expect(delay).toBeLessThanOrEqual(Math.max(ceiling, testCase.retryAfterMs ?? 0));
  // On the manual clock the next attempt starts inside the advance() that reaches its time.
  if (delay > 0) {
    app.clock.advance(Math.max(0, delay - 1));
    expect(app.tokens.status().refreshing, 'no attempt before the backoff delay').toBe(false);
    app.clock.advance(1);
  }
  expect(app.tokens.status().refreshing, 'the attempt at the backoff delay').toBe(true);
}

/** Whatever happened, no API request went out without a bearer token, and no log line holds a secret. */
function expectNothingLeakedOrUnauthenticated(app: TokenApp): void {
  for (const request of fake.apiRequests) expect(request.headers.authorization).toMatch(/^Bearer \S+$/);
  const secrets = [FAKE_DINTERO_CLIENT.clientSecret, ...fake.issuedTokens];
  for (const line of app.logger.lines) for (const secret of secrets) expect(line).not.toContain(secret);
}

/** An API call during the fault: it succeeds with a token, or fails with a token error unsent. */
async function apiCallDuringFault(app: TokenApp): Promise<'sent' | 'withheld' | 'unreachable'> {
  const before = fake.apiRequestCount;
  try {
    await firstValueFrom(app.http.post('/sessions-profile', sessionBody()));
    return 'sent';
  } catch (error) {
    // The fake serves the API too: while it refuses connections, so does the API.
    if (axios.isAxiosError(error) && error.code === 'ECONNREFUSED') return 'unreachable';
    expect(error).toSatisfy(
      (caught: unknown) => caught instanceof DinteroTokenUnavailableError || caught instanceof DinteroTokenRequestError,
    );
    expect(fake.apiRequestCount).toBe(before);
    return 'withheld';
  }
}

describe.each(FAULTS.filter((testCase) => testCase.retryable))('retryable fault: $name', (testCase) => {
  it('at cold start: attempts back off with jitter, the caller waits, recovery serves it', async () => {
    const app = await startApp();
    const events = recordEvents(app.tokens.events$);
    await applyFault(testCase.fault);
    const pending = app.tokens.getToken();
    for (let attempt = 1; attempt <= 3; attempt += 1) await expectAttemptSpacing(app, events, testCase, attempt);
    await eventually(() => failures(events).length === 4, 5_000, 'failed attempt 4');
    await clearFault();
    app.clock.advance(failures(events)[3]!.nextDelayMs!);
    const token = await pending;
    expect(fake.verifyToken(token.accessToken)).toBeDefined();
    expect(events.at(-1)).toMatchObject({ type: 'acquired' });
    expectNothingLeakedOrUnauthenticated(app);
  });

  if (testCase.coldStartOnly) return;

  it('during background refresh: the valid token keeps being served, then is replaced', async () => {
    const app = await startApp();
    const held = await app.tokens.getToken();
    const events = recordEvents(app.tokens.events$);
    await applyFault(testCase.fault);
    app.clock.advance(held.timeline.refreshAt - app.clock.now());
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      await expectAttemptSpacing(app, events, testCase, attempt);
      expect((await app.tokens.getToken()).accessToken).toBe(held.accessToken);
      expect(await apiCallDuringFault(app)).toBe(testCase.fault === 'refuse' ? 'unreachable' : 'sent');
    }
    expect(failures(events).every((event) => event.servingPrevious)).toBe(true);
    await eventually(() => failures(events).length === 4, 5_000, 'failed attempt 4');
    await clearFault();
    const refreshed = nextEvent(app.tokens.events$, 'refreshed');
    app.clock.advance(failures(events)[3]!.nextDelayMs!);
    await refreshed;
    expect((await app.tokens.getToken()).accessToken).not.toBe(held.accessToken);
    expectNothingLeakedOrUnauthenticated(app);
  });

  it('after the usable time: callers get a typed error in bounded time and nothing is sent; then recovery', async () => {
    const app = await startApp();
    const held = await app.tokens.getToken();
    const events = recordEvents(app.tokens.events$);
    await applyFault(testCase.fault);
    app.clock.advance(held.timeline.refreshAt - app.clock.now());
    await eventually(() => failures(events).length >= 1, 5_000, 'the first failed refresh');
    app.clock.advance(held.timeline.usableUntil - app.clock.now());
    expect(events.some((event) => event.type === 'expired')).toBe(true);

    const waiting = app.tokens.getToken().catch((error: unknown) => error);
    // Each waiter arms its deadline on the clock: wait until the API call's caller waits too.
    const timers = app.clock.pendingTimers;
    const call = apiCallDuringFault(app);
    await eventually(() => app.clock.pendingTimers > timers, 5_000, 'the API call to wait for a token');
    app.clock.advance(ACQUIRE_TIMEOUT_MS);
    const error = (await waiting) as DinteroTokenUnavailableError;
    expect(error).toBeInstanceOf(DinteroTokenUnavailableError);
    testCase.expectError(error.cause as DinteroAuthError);
    expect(await call).toBe('withheld');

    await eventually(() => app.tokens.status().refreshing === false, 5_000, 'the attempt in flight to end');
    await clearFault();
    const acquired = nextEvent(app.tokens.events$, 'acquired');
    const recovered = app.tokens.getToken();
    app.clock.advance(RETRY.maxDelayMs);
    await acquired;
    expect((await recovered).accessToken).not.toBe(held.accessToken);
    expect(await apiCallDuringFault(app)).toBe('sent');
    expectNothingLeakedOrUnauthenticated(app);
  });
});

describe.each(FAULTS.filter((testCase) => !testCase.retryable))('fault that retrying cannot fix: $name', (testCase) => {
  it('at cold start: one attempt, the caller gets the error at once, nothing is retried without demand', async () => {
    const app = await startApp();
    await applyFault(testCase.fault);
    const error = (await app.tokens.getToken().catch((caught: unknown) => caught)) as DinteroAuthError;
    testCase.expectError(error);
    expect(error.retryable).toBe(false);
    app.clock.advance(10 * 60_000);
    expect(app.tokens.status().refreshing).toBe(false);
    expect(fake.tokenRequestCount).toBe(1);

    // A new demand tries again (once the backoff allows) and hears the same error; nothing is sent.
    const call = apiCallDuringFault(app);
    await eventually(() => fake.tokenRequestCount === 2, 5_000, 'the second demand to try');
    expect(await call).toBe('withheld');

    await clearFault();
    app.clock.advance(RETRY.maxDelayMs);
    await expect(app.tokens.getToken()).resolves.toBeDefined();
    expect(fake.tokenRequestCount).toBe(3);
    expectNothingLeakedOrUnauthenticated(app);
  });

  it('during background refresh: the valid token keeps being served; the refresh is tried again at backoff pace', async () => {
    const app = await startApp();
    const held = await app.tokens.getToken();
    const events = recordEvents(app.tokens.events$);
    await applyFault(testCase.fault);
    app.clock.advance(held.timeline.refreshAt - app.clock.now());
    await eventually(() => failures(events).length === 1, 5_000, 'the failed refresh');
    testCase.expectError(failures(events)[0]!.error);
    expect(failures(events)[0]!.nextDelayMs).toBeUndefined();
    expect((await app.tokens.getToken()).accessToken).toBe(held.accessToken);
    expect(await apiCallDuringFault(app)).toBe('sent');

    await clearFault();
    const refreshed = nextEvent(app.tokens.events$, 'refreshed');
    app.clock.advance(RETRY.maxDelayMs);
    await refreshed;
    expect(fake.tokenRequestCount).toBe(3);
    expectNothingLeakedOrUnauthenticated(app);
  });

  it('after the usable time: callers get the error itself, nothing is sent; then recovery', async () => {
    const app = await startApp();
    const held = await app.tokens.getToken();
    const events = recordEvents(app.tokens.events$);
    await applyFault(testCase.fault);
    app.clock.advance(held.timeline.refreshAt - app.clock.now());
    await eventually(() => failures(events).length >= 1, 5_000, 'the failed refresh');
    app.clock.advance(held.timeline.usableUntil - app.clock.now());
    expect(events.some((event) => event.type === 'expired')).toBe(true);
    await eventually(() => app.tokens.status().refreshing === false, 5_000, 'the attempt in flight to end');

    const waiting = app.tokens.getToken().catch((error: unknown) => error);
    const call = apiCallDuringFault(app);
    app.clock.advance(RETRY.maxDelayMs);
    const error = (await waiting) as DinteroAuthError;
    testCase.expectError(error);
    expect(await call).toBe('withheld');

    await clearFault();
    app.clock.advance(RETRY.maxDelayMs);
    const token: DinteroAccessToken = await app.tokens.getToken();
    expect(token.accessToken).not.toBe(held.accessToken);
    expectNothingLeakedOrUnauthenticated(app);
  });
});
