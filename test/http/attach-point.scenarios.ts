import { Agent as HttpsAgent } from 'node:https';
import { inspect } from 'node:util';
import type { AxiosError, AxiosStatic } from 'axios';
import { firstValueFrom } from 'rxjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import type { DinteroAuthModuleOptions } from '../../lib/index.js';
import { ManualClock } from '../../lib/testing/manual-clock.js';
import { MIN_TOKEN_AGE_FOR_401_MS } from '../../lib/http/unauthorized-policy.js';
import { eventually, fakeOptions, startFake, startTokenApp, type TokenApp } from '../support/token-app.js';
import { LOOPBACK_CA, LoopbackApi, loopbackLookup } from './support/loopback-api.js';
import { RecordingProxy } from './support/recording-proxy.js';

const deep = (value: unknown) => [inspect(value, { depth: Infinity, showHidden: true }), JSON.stringify(value) ?? ''].join('\n');

/**
 * The attach point's security scenarios over real sockets, for one axios version: `lib` is
 * that version's default export, and the module under test runs on the same version.
 */
export function describeAttachPoint(lib: AxiosStatic): void {
  let fake: FakeDinteroServer;
  /** An allowed origin over http (loopback), one over https, and a foreign one. */
  let api: LoopbackApi;
  let tls: LoopbackApi;
  let foreign: LoopbackApi;
  let app: TokenApp | undefined;

  beforeAll(async () => {
    fake = await startFake();
    [api, tls, foreign] = await Promise.all([new LoopbackApi().start(), new LoopbackApi('https').start(), new LoopbackApi().start()]);
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    for (const server of [api, tls, foreign]) {
      server.release();
      server.received.length = 0;
    }
  });
  afterAll(async () => {
    await Promise.all([fake.stop(), api.stop(), tls.stop(), foreign.stop()]);
  });

  async function start(overrides: Partial<DinteroAuthModuleOptions> = {}, clock?: ManualClock): Promise<TokenApp> {
    const apiOrigins = [api.origin(), tls.origin(), tls.origin('api.localhost')];
    app = await startTokenApp(fakeOptions(fake, { apiOrigins, ...overrides }), clock);
    return app;
  }

  describe(`the attach point on axios ${lib.VERSION}`, () => {
    it('the module under test runs on that axios version', async () => {
      const { moduleRef } = await start();
      const { DinteroHttpService } = await import('../../lib/index.js');
      // Instances of one axios copy share its InterceptorManager class.
      const managerOf = (instance: { interceptors: { request: object } }) => Object.getPrototypeOf(instance.interceptors.request) as object;
      expect(managerOf(moduleRef.get(DinteroHttpService).axiosRef)).toBe(managerOf(lib.create()));
    });

    it('decides on the final URL: an app interceptor registered before attach() cannot send the token elsewhere', async () => {
      const { interceptor, tokens } = await start();
      const client = lib.create();
      client.interceptors.request.use((config) => {
        config.url = config.url?.replace(api.origin(), foreign.origin()).replace('/elsewhere', '/v1/redirected-here');
        return config;
      });
      interceptor.attach(client);
      await client.get(`${api.origin()}/v1/x`);
      await client.get(`${foreign.origin()}/elsewhere`);
      expect(foreign.received.map((request) => request.authorization)).toEqual([undefined, undefined]);
      expect(api.received).toHaveLength(0);

      // And the other way round: a foreign URL rewritten to Dintero's gets the token.
      const rewriting = lib.create();
      rewriting.interceptors.request.use((config) => ({ ...config, url: `${api.origin()}/v1/y` }));
      interceptor.attach(rewriting);
      await rewriting.get(`${foreign.origin()}/z`);
      expect(api.received.map((request) => request.authorization)).toEqual([`Bearer ${(await tokens.getToken()).accessToken}`]);
    });

    it('redacts before any app code sees an answer: a response interceptor registered before attach() finds no token', async () => {
      const { interceptor, tokens } = await start();
      const seen: string[] = [];
      const client = lib.create();
      client.interceptors.response.use(
        (response) => {
          seen.push(deep(response));
          return response;
        },
        (error: unknown) => {
          seen.push(deep(error));
          throw error;
        },
      );
      interceptor.attach(client);
      api.on('/v1/missing', { type: 'status', status: 404 });
      await client.get(`${api.origin()}/v1/x`);
      const failed = (await client.get(`${api.origin()}/v1/missing`).catch((caught: unknown) => caught)) as AxiosError;
      expect(failed.response?.status).toBe(404);
      const token = (await tokens.getToken()).accessToken;
      expect(api.received.map((request) => request.authorization)).toEqual([`Bearer ${token}`, `Bearer ${token}`]);
      expect(seen).toHaveLength(2);
      for (const text of seen) expect(text).not.toContain(token);
    });

    describe('with HTTPS_PROXY and HTTP_PROXY set to a proxy that records what it receives', () => {
      let proxy: RecordingProxy;
      const saved: Record<string, string | undefined> = {};
      const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'];

      beforeAll(async () => {
        proxy = await new RecordingProxy().start();
        for (const name of PROXY_VARIABLES) saved[name] = process.env[name];
        for (const name of PROXY_VARIABLES) delete process.env[name];
        process.env.HTTPS_PROXY = proxy.url;
        process.env.HTTP_PROXY = proxy.url;
      });
      afterAll(async () => {
        for (const name of PROXY_VARIABLES) {
          if (saved[name] === undefined) delete process.env[name];
          else process.env[name] = saved[name];
        }
        await proxy.stop();
      });

      it('a bearer never reaches the proxy in clear text, from an attached instance or DinteroHttpService', async () => {
        const trusting = new HttpsAgent({ ca: LOOPBACK_CA });
        const { interceptor, tokens, http } = await start({ httpsAgent: trusting });
        const client = lib.create({ httpsAgent: trusting });
        interceptor.attach(client);
        await client.get(`${tls.origin()}/v1/attached`);
        await firstValueFrom(http.get(`${tls.origin()}/v1/module`));
        await client.get(`${api.origin()}/v1/plain`);
        const token = (await tokens.getToken()).accessToken;
        expect(tls.received.map((request) => request.authorization)).toEqual([`Bearer ${token}`, `Bearer ${token}`]);
        expect(api.received.map((request) => request.authorization)).toEqual([`Bearer ${token}`]);
        expect(proxy.clearText).not.toContain(token);
        expect(proxy.clearText).not.toMatch(/authorization/i);
        // The proxy is in effect for this axios version: a request to a foreign origin goes through it.
        await client.get(`${foreign.origin()}/via-proxy`).catch(() => undefined);
        expect(proxy.clearText).toContain('/via-proxy');
        expect(foreign.received).toHaveLength(0);
        trusting.destroy();
      });
    });

    describe('redirects', () => {
      it('on the fetch adapter, a redirect to a foreign origin that answers 401 is not followed: no token dropped, nothing sent there', async () => {
        const clock = new ManualClock();
        const { interceptor, tokens } = await start({}, clock);
        await tokens.getToken();
        // Old enough to be blamed for a 401 from an allowed origin.
        clock.advance(MIN_TOKEN_AGE_FOR_401_MS);
        api.on('/v1/fetch-moved', { type: 'redirect', location: `${foreign.origin()}/denied`, status: 307 });
        foreign.on('/denied', { type: 'status', status: 401 });
        const client = lib.create({ adapter: 'fetch' });
        interceptor.attach(client);
        const before = fake.tokenRequestCount;
        const statuses: (number | undefined)[] = [];
        for (let call = 0; call < 5; call += 1) {
          const error = (await client.get(`${api.origin()}/v1/fetch-moved`).catch((caught: unknown) => caught)) as AxiosError;
          statuses.push(error.response?.status);
        }
        expect(fake.tokenRequestCount - before).toBe(0);
        expect(foreign.received).toEqual([]);
        // fetch follows redirects inside, out of the attach point's sight: the caller gets the redirect instead.
        expect(statuses).toEqual([307, 307, 307, 307, 307]);
        expect(api.received.every((request) => request.authorization?.startsWith('Bearer '))).toBe(true);
      });

      it('an allowed origin redirecting to a foreign one: the foreign server gets no Authorization', async () => {
        const { interceptor } = await start();
        api.on('/v1/moved', { type: 'redirect', location: `${foreign.origin()}/landing` });
        const client = lib.create();
        interceptor.attach(client);
        await client.get(`${api.origin()}/v1/moved`);
        expect(api.received[0]!.authorization).toMatch(/^Bearer /);
        expect(foreign.received).toEqual([{ host: '127.0.0.1', path: '/landing', authorization: undefined }]);
      });

      it('a redirect to a subdomain of the allowed host is another origin: it gets no Authorization', async () => {
        const agent = new HttpsAgent({ ca: LOOPBACK_CA, lookup: loopbackLookup });
        // The token goes on the module's agents only: the app gives its own as `httpsAgent`.
        const { interceptor } = await start({ httpsAgent: agent });
        tls.on('/v1/moved', { type: 'redirect', location: `${tls.origin('evil.api.localhost')}/landing` }, 'api.localhost');
        const client = lib.create({ httpsAgent: agent });
        interceptor.attach(client);
        await client.get(`${tls.origin('api.localhost')}/v1/moved`);
        expect(tls.received.map(({ host, authorization }) => [host, authorization?.split(' ')[0]])).toEqual([
          ['api.localhost', 'Bearer'],
          ['evil.api.localhost', undefined],
        ]);
        agent.destroy();
      });

      it("the app's own beforeRedirect hook never sees the token", async () => {
        const { interceptor } = await start();
        api.on('/v1/hop', { type: 'redirect', location: `${api.origin()}/v1/landed` });
        const seen: string[] = [];
        const client = lib.create({ beforeRedirect: (options) => void seen.push(deep(options.headers)) });
        interceptor.attach(client);
        await client.get(`${api.origin()}/v1/hop`);
        expect(seen).toHaveLength(1);
        expect(seen[0]).not.toMatch(/Bearer/);
        expect(api.received.map((request) => request.authorization?.split(' ')[0])).toEqual(['Bearer', 'Bearer']);
      });
    });

    it("requests with the token use the module's own agents: an unrelated error on the global agent shows none", async () => {
      const { interceptor, tokens, http } = await start();
      const token = (await tokens.getToken()).accessToken;
      api.on('/v1/slow', { type: 'hold' });
      foreign.on('/broken', { type: 'status', status: 500 });
      const client = lib.create();
      interceptor.attach(client);
      const inFlight = [firstValueFrom(http.get(`${api.origin()}/v1/slow`)), client.get(`${api.origin()}/v1/slow`)];
      await eventually(() => api.heldCount === 2, 5_000, 'both requests held');
      const unrelated = await lib.get(`${foreign.origin()}/broken`).catch((caught: unknown) => caught);
      expect((unrelated as AxiosError).response?.status).toBe(500);
      expect(deep(unrelated)).not.toContain(token);
      api.release();
      await Promise.all(inFlight);
    });

    describe('apiTimeoutMs is a total deadline per call', () => {
      it('a server that sends headers, then a byte every 800 ms, is cut off at the deadline', async () => {
        const clock = new ManualClock();
        const { http } = await start({ apiTimeoutMs: 1_000 }, clock);
        api.on('/v1/trickle', { type: 'trickle', everyMs: 800, bytes: 60 });
        api.trickled = 0;
        api.cutOff = 0;
        const call = firstValueFrom(http.get(`${api.origin()}/v1/trickle`)).catch((caught: unknown) => caught);
        await eventually(() => api.trickled >= 2, 5_000, 'two bytes trickled');
        clock.advance(1_000);
        const error = (await call) as AxiosError;
        expect(error.code).toBe('ECONNABORTED');
        expect(error.message).toMatch(/timeout of 1000ms exceeded/);
        await eventually(() => api.cutOff === 1, 5_000, 'the connection cut');
      });

      it('a streamed body is held to the same deadline', async () => {
        const clock = new ManualClock();
        const { http } = await start({ apiTimeoutMs: 1_000 }, clock);
        api.on('/v1/trickle-stream', { type: 'trickle', everyMs: 800, bytes: 60 });
        api.trickled = 0;
        const response = await firstValueFrom(
          http.get<NodeJS.ReadableStream>(`${api.origin()}/v1/trickle-stream`, { responseType: 'stream' }),
        );
        const read = (async () => {
          for await (const chunk of response.data) void chunk;
        })().catch((caught: unknown) => caught);
        await eventually(() => api.trickled >= 1, 5_000, 'a byte trickled');
        clock.advance(1_000);
        expect(await read).toMatchObject({ code: 'ECONNABORTED' });
      });
    });
  });
}
