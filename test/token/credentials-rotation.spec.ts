import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_DINTERO_CLIENT, FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import {
  type DinteroAuthModuleOptions,
  type DinteroClientCredentials,
  DinteroCredentialsError,
  dinteroCredentialsFromFiles,
  type DinteroTokenEvent,
  DinteroTokenRequestError,
  MemoryTokenStore,
} from '../../lib/index.js';
import { ManualClock } from '../../lib/testing/manual-clock.js';
import { sessionBody } from '../support/checkout.js';
import { recordEvents } from '../support/events.js';
import { mountSecret } from '../support/mounted-secret.js';
import { expectNoSecret, printed } from '../support/secret-forms.js';
import { eventually, type ManualTokenApp, startFake, startTokenApp } from '../support/token-app.js';

// Rotating the client secret of a running app: the credentials provider is read again when
// Dintero refuses the secret in use (or on a schedule), and no call fails when the old secret
// still works. Real HTTP to the fake Dintero, real files for the mounted secret, manual time.

const { accountId, clientId } = FAKE_DINTERO_CLIENT;
const OLD = FAKE_DINTERO_CLIENT.clientSecret;
const NEW = 'rotated-client-secret-2';
const basic = (secret: string) => `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`;

let fake: FakeDinteroServer;
let dir: string;
let app: ManualTokenApp | undefined;

beforeEach(async () => {
  fake = await startFake();
  dir = await mkdtemp(join(tmpdir(), 'dintero-rotation-'));
  await mountSecret(dir, clientId, OLD, 1);
});
afterEach(async () => {
  await app?.close();
  app = undefined;
  await fake.stop();
  await rm(dir, { recursive: true, force: true });
});

function mounted() {
  return dinteroCredentialsFromFiles({ clientId: join(dir, 'client-id'), clientSecret: join(dir, 'client-secret') });
}

async function start(overrides: Partial<DinteroAuthModuleOptions> = {}): Promise<ManualTokenApp> {
  const clock = new ManualClock();
  clock.pinRandom(0.5);
  const options = { accountId, baseUrl: fake.baseUrl, allowInsecureLoopback: true, credentials: mounted(), ...overrides };
  app = (await startTokenApp(options, clock)) as ManualTokenApp;
  return app;
}

/** Rotates with an overlap: Dintero accepts the new secret, then the mount shows it. */
async function rotate(): Promise<void> {
  fake.addClientSecret(clientId, NEW);
  await mountSecret(dir, clientId, NEW, 2);
}

/** `count` API calls at once; how many failed. */
async function failedCalls(app: ManualTokenApp, sessionId: string, count = 10): Promise<number> {
  const calls = Array.from({ length: count }, () =>
    firstValueFrom(app.http.get(`/sessions/${sessionId}`)).then(
      () => 0,
      () => 1,
    ),
  );
  return (await Promise.all(calls)).reduce<number>((sum, failed) => sum + failed, 0);
}

/** No log line, event or status holds the old or the new secret, in any form. */
function expectNothingLeaked(app: ManualTokenApp, events: readonly DinteroTokenEvent[], errors: readonly unknown[] = []): void {
  expectNoSecret([...app.logger.lines, ...printed([...events, app.tokens.status(), ...errors])], [OLD, NEW], clientId);
}

