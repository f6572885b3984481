/**
 * DinteroAccounts over real HTTP against the fake Dintero: first use, concurrency, unknown
 * accounts, resolver failures and time-outs, one account's outage, forget, shutdown.
 */
import { randomUUID } from 'node:crypto';
import type { Agent } from 'node:http';
import type { DinteroAgents } from '../../lib/http/dintero-agents.js';
import { inspect } from 'node:util';
import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import {
  type DinteroAccount,
  type DinteroAccountCredentials,
  type DinteroAccountEvent,
  DinteroAccountIdError,
  DinteroAccountNotFoundError,
  DinteroAccountResolveError,
  DinteroAccounts,
  DinteroAccountsModule,
  DinteroAuthConfigError,
  DinteroTokenRequestError,
  DinteroTokenUnavailableError,
} from '../../lib/index.js';
import { ManualClock } from '../../lib/testing/manual-clock.js';
import { HoldingProxy } from './holding-proxy.js';
import { eventually } from '../support/token-app.js';
import { type AccountsApp, CredentialsTable, merchant, platformOptions, startAccountsApp, startPlatformFake } from './accounts-app.js';

const [A, B, C] = [merchant(0), merchant(1), merchant(2)];
let fake: FakeDinteroServer;
let apps: AccountsApp[] = [];

beforeAll(async () => {
  fake = await startPlatformFake(5);
});
afterEach(async () => {
  await Promise.all(apps.map((app) => app.close()));
  apps = [];
  fake.clearTokenFaults();
  fake.resetCounts();
});
afterAll(() => fake.stop());

async function start(table: CredentialsTable, overrides: Parameters<typeof platformOptions>[2] = {}, clock?: ManualClock) {
  const app = await startAccountsApp(platformOptions(fake, table, overrides), clock);
  apps.push(app);
  return app;
}

/** An API call that needs a bearer token (404 with one, 401 without); resolves to the account the token was for. */
async function call(account: DinteroAccount): Promise<string | undefined> {
  const path = `/sessions/${randomUUID()}`;
  const response = await account.http.axiosRef.get(path, { validateStatus: () => true });
  expect(response.status).toBe(404);
  const received = fake.apiRequests.find((request) => request.path === `/v1${path}`);
  const bearer = String(received?.headers.authorization ?? '').replace(/^Bearer /, '');
  return fake.verifyToken(bearer)?.aud.split('/').pop();
}

function record(app: AccountsApp): DinteroAccountEvent[] {
  const seen: DinteroAccountEvent[] = [];
  app.accounts.events$.subscribe((event) => seen.push(event));
  return seen;
}

describe('DinteroAccounts: first use', () => {
  it('resolves an account once, and gives its own token service and client', async () => {
    const table = new CredentialsTable([A, B]);
    const { accounts } = await start(table);
    const first = await accounts.get(A.accountId);
    expect(first.accountId).toBe(A.accountId);
    expect(await call(first)).toBe(A.accountId);
    expect(await accounts.get(A.accountId)).toBe(first);
    expect(table.callsFor(A.accountId)).toBe(1);
    expect(fake.tokenRequestCount).toBe(1);
    expect(accounts.size).toBe(1);
  });

  it('100 concurrent first gets call the resolver once; 3 accounts x 20 calls make 3 token requests', async () => {
    const table = new CredentialsTable([A, B, C]);
    const { accounts } = await start(table);
    const handed = await Promise.all(Array.from({ length: 100 }, () => accounts.get(A.accountId)));
    expect(new Set(handed).size).toBe(1);
    expect(table.callsFor(A.accountId)).toBe(1);

    const seen = await Promise.all(
      [A, B, C].flatMap(({ accountId }) => Array.from({ length: 20 }, async () => [accountId, await call(await accounts.get(accountId))])),
    );
    for (const [asked, tokenFor] of seen) expect(tokenFor).toBe(asked);
    expect(fake.tokenRequestCount).toBe(3);
    expect(table.totalCalls).toBe(3);
  });

  it('is set up through forRootAsync with a factory and injected dependencies', async () => {
    const table = new CredentialsTable([A]);
    @Module({ providers: [{ provide: CredentialsTable, useValue: table }], exports: [CredentialsTable] })
    class MerchantsModule {}
    const moduleRef = await Test.createTestingModule({
      imports: [
        DinteroAccountsModule.forRootAsync({
          imports: [MerchantsModule],
          useFactory: (merchants: CredentialsTable) => platformOptions(fake, merchants, { maxAccounts: 10 }),
          inject: [CredentialsTable],
        }),
      ],
    }).compile();
    await moduleRef.init();
    expect(await call(await moduleRef.get(DinteroAccounts).get(A.accountId))).toBe(A.accountId);
    await moduleRef.close();
  });
});

