import { Readable } from 'node:stream';
import { inspect } from 'node:util';
import { HttpModule, HttpService } from '@nestjs/axios';
import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import axios, { type AxiosAdapter, type AxiosError } from 'axios';
import { firstValueFrom } from 'rxjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_DINTERO_CLIENT, type FakeDinteroClient, FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import {
  DinteroAuthModule,
  type DinteroAuthModuleOptions,
  DinteroHttpService,
  DinteroTokenRequestError,
  DinteroTokenService,
} from '../../lib/index.js';
import { PACKAGE_NAME } from '../../lib/options/dintero-auth.constants.js';
import { MIN_TOKEN_AGE_FOR_401_MS } from '../../lib/http/unauthorized-policy.js';
import { CaptureLogger } from '../support/capture-logger.js';
import { authorizedTransaction, sessionBody } from '../support/checkout.js';
import { ManualClock } from '../../lib/testing/manual-clock.js';
import { RecordingServer } from '../support/recording-server.js';
import { fakeOptions, startTokenApp, type TokenApp } from '../support/token-app.js';

const SECOND_CLIENT: FakeDinteroClient = { accountId: 'T87654321', clientId: 'second-client', clientSecret: 'second-secret-value' };
let fake: FakeDinteroServer;
let foreign: RecordingServer;
let app: TokenApp | undefined;

beforeAll(async () => {
  fake = await new FakeDinteroServer({ clients: [FAKE_DINTERO_CLIENT, SECOND_CLIENT] }).start();
  foreign = await new RecordingServer().start();
});
afterEach(async () => {
  await app?.close();
  app = undefined;
  fake.clearTokenFaults();
  fake.clearRedirects();
  fake.resetCounts();
  foreign.received.length = 0;
});
afterAll(async () => {
  await fake.stop();
  await foreign.stop();
});

async function start(overrides: Partial<DinteroAuthModuleOptions> = {}): Promise<TokenApp> {
  app = await startTokenApp(fakeOptions(fake, overrides));
  return app;
}

const lastApiAuthorization = () => fake.apiRequests.at(-1)?.headers.authorization;

