import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { inspect } from 'node:util';
import { Agent as HttpsAgent } from 'node:https';
import axios, { type AxiosAdapter, type AxiosError, type AxiosResponse } from 'axios';
import { firstValueFrom } from 'rxjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import type { DinteroAuthModuleOptions } from '../../lib/index.js';
import { ManualClock } from '../../lib/testing/manual-clock.js';
import { eventually, fakeOptions, startFake, startTokenApp, type TokenApp } from '../support/token-app.js';

/**
 * An allowed origin on loopback that knows its sockets: which one each request came on, and
 * which are still open. `/v1/hold` is answered on `release()`, `/v1/trickle` sends headers,
 * then a byte per `tick()`; anything else gets 200 JSON.
 */
class SocketServer {
  readonly ports: number[] = [];
  readonly open = new Set<Socket>();
  private readonly held: ServerResponse[] = [];
  private readonly trickling: ServerResponse[] = [];
  private readonly server: Server;

  constructor() {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      this.ports.push(req.socket.remotePort!);
      req.resume();
      if (req.url === '/v1/hold') this.held.push(res);
      else if (req.url === '/v1/trickle') {
        res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
        res.flushHeaders();
        this.trickling.push(res);
      } else res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
    });
    // Idle keep-alive sockets stay open on this side: only the client closes them.
    this.server.keepAliveTimeout = 60_000;
    this.server.on('connection', (socket: Socket) => {
      this.open.add(socket);
      socket.on('close', () => this.open.delete(socket));
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get heldCount(): number {
    return this.held.length;
  }

  get tricklingCount(): number {
    return this.trickling.length;
  }

  release(): void {
    for (const res of this.held.splice(0)) res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
  }

  tick(): void {
    for (const res of this.trickling) res.write('.');
  }

  finishTrickles(): void {
    for (const res of this.trickling.splice(0)) res.end('.');
  }

  reset(): void {
    this.release();
    this.finishTrickles();
    this.ports.length = 0;
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }
}

let fake: FakeDinteroServer;
let api: SocketServer;
let app: TokenApp | undefined;

beforeAll(async () => {
  fake = await startFake();
  api = await new SocketServer().start();
});
afterEach(async () => {
  api.reset();
  await app?.close();
  app = undefined;
});
afterAll(async () => {
  await Promise.all([fake.stop(), api.stop()]);
});

async function start(overrides: Partial<DinteroAuthModuleOptions> = {}, clock?: ManualClock): Promise<TokenApp> {
  app = await startTokenApp(fakeOptions(fake, { apiOrigins: [api.origin], ...overrides }), clock);
  return app;
}

/** An app on the manual clock with its token already held: only API calls set timers from here on. */
async function startOnClock(apiTimeoutMs = 1_000): Promise<TokenApp & { clock: ManualClock }> {
  const clock = new ManualClock();
  const started = await start({ apiTimeoutMs }, clock);
  await started.tokens.getToken();
  return started as TokenApp & { clock: ManualClock };
}

describe("the module's own agents", () => {
  it('are in no config handed out (their sockets lead to request heads), and print as a name only', async () => {
    const { http, interceptor } = await start();
    const { config } = await firstValueFrom(http.get(`${api.origin}/v1/x`));
    expect(config.httpAgent).toBeUndefined();
    expect(config.httpsAgent).toBeUndefined();
    expect(http.axiosRef.defaults.httpAgent).toBeUndefined();
    // Should one be reached anyway, it prints as its name.
    const { agents } = interceptor as unknown as { agents: { http: object; https: object } };
    expect(JSON.stringify(agents.http)).toBe('"[nestjs-dintero-auth http agent]"');
    expect(JSON.stringify(agents.https)).toBe('"[nestjs-dintero-auth https agent]"');
    expect(inspect(agents.http)).toBe('[nestjs-dintero-auth http agent]');
    expect(inspect(agents.https)).toBe('[nestjs-dintero-auth https agent]');
  });

  it('keep connections alive: calls one after another share one socket', async () => {
    const { http } = await start();
    for (let call = 0; call < 3; call += 1) await firstValueFrom(http.get(`${api.origin}/v1/x`));
    expect(api.ports).toHaveLength(3);
    expect(new Set(api.ports).size).toBe(1);
  });

  it('are closed at shutdown: no socket left open', async () => {
    const started = await start();
    await firstValueFrom(started.http.get(`${api.origin}/v1/x`));
    expect(api.open.size).toBe(1);
    await started.close();
    app = undefined;
    await eventually(() => api.open.size === 0, 2_000, 'the keep-alive socket closed');
  });

  it("are closed at shutdown when the app gave its own https agent, which stays the app's", async () => {
    const own = new HttpsAgent({ keepAlive: true });
    try {
      const started = await start({ httpsAgent: own });
      await firstValueFrom(started.http.get(`${api.origin}/v1/x`));
      expect(api.open.size).toBe(1);
      await started.close();
      app = undefined;
      await eventually(() => api.open.size === 0, 2_000, 'the keep-alive socket closed');
    } finally {
      own.destroy();
    }
  });
});

describe('apiTimeoutMs, on the module instance used without a cancel token of its own (axiosRef)', () => {
  it('an answered call leaves no deadline timer behind, and its config no spent cancel token', async () => {
    const { http, clock } = await startOnClock();
    const before = clock.pendingTimers;
    const response = await http.axiosRef.get(`${api.origin}/v1/x`);
    expect(response.status).toBe(200);
    expect(clock.pendingTimers).toBe(before);
    // A retry of this config (axios-retry and the like) starts with a deadline of its own.
    expect(response.config.cancelToken).toBeUndefined();
  });

  it('a streamed body reads to its end, and the deadline ends with it', async () => {
    const { http, clock } = await startOnClock();
    const before = clock.pendingTimers;
    const response: AxiosResponse<NodeJS.ReadableStream> = await http.axiosRef.get(`${api.origin}/v1/trickle`, { responseType: 'stream' });
    expect(clock.pendingTimers).toBe(before + 1);
    const read = (async () => {
      let body = '';
      for await (const chunk of response.data) body += String(chunk);
      return body;
    })();
    api.tick();
    api.finishTrickles();
    expect(await read).toBe('..');
    await eventually(() => clock.pendingTimers === before, 2_000, 'the deadline released');
  });

  it('a trickling answer is cut off at the deadline with the timeout error', async () => {
    const { http, clock } = await startOnClock();
    const call = http.axiosRef.get(`${api.origin}/v1/trickle`).catch((caught: unknown) => caught);
    await eventually(() => api.tricklingCount === 1, 5_000, 'headers sent');
    api.tick();
    clock.advance(1_000);
    const error = (await call) as AxiosError;
    expect(error.code).toBe('ECONNABORTED');
    expect(error.message).toBe('timeout of 1000ms exceeded (total deadline of the call)');
  });

  it('an instance on the fetch adapter is held to its deadline too', async () => {
    const { interceptor, clock } = await startOnClock();
    // The per-request `adapter` option replaces the instance's (ours) altogether: set it on the instance.
    const client = axios.create({ adapter: 'fetch' });
    interceptor.protect(client, { deadlineMs: 1_000 });
    const call = client.get(`${api.origin}/v1/trickle`).catch((caught: unknown) => caught);
    await eventually(() => api.tricklingCount === 1, 5_000, 'headers sent');
    clock.advance(1_000);
    const error = (await call) as AxiosError;
    expect(error.code).toBe('ECONNABORTED');
    expect(error.message).toBe('timeout of 1000ms exceeded (total deadline of the call)');
  });

  it('an adapter that reports the cancel in its own words: the caller still gets the timeout error', async () => {
    const { interceptor, clock } = await startOnClock();
    // As the xhr adapter or an app's own: it fails with an error of its own when the token fires.
    const ownWords: AxiosAdapter = (config) =>
      new Promise((_resolve, reject) => config.cancelToken?.subscribe(() => reject(new Error('adapter: request aborted'))));
    const client = axios.create({ adapter: ownWords });
    interceptor.protect(client, { deadlineMs: 1_000 });
    const call = client.get(`${api.origin}/v1/x`).catch((caught: unknown) => caught);
    clock.advance(1_000);
    const error = (await call) as AxiosError;
    expect(error.code).toBe('ECONNABORTED');
    expect(error.message).toBe('timeout of 1000ms exceeded (total deadline of the call)');
  });

  it('a cancel token the app shares across calls keeps no listener of a finished call', async () => {
    const { http } = await startOnClock();
    const { token } = axios.CancelToken.source();
    for (let call = 0; call < 3; call += 1) await http.axiosRef.get(`${api.origin}/v1/x`, { cancelToken: token });
    // axios' CancelToken keeps its listeners here; each would hold a finished call's config.
    expect((token as unknown as { _listeners?: unknown[] })._listeners ?? []).toHaveLength(0);
  });

  it("the app's own cancel token still cancels the call: the caller gets axios' cancel, not a timeout", async () => {
    const { http } = await startOnClock();
    const source = axios.CancelToken.source();
    const call = http.axiosRef.get(`${api.origin}/v1/hold`, { cancelToken: source.token }).catch((caught: unknown) => caught);
    await eventually(() => api.heldCount === 1, 5_000, 'the request held');
    source.cancel('changed my mind');
    const error = await call;
    expect(axios.isCancel(error)).toBe(true);
    expect((error as Error).message).toBe('changed my mind');
  });

  it('whichever comes first decides the error: a cancel, then the deadline in the same moment, is a cancel', async () => {
    const { http, clock } = await startOnClock();
    const source = axios.CancelToken.source();
    const call = http.axiosRef.get(`${api.origin}/v1/hold`, { cancelToken: source.token }).catch((caught: unknown) => caught);
    await eventually(() => api.heldCount === 1, 5_000, 'the request held');
    source.cancel('changed my mind');
    clock.advance(1_000);
    const error = await call;
    expect(axios.isCancel(error)).toBe(true);
    expect((error as Error).message).toBe('changed my mind');
  });

  it('a call the app cancels while it waits for the token fails with the cancel, without waiting for the server', async () => {
    const clock = new ManualClock();
    const { http } = await start({ apiTimeoutMs: 1_000 }, clock);
    const source = axios.CancelToken.source();
    // No token held yet: the call waits for the first token request.
    const call = http.axiosRef.get(`${api.origin}/v1/hold`, { cancelToken: source.token }).catch((caught: unknown) => caught);
    source.cancel('gone');
    const error = await call;
    expect(axios.isCancel(error)).toBe(true);
    expect((error as Error).message).toBe('gone');
  });
});