describe('DinteroAccounts: accounts that cannot be opened', () => {
  it('an unknown account is DinteroAccountNotFoundError, asked again next time', async () => {
    const table = new CredentialsTable([A]);
    const { accounts } = await start(table);
    const missing = merchant(4).accountId;
    await expect(accounts.get(missing)).rejects.toMatchObject({
      constructor: DinteroAccountNotFoundError,
      code: 'DINTERO_ACCOUNT_NOT_FOUND',
      accountId: missing,
    });
    await expect(accounts.get(missing)).rejects.toBeInstanceOf(DinteroAccountNotFoundError);
    expect(table.callsFor(missing)).toBe(2);
    expect(accounts.size).toBe(0);
    expect(fake.tokenRequestCount).toBe(0);
  });

  it('an id that is not a Dintero account id is DinteroAccountIdError, and the resolver never sees it', async () => {
    const table = new CredentialsTable([A]);
    const { accounts } = await start(table);
    const secretLike = 'sk_live_0123456789abcdefghij';
    for (const bad of ['', 'x', 'T1234', 'X12345678', '../T12345678', secretLike, 42, undefined]) {
      const error = await accounts.get(bad as string).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DinteroAccountIdError);
      expect((error as Error).message).not.toContain(secretLike);
    }
    await expect(accounts.forget('nope')).rejects.toBeInstanceOf(DinteroAccountIdError);
    expect(table.totalCalls).toBe(0);
    // The rule of the accountId option: short values shown, longer ones by their length only.
    const rule = 'is not a Dintero account id: T (test) or P (production), then 8 digits, or 3 for a partner';
    await expect(accounts.get('X1')).rejects.toThrow(`"X1" ${rule}`);
    await expect(accounts.get(secretLike)).rejects.toThrow(`a ${secretLike.length}-character value ${rule}`);
    await expect(accounts.get(42 as never)).rejects.toThrow(`a number ${rule}`);
  });

  it('an id with bidi or other control characters is never echoed as it is (log spoofing): escaped, or not shown', async () => {
    const unprintable = (char: string) => {
      const code = char.codePointAt(0)!;
      const ranges = [
        [0x00, 0x1f],
        [0x7f, 0x9f],
        [0xad, 0xad],
        [0x61c, 0x61c],
        [0x180e, 0x180e],
        [0x200b, 0x200f],
        [0x2028, 0x202e],
        [0x2060, 0x2069],
        [0xfeff, 0xfeff],
      ];
      return ranges.some(([from, to]) => code >= from! && code <= to!);
    };
    const table = new CredentialsTable([A]);
    const { accounts } = await start(table);
    // Each would reorder, hide or break a log line when printed raw.
    const hostile = [
      'T\u202E8765',
      'T1\u2066x\u2069',
      'T\u00851',
      'T\u20281',
      'T\u200F12',
      'T\u001B[2J',
      '\uFEFFT1',
      'T\u061C1',
      'T\u007F1',
    ];
    for (const id of hostile) {
      const error = await accounts.get(id).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DinteroAccountIdError);
      const { message } = error as Error;
      expect([...message].filter(unprintable)).toEqual([]);
      // Only a near miss of an account id is shown (anything else may be a secret), and then escaped.
      expect(message).toMatch(/^(?:"T?.*\\u[0-9a-f]{4}.*"|an? \d+-character value) is not a Dintero account id/);
    }
    await expect(accounts.get('T\u202E8')).rejects.toThrow('"T\\u202e8" is not a Dintero account id');
    expect(table.totalCalls).toBe(0);
  });

  it('a resolver that throws is DinteroAccountResolveError, not cached: the next get resolves again', async () => {
    const table = new CredentialsTable([A]);
    const { accounts } = await start(table);
    const failure = new Error('database is down');
    table.answer = () => Promise.reject(failure);
    const error = await accounts.get(A.accountId).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      constructor: DinteroAccountResolveError,
      failure: 'failed',
      retryable: true,
      accountId: A.accountId,
      cause: failure,
    });
    table.answer = () => {
      throw new Error('thrown, not rejected');
    };
    await expect(accounts.get(A.accountId)).rejects.toMatchObject({ failure: 'failed' });
    table.answer = undefined;
    expect(await call(await accounts.get(A.accountId))).toBe(A.accountId);
    expect(table.callsFor(A.accountId)).toBe(3);
  });

  it('credentials whose reading throws (a getter, a revoked proxy) are DinteroAccountResolveError, not a raw error', async () => {
    const table = new CredentialsTable([A]);
    const { accounts } = await start(table);
    const failure = new Error('vault session expired');
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    const throwing = () => {
      throw failure;
    };
    const answers: [unknown, string][] = [
      [
        {
          get clientId(): string {
            return throwing();
          },
          clientSecret: A.clientSecret,
        },
        'its answer could not be read',
      ],
      [
        { clientId: A.clientId, clientSecret: A.clientSecret, callbackSecrets: new Proxy([], { get: throwing }) },
        'its answer could not be read',
      ],
      // Even its `then` cannot be looked up: the answer itself fails.
      [revoked.proxy, 'the resolver failed'],
    ];
    for (const [answer, why] of answers) {
      table.answer = () => Promise.resolve(answer as DinteroAccountCredentials);
      const error = await accounts.get(A.accountId).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ constructor: DinteroAccountResolveError, failure: 'failed', accountId: A.accountId });
      expect((error as Error).message).toBe(`Could not resolve the Dintero credentials of account ${A.accountId}: ${why}`);
      expect(accounts.size).toBe(0);
    }
    table.answer = undefined;
    expect(await call(await accounts.get(A.accountId))).toBe(A.accountId);
  });

  it('a resolver that hangs is DinteroAccountResolveError after resolveTimeoutMs, for every waiter; the next get asks again', async () => {
    const clock = new ManualClock();
    const table = new CredentialsTable([A]);
    const { accounts } = await start(table, { resolveTimeoutMs: 2_000 }, clock);
    table.answer = () => new Promise(() => undefined);
    const waiting = Array.from({ length: 5 }, () => accounts.get(A.accountId).catch((caught: unknown) => caught));
    await eventually(() => table.callsFor(A.accountId) === 1, 5_000, 'the resolver call');
    clock.advance(1_999);
    clock.advance(1);
    for (const error of await Promise.all(waiting)) {
      expect(error).toMatchObject({ constructor: DinteroAccountResolveError, failure: 'timeout' });
      expect((error as Error).message).toContain('2000 ms');
    }
    expect(table.callsFor(A.accountId)).toBe(1);
    table.answer = undefined;
    expect(await call(await accounts.get(A.accountId))).toBe(A.accountId);
    expect(table.callsFor(A.accountId)).toBe(2);
  });

  it('credentials that forRoot would refuse are DinteroAuthConfigError, without the secret, and not cached', async () => {
    const table = new CredentialsTable([A]);
    const secret = 'a-secret-that-must-not-show';
    table.credentials.set(A.accountId, { clientId: 'has:colon', clientSecret: ` ${secret}` });
    const { accounts } = await start(table);
    const error = await accounts.get(A.accountId).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DinteroAuthConfigError);
    expect((error as DinteroAuthConfigError).issues.map((issue) => issue.path).sort()).toEqual(['clientId', 'clientSecret']);
    expect(inspect(error, { depth: 10 }) + JSON.stringify(error)).not.toContain(secret);
    table.credentials.set(A.accountId, { clientId: A.clientId, clientSecret: A.clientSecret });
    expect(await call(await accounts.get(A.accountId))).toBe(A.accountId);
  });

  it('invalid module options fail start-up naming every bad field', async () => {
    const table = new CredentialsTable([A]);
    const options = {
      ...platformOptions(fake, table),
      resolveCredentials: undefined,
      clientSecret: 'shared-secret',
      maxAccounts: 0,
      idleTimeoutMs: -1,
      baseUrl: 'http://example.com/v1',
    } as never;
    const error = await startAccountsApp(options).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DinteroAuthConfigError);
    expect((error as DinteroAuthConfigError).issues.map((issue) => issue.path).sort()).toEqual(
      ['baseUrl', 'clientSecret', 'idleTimeoutMs', 'maxAccounts', 'resolveCredentials'].sort(),
    );
    expect((error as Error).message).not.toContain('shared-secret');
  });
});