describe('DinteroHttpService', () => {
  it('calls the Checkout API with a bearer token, relative to the base URL', async () => {
    const { http, tokens } = await start();
    const transactionId = await authorizedTransaction(http, fake);
    const { data } = await firstValueFrom(http.get<{ status: string }>(`/transactions/${transactionId}`));
    expect(data.status).toBe('AUTHORIZED');
    expect(fake.apiRequests.at(-1)!.path).toBe(`${new URL(fake.baseUrl).pathname}/transactions/${transactionId}`);
    expect(lastApiAuthorization()).toBe(`Bearer ${tokens.peekToken()!.accessToken}`);
    expect(fake.tokenRequestCount).toBe(1);
  });

  it('sends the Dintero-System headers and a User-Agent naming the package', async () => {
    const { http } = await start({ systemName: 'acme-shop', systemVersion: '4.2.0' });
    await firstValueFrom(http.post('/sessions-profile', sessionBody()));
    const headers = fake.apiRequests.at(-1)!.headers;
    expect(headers['dintero-system-name']).toBe('acme-shop');
    expect(headers['dintero-system-version']).toBe('4.2.0');
    expect(headers['dintero-system-plugin-name']).toBe(PACKAGE_NAME);
    expect(headers['user-agent']).toMatch(/^nestjs-dintero-auth\/\d+\.\d+\.\d+/);
  });

  it('puts the token on absolute URLs to an allowed origin, and never on a foreign one', async () => {
    const { http } = await start();
    const created = await firstValueFrom(http.post<{ id: string }>('/sessions-profile', sessionBody()));
    await firstValueFrom(http.get(`${fake.baseUrl}/sessions/${created.data.id}`));
    expect(lastApiAuthorization()).toMatch(/^Bearer /);

    await firstValueFrom(http.get(`${foreign.origin}/elsewhere`));
    expect(foreign.received).toHaveLength(1);
    expect(foreign.received[0]!.headers.authorization).toBeUndefined();
  });

  it('leaves a request that carries its own Authorization alone, and does not resend it on 401', async () => {
    const { http } = await start();
    const error = await firstValueFrom(http.get('/sessions/T12345678.x', { headers: { Authorization: 'Bearer mine' } })).catch(
      (caught: AxiosError) => caught,
    );
    expect((error as AxiosError).response?.status).toBe(401);
    expect(fake.apiRequests.map((request) => request.headers.authorization)).toEqual(['Bearer mine']);
    expect(fake.tokenRequestCount).toBe(0);
  });

  it('an Authorization of its own in any spelling is left alone; one set to undefined is no header, and the token goes out once', async () => {
    const { http, tokens } = await start();
    await firstValueFrom(http.get('/sessions/T12345678.x', { headers: { authorization: 'Bearer mine' } })).catch(() => undefined);
    expect(fake.tokenRequestCount).toBe(0);
    await firstValueFrom(http.post('/sessions-profile', sessionBody(), { headers: { AUTHORIZATION: undefined } }));
    expect(fake.apiRequests.map((request) => request.headers.authorization)).toEqual([
      'Bearer mine',
      `Bearer ${tokens.peekToken()!.accessToken}`,
    ]);
  });

  it('leaves a request with its own `auth` alone, and spends no token on it', async () => {
    const { http } = await start();
    const error = (await firstValueFrom(http.get('/sessions/T12345678.x', { auth: { username: 'u', password: 'p' } })).catch(
      (caught: unknown) => caught,
    )) as AxiosError;
    expect(error.response?.status).toBe(401);
    expect(fake.apiRequests.map((request) => request.headers.authorization)).toEqual([`Basic ${Buffer.from('u:p').toString('base64')}`]);
    expect(fake.tokenRequestCount).toBe(0);
  });

  it('after shutdown, its calls fail with the token error and are never sent', async () => {
    const started = await start();
    await started.close();
    app = undefined;
    await expect(firstValueFrom(started.http.post('/sessions-profile', sessionBody()))).rejects.toMatchObject({
      code: 'DINTERO_TOKEN_UNAVAILABLE',
      reason: 'shutdown',
    });
    expect(fake.apiRequests).toHaveLength(0);
  });

  it('1,000 concurrent first calls on an empty cache: one token request, every call answered with the token', async () => {
    const { http } = await start();
    const results = await Promise.all(Array.from({ length: 1_000 }, () => firstValueFrom(http.post('/sessions-profile', sessionBody()))));
    expect(results.every((result) => result.status === 200)).toBe(true);
    expect(fake.tokenRequestCount).toBe(1);
    expect(fake.apiRequests).toHaveLength(1_000);
    expect(new Set(fake.apiRequests.map((request) => request.headers.authorization)).size).toBe(1);
  });

  it('does not send a request at all when no token can be had', async () => {
    const { http } = await start();
    fake.injectTokenFault({ type: 'status', status: 401, code: 'invalid_client' });
    const error = await firstValueFrom(http.post('/sessions-profile', sessionBody())).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DinteroTokenRequestError);
    expect(fake.apiRequests).toHaveLength(0);
  });
});

