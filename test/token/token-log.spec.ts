import { Logger } from '@nestjs/common';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_DINTERO_CLIENT, type FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import { DinteroAuthError, DinteroErrorCode, MemoryTokenStore } from '../../lib/index.js';
import { TokenEventBus } from '../../lib/token/token-event-bus.js';
import { TokenLog } from '../../lib/token/token-log.js';
import { CaptureLogger } from '../support/capture-logger.js';
import { nextEvent, recordEvents } from '../support/events.js';
import { ManualClock } from '../../lib/testing/manual-clock.js';
import { fakeOptions, startFake, startTokenApp, type TokenApp } from '../support/token-app.js';

// What an operator reads in the log about tokens: one line per step of a token's life, with
// fingerprints, times and what happens next; never a token (redaction.spec.ts checks that).

let fake: FakeDinteroServer;
let app: (TokenApp & { clock: ManualClock }) | undefined;

beforeAll(async () => {
  fake = await startFake(100);
});
afterEach(async () => {
  await app?.close();
  app = undefined;
  fake.clearTokenFaults();
});
afterAll(() => fake.stop());

async function start(): Promise<TokenApp & { clock: ManualClock }> {
  app = (await startTokenApp(
    fakeOptions(fake, { retry: { initialDelayMs: 1_000, maxDelayMs: 1_000 }, acquireTimeoutMs: 60_000 }),
    new ManualClock(),
  )) as TokenApp & { clock: ManualClock };
  return app;
}

/** The module's own lines (Nest's start-up lines aside). */
const tokenLines = (app: TokenApp) => app.logger.lines.filter((line) => line.endsWith(' DinteroAuth'));