describe('a credentials provider', () => {
  it('stands instead of clientId and clientSecret: the mounted secret is sent, the status says when it was read', async () => {
    const app = await start();
    await app.tokens.getToken();
    expect(fake.tokenRequests.map((request) => request.headers.authorization)).toEqual([basic(OLD)]);
    const status = app.tokens.status();
    expect(status.credentialsReadAt).toEqual(new Date(app.clock.wallNow()));
    expect(status.clientIdFingerprint).toMatch(/^[0-9a-f]{10}$/);
    expect(status.clientIdFingerprint).not.toContain(clientId);
  });

  it('on invalid_client, is read again and the request tried at once with what changed: no failed request reaches a caller', async () => {
    const app = await start();
    const first = await app.tokens.getToken();
    await rotate();
    fake.revokeClientSecret(clientId, OLD);
    const events = recordEvents(app.tokens.events$);

    const second = await app.tokens.refresh();
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(fake.tokenRequests.map((request) => [request.status, request.headers.authorization])).toEqual([
      [200, basic(OLD)],
      [401, basic(OLD)],
      [200, basic(NEW)],
    ]);
    expect(events.map((event) => event.type)).toEqual(['credentials-changed', 'refreshed']);
    const changed = events[0] as Extract<DinteroTokenEvent, { type: 'credentials-changed' }>;
    expect(changed).toMatchObject({ reason: 'invalid-client', readAt: new Date(app.clock.wallNow()) });
    expect(changed.clientIdFingerprint).toBe(changed.previousClientIdFingerprint);
    expectNothingLeaked(app, events);
  });

  it('is read at most once a second however often Dintero refuses, and the refusal reaches the caller when nothing changed', async () => {
    let reads = 0;
    const credentials = () => {
      reads += 1;
      return { clientId, clientSecret: OLD };
    };
    const app = await start({ credentials, retry: { initialDelayMs: 100, maxDelayMs: 400 } });
    await app.tokens.getToken();
    fake.revokeClientSecret(clientId, OLD);
    const refused = async () => {
      const pending = app.tokens.refresh();
      app.clock.advance(400);
      await expect(pending).rejects.toBeInstanceOf(DinteroTokenRequestError);
    };
    await refused();
    expect(reads).toBe(2);
    await refused();
    expect(reads).toBe(2);
    app.clock.advance(1_000);
    await refused();
    expect(reads).toBe(3);
  });

  it('on a schedule (credentialsRefreshIntervalMs), fetches a successor with new credentials at once, the token in hand served meanwhile', async () => {
    const app = await start({ credentialsRefreshIntervalMs: 60_000 });
    const first = await app.tokens.getToken();
    await rotate();
    const events = recordEvents(app.tokens.events$);
    const servedWhenChanged: (string | undefined)[] = [];
    app.tokens.events$.subscribe((event) => {
      if (event.type === 'credentials-changed') servedWhenChanged.push(app.tokens.peekToken()?.accessToken);
    });
    app.clock.advance(60_000);
    await eventually(() => events.some((event) => event.type === 'refreshed'), 5_000, 'the successor');
    expect(servedWhenChanged).toEqual([first.accessToken]);
    await eventually(() => events.some((event) => event.type === 'refreshed'), 5_000, 'the successor');
    expect(app.tokens.peekToken()?.accessToken).not.toBe(first.accessToken);
    expect(fake.tokenRequests.map((request) => request.headers.authorization)).toEqual([basic(OLD), basic(NEW)]);
    expect(events[0]).toMatchObject({ type: 'credentials-changed', reason: 'schedule' });
    expectNothingLeaked(app, events);
  });

  it('that hangs gets requestTimeoutMs and a typed error; the last good credentials stay in use', async () => {
    let answer: () => DinteroClientCredentials | Promise<DinteroClientCredentials> = () => ({ clientId, clientSecret: OLD });
    let reads = 0;
    const app = await start({
      credentials: () => {
        reads += 1;
        return answer();
      },
      requestTimeoutMs: 1_000,
    });
    const readAt = (await app.tokens.getToken(), app.tokens.status().credentialsReadAt);
    const events = recordEvents(app.tokens.events$);
    answer = () => new Promise(() => undefined);
    fake.revokeClientSecret(clientId, OLD);
    const refused = app.tokens.refresh().catch((error: unknown) => error);
    await eventually(() => reads === 2, 5_000, 'the provider to be asked again');
    app.clock.advance(1_000);
    expect(await refused).toBeInstanceOf(DinteroTokenRequestError);
    const failed = events.find((event) => event.type === 'credentials-failed');
    expect(failed).toMatchObject({ usingPrevious: true, error: { failure: 'timeout', code: 'DINTERO_CREDENTIALS' } });
    expect(failed && failed.type === 'credentials-failed' && failed.error).toBeInstanceOf(DinteroCredentialsError);
    expect(app.tokens.status().credentialsReadAt).toEqual(readAt);
    expect(app.logger.at('warn').join('\n')).toContain(
      'did not answer within requestTimeoutMs (1000 ms); the last good credentials of account',
    );
    expectNothingLeaked(app, events, [await refused]);
  });

  it('that throws before any credentials were read fails the token request with a typed error, retried after backoff', async () => {
    let fail = true;
    const app = await start({
      credentials: () => {
        if (fail) throw new Error('vault sealed');
        return { clientId, clientSecret: OLD };
      },
      retry: { initialDelayMs: 100, maxDelayMs: 400 },
    });
    const waiting = app.tokens.getToken();
    await eventually(() => app.tokens.status().consecutiveFailures === 1, 5_000, 'the first attempt to fail');
    expect(app.tokens.status().lastError).toMatchObject({
      code: 'DINTERO_CREDENTIALS',
      failure: 'failed',
      retryable: true,
      message: 'The Dintero credentials provider failed: Error',
    });
    expect(fake.tokenRequestCount).toBe(0);
    fail = false;
    app.clock.advance(400);
    await expect(waiting).resolves.toMatchObject({ accessToken: expect.any(String) });
  });

  it('that throws with the secret it read in its message shows only the kind of error, anywhere', async () => {
    // A secret manager that answered the bare secret where JSON was expected: JSON.parse quotes it.
    const bare = 'sk_4f9x2q';
    expect(() => JSON.parse(bare) as unknown).toThrow(bare);
    const app = await start({ credentials: () => JSON.parse(bare) as { clientId: string; clientSecret: string } });
    const failed = app.tokens.getToken().catch((error: unknown) => error);
    await eventually(() => app.tokens.status().consecutiveFailures === 1, 5_000, 'the first attempt to fail');
    const { lastError } = app.tokens.status();
    expect(lastError).toMatchObject({ message: 'The Dintero credentials provider failed: SyntaxError' });
    expectNoSecret([...app.logger.lines, ...printed([app.tokens.status(), lastError])], [bare], clientId);
    await app.close();
    await failed;
  });

  it('that gives invalid credentials gets a typed error that shows no value', async () => {
    const app = await start({ credentials: () => ({ clientId, clientSecret: ` ${NEW}` }) });
    const failed = app.tokens.getToken().catch((error: unknown) => error);
    await eventually(() => app.tokens.status().consecutiveFailures === 1, 5_000, 'the first attempt to fail');
    expect(app.tokens.status().lastError).toMatchObject({ code: 'DINTERO_CREDENTIALS', failure: 'invalid' });
    expect(app.tokens.status().lastError?.message).toContain('clientSecret must not contain control characters or surrounding spaces');
    expectNothingLeaked(app, [], [app.tokens.status().lastError]);
    await app.close();
    await failed;
  });
});