describe('401 handling', () => {
  /** An app on the manual clock, its token fetched and already older than the 401 minimum age. */
  async function startWithAgedToken(): Promise<TokenApp & { clock: ManualClock }> {
    const clock = new ManualClock();
    app = await startTokenApp(fakeOptions(fake), clock);
    await app.tokens.getToken();
    clock.advance(MIN_TOKEN_AGE_FOR_401_MS);
    return app as TokenApp & { clock: ManualClock };
  }

  it('100 concurrent requests rejected with the same revoked token cause one token request and all succeed', async () => {
    const { http, tokens } = await startWithAgedToken();
    const transactionId = await authorizedTransaction(http, fake);
    const revoked = await tokens.getToken();
    fake.revokeAllTokens();
    fake.resetCounts();

    const results = await Promise.all(
      Array.from({ length: 100 }, () => firstValueFrom(http.get<{ id: string }>(`/transactions/${transactionId}`))),
    );
    expect(results.every((result) => result.status === 200 && result.data.id === transactionId)).toBe(true);
    expect(fake.tokenRequestCount).toBe(1);
    expect(fake.apiRequests).toHaveLength(200);
    expect((await tokens.getToken()).accessToken).not.toBe(revoked.accessToken);
  });

  it('a second 401 goes back to the caller as it is, holding neither token', async () => {
    const { http, tokens } = await startWithAgedToken();
    const first = (await tokens.getToken()).accessToken;
    fake.injectApiFault(401, 2, 'unauthorized', 'No');
    const error = (await firstValueFrom(http.get('/sessions/T12345678.x')).catch((caught: unknown) => caught)) as AxiosError;
    expect(axios.isAxiosError(error)).toBe(true);
    expect(error.response?.status).toBe(401);
    expect(error.response?.data).toEqual({ error: { code: 'unauthorized', message: 'No' } });
    expect(fake.apiRequests).toHaveLength(2);
    expect(fake.tokenRequestCount).toBe(2);
    const second = (await tokens.getToken()).accessToken;
    expect(fake.apiRequests.map((request) => request.headers.authorization)).toEqual([`Bearer ${first}`, `Bearer ${second}`]);
    const printed = [inspect(error, { depth: Infinity, showHidden: true }), JSON.stringify(error)].join('\n');
    expect(printed).not.toContain(first);
    expect(printed).not.toContain(second);
  });

  it('a token younger than the minimum age is not blamed: the 401 goes back, and no token is fetched', async () => {
    const clock = new ManualClock();
    const { http } = (app = await startTokenApp(fakeOptions(fake), clock));
    fake.injectApiFault(401, 1, 'unauthorized', 'No');
    const error = (await firstValueFrom(http.get('/sessions/T12345678.x')).catch((caught: unknown) => caught)) as AxiosError;
    expect(error.response?.status).toBe(401);
    expect(fake.apiRequests).toHaveLength(1);
    expect(fake.tokenRequestCount).toBe(1);
  });

  it('an API that always answers 401 costs at most one token request per minimum age, whatever the call rate', async () => {
    const { http, clock } = await startWithAgedToken();
    fake.injectApiFault(401, Number.POSITIVE_INFINITY);
    const call = () => firstValueFrom(http.get('/sessions/T12345678.x')).catch((caught: AxiosError) => caught.response?.status);
    for (let period = 0; period < 3; period += 1) {
      const statuses = await Promise.all(Array.from({ length: 50 }, call));
      expect(statuses.every((status) => status === 401)).toBe(true);
      for (let index = 0; index < 50; index += 1) expect(await call()).toBe(401);
      clock.advance(MIN_TOKEN_AGE_FOR_401_MS);
    }
    // The first token, then one per period in which the held token was old enough to blame.
    expect(fake.tokenRequestCount).toBe(4);
    // Each call is sent at most twice: once, and once more with a token already replaced.
    expect(fake.apiRequests.length).toBeLessThanOrEqual(2 * 300);
  });

  it('a 401 from a foreign origin changes nothing', async () => {
    const { http, tokens } = await startWithAgedToken();
    const token = await tokens.getToken();
    const other = await new FakeDinteroServer().start();
    try {
      const error = (await firstValueFrom(http.get(`${other.baseUrl}/sessions/x`)).catch((caught: unknown) => caught)) as AxiosError;
      expect(error.response?.status).toBe(401);
      expect(other.apiRequests[0]!.headers.authorization).toBeUndefined();
      expect((await tokens.getToken()).accessToken).toBe(token.accessToken);
    } finally {
      await other.stop();
    }
  });

  it('a Dintero request redirected to a foreign origin that answers 401 drops no token: 20 calls, no token request', async () => {
    const { http } = await startWithAgedToken();
    const other = await new FakeDinteroServer().start();
    try {
      fake.redirectApi('/v1/sessions/T12345678.moved', `${other.baseUrl}/sessions/T12345678.moved`);
      fake.resetCounts();
      for (let call = 0; call < 20; call += 1) {
        const error = (await firstValueFrom(http.get('/sessions/T12345678.moved')).catch((caught: unknown) => caught)) as AxiosError;
        expect(error.response?.status).toBe(401);
      }
      expect(fake.tokenRequestCount).toBe(0);
      expect(other.apiRequests.every((request) => request.headers.authorization === undefined)).toBe(true);
    } finally {
      await other.stop();
    }
  });
});