describe('the token log', () => {
  it('tells each step: acquired, a failed refresh while serving, refreshed, invalidated', async () => {
    const app = await start();
    const first = await app.tokens.getToken();
    const events = recordEvents(app.tokens.events$);

    fake.injectTokenFault({ type: 'status', status: 503 }, 1);
    const failure = nextEvent(app.tokens.events$, 'refresh-failed');
    app.clock.advance(first.refreshAt.getTime() - app.clock.wallNow() + 1);
    const { error, nextDelayMs } = await failure;
    const refreshed = nextEvent(app.tokens.events$, 'refreshed');
    app.clock.advance(nextDelayMs!);
    await refreshed;
    const second = await app.tokens.getToken();
    app.tokens.invalidate();

    expect(events.map((event) => event.type)).toEqual(['refresh-failed', 'refreshed', 'invalidated']);
    expect(tokenLines(app)).toEqual([
      `debug Token of account ${FAKE_DINTERO_CLIENT.accountId} acquired: ${first.fingerprint}, expires ${first.expiresAt.toISOString()} DinteroAuth`,
      `warn Token request of account ${FAKE_DINTERO_CLIENT.accountId} failed (attempt 1, POST ${fake.baseUrl}/accounts/${FAKE_DINTERO_CLIENT.accountId}/auth/token): ${error.message}; next attempt in ${Math.round(nextDelayMs!)} ms; still serving the current token DinteroAuth`,
      `debug Token of account ${FAKE_DINTERO_CLIENT.accountId} refreshed: ${first.fingerprint} -> ${second.fingerprint}, expires ${second.expiresAt.toISOString()} DinteroAuth`,
      `debug Token ${second.fingerprint} of account ${FAKE_DINTERO_CLIENT.accountId} invalidated DinteroAuth`,
    ]);
  });

  it('says when a token came from the shared store', async () => {
    const store = new MemoryTokenStore();
    const options = fakeOptions(fake, { store });
    const [first, second] = [await startTokenApp(options, new ManualClock()), await startTokenApp(options, new ManualClock())];
    try {
      await first.tokens.getToken();
      const shared = await second.tokens.getToken();
      // Nest's logger is one per process: both apps' lines land in the last one set.
      expect(tokenLines(second)).toContain(
        `debug Token of account ${FAKE_DINTERO_CLIENT.accountId} acquired (from the shared store): ${shared.fingerprint}, expires ${shared.expiresAt.toISOString()} DinteroAuth`,
      );
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it('says when a failure is not retried, and when a token runs out with no successor', async () => {
    const app = await start();
    const held = await app.tokens.getToken();
    fake.injectTokenFault({ type: 'status', status: 401, code: 'invalid_client' });
    const refused = nextEvent(app.tokens.events$, 'refresh-failed');
    app.clock.advance(held.refreshAt.getTime() - app.clock.wallNow() + 1);
    const { error } = await refused;
    app.clock.advance(held.usableUntil.getTime() - app.clock.wallNow() + 1);

    expect(tokenLines(app).filter((line) => line.startsWith('warn '))).toEqual([
      `warn Token request of account ${FAKE_DINTERO_CLIENT.accountId} failed (attempt 1, POST ${fake.baseUrl}/accounts/${FAKE_DINTERO_CLIENT.accountId}/auth/token): ${error.message}; not retried until the next demand; still serving the current token DinteroAuth`,
      `warn Token ${held.fingerprint} of account ${FAKE_DINTERO_CLIENT.accountId} reached its usable-until time without a successor DinteroAuth`,
    ]);
  });

  it('says when no token is held while a request fails, and when the next attempt is', async () => {
    const app = await start();
    fake.injectTokenFault({ type: 'status', status: 503 }, 1);
    const failed = nextEvent(app.tokens.events$, 'refresh-failed');
    const pending = app.tokens.getToken();
    const { error, nextDelayMs } = await failed;
    expect(tokenLines(app).filter((line) => line.startsWith('warn '))).toEqual([
      `warn Token request of account ${FAKE_DINTERO_CLIENT.accountId} failed (attempt 1, POST ${fake.baseUrl}/accounts/${FAKE_DINTERO_CLIENT.accountId}/auth/token): ${error.message}; next attempt in ${Math.round(nextDelayMs!)} ms DinteroAuth`,
    ]);
    app.clock.advance(1_000);
    await pending;
  });
});

class Failure extends DinteroAuthError {
  readonly code = DinteroErrorCode.TOKEN_RESPONSE;
  readonly retryable = true;
}

describe('TokenLog', () => {
  it('writes one line per event, from the event alone, and nothing once the bus completes', () => {
    const logger = new CaptureLogger();
    Logger.overrideLogger(logger);
    const bus = new TokenEventBus();
    new TokenLog(bus, { accountId: 'T12345678', tokenUrl: 'https://checkout.dintero.com/v1/accounts/T12345678/auth/token' });
    const expiresAt = new Date(Date.UTC(2026, 10, 28, 13, 0, 0));
    const refreshAt = new Date(Date.UTC(2026, 10, 28, 12, 45, 0));
    const error = new Failure('the token endpoint refused the connection');
    bus.emit({ type: 'acquired', source: 'endpoint', fingerprint: 'aaaa', expiresAt, refreshAt });
    bus.emit({ type: 'refreshed', source: 'store', fingerprint: 'bbbb', previousFingerprint: 'aaaa', expiresAt, refreshAt });
    bus.emit({ type: 'refresh-failed', attempt: 2, nextDelayMs: 1234.5, error, servingPrevious: false });
    bus.emit({ type: 'refresh-failed', attempt: 3, nextDelayMs: undefined, error, servingPrevious: true });
    bus.emit({ type: 'expired', fingerprint: 'bbbb' });
    bus.emit({ type: 'invalidated', fingerprint: 'cccc' });
    bus.emit({ type: 'store-failed', message: 'connect ECONNREFUSED' });
    bus.emit({ type: 'store-recovered' });
    bus.emit({
      type: 'store-distrusted',
      key: 'floor',
      message: 'the generation floor was above every lease taken so far (7): put back to 6',
    });
    bus.complete();
    bus.emit({ type: 'invalidated', fingerprint: 'dddd' });
    expect(logger.lines).toEqual([
      'debug Token of account T12345678 acquired: aaaa, expires 2026-11-28T13:00:00.000Z DinteroAuth',
      'debug Token of account T12345678 refreshed (from the shared store): aaaa -> bbbb, expires 2026-11-28T13:00:00.000Z DinteroAuth',
      'warn Token request of account T12345678 failed (attempt 2, POST https://checkout.dintero.com/v1/accounts/T12345678/auth/token): the token endpoint refused the connection; next attempt in 1235 ms DinteroAuth',
      'warn Token request of account T12345678 failed (attempt 3, POST https://checkout.dintero.com/v1/accounts/T12345678/auth/token): the token endpoint refused the connection; not retried until the next demand; still serving the current token DinteroAuth',
      'warn Token bbbb of account T12345678 reached its usable-until time without a successor DinteroAuth',
      'debug Token cccc of account T12345678 invalidated DinteroAuth',
      'warn Token store failed for account T12345678 (connect ECONNREFUSED): fetching tokens without it until it works again DinteroAuth',
      'log Token store works again for account T12345678: sharing tokens with other replicas DinteroAuth',
      'warn Token store not trusted for account T12345678 (floor): the generation floor was above every lease taken so far (7): put back to 6 DinteroAuth',
    ]);
  });
});