describe('DinteroAccounts: accounts stay apart', () => {
  it("one account's bad credentials and outage touch no other account's tokens, backoff or health", async () => {
    const table = new CredentialsTable([A, B, C]);
    table.credentials.set(B.accountId, { clientId: B.clientId, clientSecret: 'wrong-secret-for-b' });
    const app = await start(table, { retry: { initialDelayMs: 60_000, maxDelayMs: 60_000 } });
    const events = record(app);
    const { accounts } = app;
    const [a, b, c] = await Promise.all([A, B, C].map(({ accountId }) => accounts.get(accountId)));

    // B is refused (401), C meets an outage (503): A is served throughout.
    await expect(b!.tokens.getToken()).rejects.toMatchObject({ constructor: DinteroTokenRequestError, status: 401 });
    // Retry-After sets the backoff's floor: C's next attempt is a minute away, whatever the jitter.
    fake.injectTokenFault({ type: 'status', status: 503, retryAfter: 60 }, 1);
    await expect(c!.tokens.getToken()).rejects.toMatchObject({ constructor: DinteroTokenUnavailableError, reason: 'backoff' });
    expect(await call(a!)).toBe(A.accountId);

    const status = new Map(accounts.status().map((entry) => [entry.accountId, entry]));
    expect(status.get(A.accountId)).toMatchObject({ consecutiveFailures: 0, nextAttemptAt: undefined });
    expect(status.get(A.accountId)!.token).toBeDefined();
    expect(status.get(B.accountId)).toMatchObject({
      consecutiveFailures: 1,
      token: undefined,
      lastError: { code: 'DINTERO_TOKEN_REQUEST' },
    });
    expect(status.get(C.accountId)).toMatchObject({ consecutiveFailures: 1, token: undefined });
    expect(status.get(C.accountId)!.nextAttemptAt).toBeInstanceOf(Date);

    const failed = events.filter((event) => event.type === 'refresh-failed').map((event) => event.accountId);
    expect(failed.sort()).toEqual([B.accountId, C.accountId].sort());
    expect(events.find((event) => event.type === 'acquired')).toMatchObject({ accountId: A.accountId });

    // Nothing a program may log holds a secret or a token.
    const token = (await a!.tokens.getToken()).accessToken;
    const output = [
      inspect(events, { depth: 10 }),
      JSON.stringify(events),
      inspect(accounts.status(), { depth: 10 }),
      JSON.stringify(accounts.status()),
    ].join('\n');
    for (const secret of [
      token,
      A.clientSecret,
      'wrong-secret-for-b',
      C.clientSecret,
      Buffer.from(`${A.clientId}:${A.clientSecret}`).toString('base64'),
    ]) {
      expect(output).not.toContain(secret);
    }
    expect(app.logger.lines.join('\n')).not.toContain(token);
    // The registry holds every client and the store: it shows a summary only.
    expect(inspect(accounts, { depth: 10 })).toBe('DinteroAccounts { accounts: 3 }');
    expect(JSON.stringify(accounts)).toBe('{"accounts":3}');
  });
});