describe('redirects', () => {
  it('a bearer token never follows a redirect to another origin', async () => {
    const { http } = await start();
    fake.redirectApi('/v1/sessions/T12345678.moved', `${foreign.origin}/landing`);
    const response = await firstValueFrom(http.get('/sessions/T12345678.moved'));
    expect(response.status).toBe(200);
    expect(fake.apiRequests[0]!.headers.authorization).toMatch(/^Bearer /);
    expect(foreign.received.map((request) => request.path)).toEqual(['/landing']);
    expect(foreign.received[0]!.headers.authorization).toBeUndefined();
  });

  it.each([301, 307, 308])('a %i to the same origin keeps it', async (status) => {
    const { http } = await start();
    const created = await firstValueFrom(http.post<{ id: string }>('/sessions-profile', sessionBody()));
    fake.redirectApi('/v1/sessions/T12345678.old', `${fake.baseUrl}/sessions/${created.data.id}`, status);
    const response = await firstValueFrom(http.get<{ id: string }>('/sessions/T12345678.old'));
    expect(response.data.id).toBe(created.data.id);
  });
});

describe('errors and responses are safe to log', () => {
  function renderings(value: unknown): string[] {
    return [
      JSON.stringify(value) ?? '',
      inspect(value, { depth: Infinity, showHidden: true }),
      inspect(value, { depth: Infinity, getters: true }),
      String((value as Error).message),
    ];
  }

  it('an API error keeps being an AxiosError, with no token or secret anywhere in it', async () => {
    const { http, tokens } = await start();
    const token = await tokens.getToken();
    const error = (await firstValueFrom(http.get('/transactions/T12345678.missing')).catch((caught: unknown) => caught)) as AxiosError;
    expect(axios.isAxiosError(error)).toBe(true);
    expect(error.response?.status).toBe(404);
    expect(error.request).toBeDefined();
    for (const text of renderings(error)) {
      expect(text).not.toContain(token.accessToken);
      expect(text).not.toContain(FAKE_DINTERO_CLIENT.clientSecret);
    }
  });

  it('a streamed response or error holds no token either, and the stream still reads', async () => {
    const { http, tokens } = await start();
    const token = await tokens.getToken();
    const error = (await firstValueFrom(http.get('/transactions/T12345678.missing', { responseType: 'stream' })).catch(
      (caught: unknown) => caught,
    )) as AxiosError;
    expect(error.response?.status).toBe(404);
    for (const text of renderings(error)) expect(text).not.toContain(token.accessToken);

    const response = await firstValueFrom(http.post<NodeJS.ReadableStream>('/sessions-profile', sessionBody(), { responseType: 'stream' }));
    for (const text of renderings(response)) expect(text).not.toContain(token.accessToken);
    let body = '';
    for await (const chunk of response.data) body += String(chunk);
    expect(JSON.parse(body)).toMatchObject({ id: expect.stringMatching(/^T12345678\./) });
  });

  it('a network error at an allowed origin holds no token either', async () => {
    const dead = await new RecordingServer().start();
    const deadOrigin = dead.origin;
    await dead.stop();
    const { http, tokens } = await start({ apiOrigins: [deadOrigin] });
    const token = await tokens.getToken();
    const error = (await firstValueFrom(http.get(`${deadOrigin}/v1/x`)).catch((caught: unknown) => caught)) as AxiosError;
    expect(error.code).toBe('ECONNREFUSED');
    for (const text of renderings(error)) expect(text).not.toContain(token.accessToken);
  });

  it('a successful response from Dintero holds no token in its config or request', async () => {
    const { http, tokens } = await start();
    const response = await firstValueFrom(http.post('/sessions-profile', sessionBody()));
    const token = await tokens.getToken();
    expect(lastApiAuthorization()).toBe(`Bearer ${token.accessToken}`);
    for (const text of renderings(response)) expect(text).not.toContain(token.accessToken);
  });
});