describe('a new API client (another client id) for the same account', () => {
  it('is taken on invalid_client like a new secret, and shares tokens in the store under its own keys', async () => {
    const second = { accountId, clientId: 'second-client-id', clientSecret: 'second-client-secret' };
    await fake.stop();
    fake = await new FakeDinteroServer({ clients: [FAKE_DINTERO_CLIENT, second] }).start();
    let given: DinteroClientCredentials = { clientId, clientSecret: OLD };
    const store = new MemoryTokenStore();
    const app = await start({ credentials: () => given, store });
    await app.tokens.getToken();
    given = { clientId: second.clientId, clientSecret: second.clientSecret };
    fake.revokeClientSecret(clientId, OLD);
    const events = recordEvents(app.tokens.events$);

    await app.tokens.refresh();
    expect(fake.tokenRequests.map((request) => request.status)).toEqual([200, 401, 200]);
    const changed = events.find((event) => event.type === 'credentials-changed');
    expect(changed).toMatchObject({ reason: 'invalid-client' });
    expect(changed && changed.type === 'credentials-changed' && changed.clientIdFingerprint).not.toBe(
      changed && changed.type === 'credentials-changed' && changed.previousClientIdFingerprint,
    );
    // The token fetched across the switch is not stored: its lease's generation counts in the old
    // client's keys. A second replica on the new client fetches and stores one under the new keys,
    // and the first replica's next token is that one.
    const other = await startTokenApp(
      {
        accountId,
        baseUrl: fake.baseUrl,
        allowInsecureLoopback: true,
        clientId: second.clientId,
        clientSecret: second.clientSecret,
        store,
      },
      app.clock,
    );
    try {
      const stored = (await other.tokens.getToken()).accessToken;
      expect(fake.tokenRequestCount).toBe(4);
      expect((await app.tokens.refresh()).accessToken).toBe(stored);
      expect(fake.tokenRequestCount).toBe(4);
    } finally {
      await other.close();
    }
    expectNoSecret([...app.logger.lines, ...printed([...events, app.tokens.status()])], [OLD, second.clientSecret], clientId);
  });
});