describe('DinteroAccounts: forget', () => {
  it('lets a call waiting for its token finish, then closes the account; the next get resolves anew', async () => {
    const proxy = await new HoldingProxy(fake.baseUrl).start();
    const table = new CredentialsTable([A]);
    const app = await start(table, { baseUrl: proxy.baseUrl });
    const events = record(app);
    const account = await app.accounts.get(A.accountId);
    proxy.hold();
    const calling = call(account);
    await eventually(() => proxy.held === 1, 5_000, 'the token request, held');
    const forgotten = app.accounts.forget(A.accountId);
    expect(app.accounts.size).toBe(0);
    proxy.release();
    expect(await calling).toBe(A.accountId);
    expect(await forgotten).toBe(true);
    expect(events.filter((event) => event.type === 'account-closed')).toEqual([
      { type: 'account-closed', accountId: A.accountId, reason: 'forgotten' },
    ]);
    await expect(account.tokens.getToken()).rejects.toMatchObject({ reason: 'shutdown' });

    const again = await app.accounts.get(A.accountId);
    expect(again).not.toBe(account);
    expect(table.callsFor(A.accountId)).toBe(2);
    expect(await app.accounts.forget(merchant(3).accountId)).toBe(false);
    await proxy.stop();
  });

  it('forgotten while its credentials are being resolved, an account is resolved anew for its waiters', async () => {
    const table = new CredentialsTable([A]);
    const { accounts } = await start(table);
    let release!: () => void;
    table.answer = (accountId) => new Promise((resolve) => (release = () => resolve(table.credentials.get(accountId))));
    const waiting = accounts.get(A.accountId);
    await eventually(() => table.callsFor(A.accountId) === 1, 5_000, 'the resolver call');
    expect(await accounts.forget(A.accountId)).toBe(true);
    table.answer = undefined;
    release();
    expect(await call(await waiting)).toBe(A.accountId);
    expect(table.callsFor(A.accountId)).toBe(2);
    expect(accounts.size).toBe(1);
  });
});