describe('attach() for your own clients', () => {
  it('adds the token to allowed origins only, is idempotent, and detach() removes it', async () => {
    const { interceptor } = await start();
    const client = axios.create();
    const detach = interceptor.attach(client);
    expect(interceptor.attach(client)).toBe(detach);

    await client.post(`${fake.baseUrl}/sessions-profile`, sessionBody());
    expect(lastApiAuthorization()).toMatch(/^Bearer \S+$/);
    await client.get(`${foreign.origin}/x`);
    expect(foreign.received[0]!.headers.authorization).toBeUndefined();

    detach();
    const error = (await client.post(`${fake.baseUrl}/sessions-profile`, sessionBody()).catch((caught: unknown) => caught)) as AxiosError;
    expect(error.response?.status).toBe(401);
    expect(lastApiAuthorization()).toBeUndefined();
  });

  it('works on an HttpService from @nestjs/axios through axiosRef', async () => {
    const { interceptor } = await start();
    const service = new HttpService(axios.create());
    interceptor.attach(service.axiosRef);
    await firstValueFrom(service.post(`${fake.baseUrl}/sessions-profile`, sessionBody()));
    expect(lastApiAuthorization()).toMatch(/^Bearer /);
  });

  it('the module detaches what it attached when the app shuts down', async () => {
    const started = await start();
    const client = axios.create();
    started.interceptor.attach(client);
    await started.close();
    app = undefined;
    const error = (await client.post(`${fake.baseUrl}/sessions-profile`, sessionBody()).catch((caught: unknown) => caught)) as AxiosError;
    expect(error.response?.status).toBe(401);
    expect(lastApiAuthorization()).toBeUndefined();
  });
});

describe('isolation', () => {
  it("the app's own HttpModule and the global axios never get the Dintero interceptor", async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [DinteroAuthModule.forRoot(fakeOptions(fake)), HttpModule],
    })
      .setLogger(new CaptureLogger())
      .compile();
    await moduleRef.init();
    try {
      const own = moduleRef.get(HttpService);
      expect(own).not.toBe(moduleRef.get(DinteroHttpService));
      await firstValueFrom(own.post(`${fake.baseUrl}/sessions-profile`, sessionBody())).catch(() => undefined);
      expect(lastApiAuthorization()).toBeUndefined();
      await axios.post(`${fake.baseUrl}/sessions-profile`, sessionBody()).catch(() => undefined);
      expect(lastApiAuthorization()).toBeUndefined();
      expect(fake.apiRequests).toHaveLength(2);
    } finally {
      await moduleRef.close();
    }
  });

  it('two registrations with different accounts each use their own token', async () => {
    @Injectable()
    class MerchantA {
      constructor(
        readonly http: DinteroHttpService,
        readonly tokens: DinteroTokenService,
      ) {}
    }
    @Injectable()
    class MerchantB {
      constructor(
        readonly http: DinteroHttpService,
        readonly tokens: DinteroTokenService,
      ) {}
    }
    // Unnamed registrations local to their modules: each module's providers see their own.
    @Module({
      imports: [DinteroAuthModule.forRoot({ ...fakeOptions(fake), isGlobal: false })],
      providers: [MerchantA],
      exports: [MerchantA],
    })
    class ModuleA {}
    @Module({
      imports: [
        DinteroAuthModule.forRoot({
          ...fakeOptions(fake),
          accountId: SECOND_CLIENT.accountId,
          clientId: SECOND_CLIENT.clientId,
          clientSecret: SECOND_CLIENT.clientSecret,
          isGlobal: false,
        }),
      ],
      providers: [MerchantB],
      exports: [MerchantB],
    })
    class ModuleB {}

    const moduleRef = await Test.createTestingModule({ imports: [ModuleA, ModuleB] })
      .setLogger(new CaptureLogger())
      .compile();
    await moduleRef.init();
    try {
      const [a, b] = [moduleRef.get(MerchantA), moduleRef.get(MerchantB)];
      await firstValueFrom(a.http.post('/sessions-profile', sessionBody()));
      await firstValueFrom(b.http.post('/sessions-profile', sessionBody()));
      expect(fake.tokenRequests.map((request) => request.path)).toEqual([
        `/v1/accounts/${FAKE_DINTERO_CLIENT.accountId}/auth/token`,
        `/v1/accounts/${SECOND_CLIENT.accountId}/auth/token`,
      ]);
      const held = [a.tokens.peekToken()!.accessToken, b.tokens.peekToken()!.accessToken];
      expect(held[0]).not.toBe(held[1]);
      expect(fake.apiRequests.map((request) => request.headers.authorization)).toEqual(held.map((token) => `Bearer ${token}`));
    } finally {
      await moduleRef.close();
    }
  });
});