describe('no gap during a rotation', () => {
  it('revoked before the new secret is readable: calls succeed again within 1 s of it being readable', async () => {
    const app = await start();
    await app.tokens.getToken();
    fake.addClientSecret(clientId, NEW);
    fake.revokeClientSecret(clientId, OLD, { revokeTokens: true });
    // As the 401 path does with the revoked token; callers meanwhile hear the refusal.
    app.tokens.invalidate();
    for (let second = 0; second < 5; second += 1) {
      const call = app.tokens.getToken().catch((error: unknown) => error);
      app.clock.advance(1_000);
      await eventually(() => !app.tokens.status().refreshing, 5_000, 'the attempt');
      expect(await call).toBeInstanceOf(DinteroTokenRequestError);
    }
    const refusedBefore = fake.tokenRequestCount;
    // Once a second at most, however long the outage of credentials lasted.
    expect(refusedBefore).toBeLessThanOrEqual(1 + 6);

    await mountSecret(dir, clientId, NEW, 2);
    const served = app.tokens.getToken();
    app.clock.advance(1_000);
    await expect(served).resolves.toMatchObject({ accessToken: expect.any(String) });
    expect(fake.tokenRequests.at(-1)).toMatchObject({ status: 200, headers: { authorization: basic(NEW) } });
  });

  it('with an overlap (old secret still valid for a while): 0 failed calls, 1 refused token request', async () => {
    const app = await start();
    const events = recordEvents(app.tokens.events$);
    const session = await firstValueFrom(app.http.post<{ id: string }>('/sessions-profile', sessionBody()));
    let failed = await failedCalls(app, session.data.id);

    await rotate();
    failed += await failedCalls(app, session.data.id);
    // A refresh inside the overlap still uses the old secret, which Dintero still takes.
    app.clock.advance(3_600_000 * 0.86);
    failed += await failedCalls(app, session.data.id);
    await eventually(() => !app.tokens.status().refreshing, 5_000, 'the refresh');

    fake.revokeClientSecret(clientId, OLD);
    app.clock.advance(3_600_000 * 0.86);
    failed += await failedCalls(app, session.data.id);
    await eventually(() => !app.tokens.status().refreshing, 5_000, 'the refresh after the revocation');
    failed += await failedCalls(app, session.data.id);

    expect(failed).toBe(0);
    expect(fake.tokenRequests.map((request) => [request.status, request.headers.authorization])).toEqual([
      [200, basic(OLD)],
      [200, basic(OLD)],
      [401, basic(OLD)],
      [200, basic(NEW)],
    ]);
    expect(events.filter((event) => event.type === 'refresh-failed')).toEqual([]);
    expectNothingLeaked(app, events);
  });

  it('revoke-first (the old secret and its tokens revoked before we noticed): the next call succeeds', async () => {
    const app = await start();
    const session = await firstValueFrom(app.http.post<{ id: string }>('/sessions-profile', sessionBody()));
    const events = recordEvents(app.tokens.events$);
    // Old enough to be blamed for a 401 (MIN_TOKEN_AGE_FOR_401_MS).
    app.clock.advance(10_000);
    await rotate();
    fake.revokeClientSecret(clientId, OLD, { revokeTokens: true });

    const read = await firstValueFrom(app.http.get<{ id: string }>(`/sessions/${session.data.id}`));
    expect(read.data.id).toBe(session.data.id);
    expect(await failedCalls(app, session.data.id)).toBe(0);
    expect(fake.tokenRequests.map((request) => [request.status, request.headers.authorization])).toEqual([
      [200, basic(OLD)],
      [401, basic(OLD)],
      [200, basic(NEW)],
    ]);
    expect(events.map((event) => event.type)).toEqual(['invalidated', 'credentials-changed', 'acquired']);
    expectNothingLeaked(app, events);
  });
});