describe('DinteroAccounts: one connection pool', () => {
  /** Sockets open in an agent, in use or idle. */
  const socketsOf = (agent: Agent) =>
    [...Object.values(agent.sockets), ...Object.values(agent.freeSockets)].reduce((sum, list) => sum + (list?.length ?? 0), 0);

  it('accounts one after another reuse one keep-alive socket to Dintero, and shutdown closes it', async () => {
    const merchants = [A, B, C, merchant(3), merchant(4)];
    const app = await start(new CredentialsTable(merchants));
    const opened = await Promise.all(merchants.map((client) => app.accounts.get(client.accountId)));
    for (const account of opened) await account.tokens.getToken();
    for (const [n, account] of opened.entries()) expect(await call(account)).toBe(merchants[n]!.accountId);
    // The registry's pool: no config or answer handed out holds an agent (its sockets lead to request heads).
    const agent = (app.accounts as unknown as { agents: DinteroAgents }).agents.http;
    expect(socketsOf(agent)).toBe(1);

    // A forgotten account leaves the pool to the others.
    await app.accounts.forget(A.accountId);
    expect(await call(opened[1]!)).toBe(B.accountId);
    expect(socketsOf(agent)).toBe(1);
    await app.close();
    apps = [];
    await eventually(() => socketsOf(agent) === 0, 5_000, 'the pool’s sockets to close');
  });
});

describe('DinteroAccounts: shutdown', () => {
  it('settles a hanging resolve, closes every account, and leaves no timer behind', async () => {
    const clock = new ManualClock();
    const table = new CredentialsTable([A, B]);
    const app = await start(table, {}, clock);
    const a = await app.accounts.get(A.accountId);
    await a.tokens.getToken();
    table.answer = () => new Promise(() => undefined);
    const hanging = app.accounts.get(B.accountId).catch((caught: unknown) => caught);
    await eventually(() => table.callsFor(B.accountId) === 1, 5_000, 'the resolver call');
    await app.close();
    apps = [];
    expect(await hanging).toMatchObject({ constructor: DinteroAccountResolveError, failure: 'shutdown', retryable: false });
    await expect(a.tokens.getToken()).rejects.toMatchObject({ reason: 'shutdown' });
    await expect(app.accounts.get(A.accountId)).rejects.toMatchObject({ reason: 'shutdown' });
    expect(clock.pendingTimers).toBe(0);
  });
});