describe('named registrations', () => {
  it('one module holds two accounts and injects each by name', async () => {
    const { InjectDinteroHttp, InjectDinteroTokens } = await import('../../lib/index.js');

    @Injectable()
    class Marketplace {
      constructor(
        @InjectDinteroHttp('norway') readonly norway: DinteroHttpService,
        @InjectDinteroHttp('sweden') readonly sweden: DinteroHttpService,
        @InjectDinteroTokens('norway') readonly norwayTokens: DinteroTokenService,
        @InjectDinteroTokens('sweden') readonly swedenTokens: DinteroTokenService,
      ) {}
    }
    const moduleRef = await Test.createTestingModule({
      imports: [
        DinteroAuthModule.forRoot({ ...fakeOptions(fake), name: 'norway' }),
        DinteroAuthModule.forRoot({
          ...fakeOptions(fake),
          accountId: SECOND_CLIENT.accountId,
          clientId: SECOND_CLIENT.clientId,
          clientSecret: SECOND_CLIENT.clientSecret,
          name: 'sweden',
        }),
      ],
      providers: [Marketplace],
    })
      .setLogger(new CaptureLogger())
      .compile();
    await moduleRef.init();
    try {
      const marketplace = moduleRef.get(Marketplace);
      expect(marketplace.norway).not.toBe(marketplace.sweden);
      await firstValueFrom(marketplace.norway.post('/sessions-profile', sessionBody()));
      await firstValueFrom(marketplace.sweden.post('/sessions-profile', sessionBody()));
      expect(fake.tokenRequests.map((request) => request.path).sort()).toEqual([
        `/v1/accounts/${FAKE_DINTERO_CLIENT.accountId}/auth/token`,
        `/v1/accounts/${SECOND_CLIENT.accountId}/auth/token`,
      ]);
      const held = [marketplace.norwayTokens.peekToken()!.accessToken, marketplace.swedenTokens.peekToken()!.accessToken];
      expect(held[0]).not.toBe(held[1]);
      expect(fake.apiRequests.map((request) => request.headers.authorization)).toEqual(held.map((token) => `Bearer ${token}`));
    } finally {
      await moduleRef.close();
    }
  });
});

describe('what the attach point hands back untouched', () => {
  it('asks for JSON', async () => {
    const { http } = await start();
    await firstValueFrom(http.post('/sessions-profile', sessionBody()));
    expect(fake.apiRequests.at(-1)!.headers.accept).toBe('application/json');
  });

  it('an error other than 401, even with a token old enough to blame, is handed back: no resend, no token request', async () => {
    const clock = new ManualClock();
    const { http, tokens } = (app = await startTokenApp(fakeOptions(fake), clock));
    await tokens.getToken();
    clock.advance(MIN_TOKEN_AGE_FOR_401_MS);
    fake.resetCounts();
    const error = (await firstValueFrom(http.get('/transactions/T12345678.missing')).catch((caught: unknown) => caught)) as AxiosError;
    expect(error.response?.status).toBe(404);
    expect(fake.apiRequests).toHaveLength(1);
    expect(fake.tokenRequestCount).toBe(0);
  });

  it('a 401 on a streamed request body is handed back: the body cannot be sent twice', async () => {
    const clock = new ManualClock();
    const { http, tokens } = (app = await startTokenApp(fakeOptions(fake), clock));
    await tokens.getToken();
    clock.advance(MIN_TOKEN_AGE_FOR_401_MS);
    fake.resetCounts();
    fake.injectApiFault(401, 1, 'unauthorized', 'No');
    const body = Readable.from([JSON.stringify(sessionBody())]);
    const error = (await firstValueFrom(http.post('/sessions-profile', body, { headers: { 'Content-Type': 'application/json' } })).catch(
      (caught: unknown) => caught,
    )) as AxiosError;
    expect(error.response?.status).toBe(401);
    expect(fake.apiRequests).toHaveLength(1);
    expect(fake.tokenRequestCount).toBe(0);
  });

  it('a relative URL with no base URL fails on an attached instance as it does on a plain one', async () => {
    const { interceptor } = await start();
    const attached = axios.create();
    interceptor.attach(attached);
    const plain = (await axios
      .create()
      .get('/v1/x')
      .catch((caught: unknown) => caught)) as Error;
    const error = (await attached.get('/v1/x').catch((caught: unknown) => caught)) as Error;
    expect(plain).toBeInstanceOf(Error);
    expect({ name: error.name, message: error.message }).toEqual({ name: plain.name, message: plain.message });
  });

  it('a request with its own `auth` keeps it on a same-origin redirect', async () => {
    const { http } = await start();
    fake.redirectApi('/v1/sessions/T12345678.old', `${fake.baseUrl}/sessions/T12345678.new`);
    const error = (await firstValueFrom(http.get('/sessions/T12345678.old', { auth: { username: 'u', password: 'p' } })).catch(
      (caught: unknown) => caught,
    )) as AxiosError;
    expect(error.response?.status).toBe(401);
    const basic = `Basic ${Buffer.from('u:p').toString('base64')}`;
    expect(fake.apiRequests.map((request) => [request.path, request.headers.authorization])).toEqual([
      ['/v1/sessions/T12345678.old', basic],
      ['/v1/sessions/T12345678.new', basic],
    ]);
  });

  it('calls that wait for a token go out in every wave, not only the first', async () => {
    const { http, tokens } = await start();
    const wave = () => Promise.all(Array.from({ length: 3 }, () => firstValueFrom(http.post('/sessions-profile', sessionBody()))));
    expect((await wave()).map((response) => response.status)).toEqual([200, 200, 200]);
    // No token held: the next calls wait for a new one, and go out through the same queue.
    expect(tokens.invalidate()).toBe(true);
    expect((await wave()).map((response) => response.status)).toEqual([200, 200, 200]);
    expect(fake.tokenRequestCount).toBe(2);
  });
});

describe('adapters that throw', () => {
  it('an adapter that throws instead of rejecting: the caller gets its error, as without the attach point', async () => {
    const { interceptor } = await start();
    const failure = new Error('adapter broke');
    const client = axios.create({
      adapter: () => {
        throw failure;
      },
    });
    interceptor.attach(client);
    await expect(client.post(`${fake.baseUrl}/sessions-profile`, sessionBody())).rejects.toBe(failure);
  });
});

describe('detach()', () => {
  it('leaves the instance as it found it', async () => {
    const { interceptor } = await start();
    const client = axios.create();
    const before = client.defaults.adapter;
    interceptor.attach(client)();
    expect(client.defaults.adapter).toBe(before);
  });

  it('keeps an adapter wrapper the app put on after attach(); requests through it no longer get the token', async () => {
    const { interceptor } = await start();
    const client = axios.create();
    const detach = interceptor.attach(client);
    const inner = client.defaults.adapter as AxiosAdapter;
    let wrapped = 0;
    const appWrapper: AxiosAdapter = (config) => {
      wrapped += 1;
      return inner(config);
    };
    client.defaults.adapter = appWrapper;
    detach();
    expect(client.defaults.adapter).toBe(appWrapper);
    const error = (await client.post(`${fake.baseUrl}/sessions-profile`, sessionBody()).catch((caught: unknown) => caught)) as AxiosError;
    expect(error.response?.status).toBe(401);
    expect(wrapped).toBe(1);
    expect(lastApiAuthorization()).toBeUndefined();
  });

  it('a stale detach(), called again after the instance was attached anew, changes nothing', async () => {
    const { interceptor } = await start();
    const client = axios.create();
    const first = interceptor.attach(client);
    first();
    const second = interceptor.attach(client);
    expect(second).not.toBe(first);
    first();
    expect(interceptor.attach(client)).toBe(second);
    await client.post(`${fake.baseUrl}/sessions-profile`, sessionBody());
    expect(lastApiAuthorization()).toMatch(/^Bearer /);
  });
});
