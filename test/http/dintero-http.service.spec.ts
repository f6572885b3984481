import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpService } from '@nestjs/axios';
import axios, { type AxiosAdapter, type AxiosResponse, type CancelToken, type InternalAxiosRequestConfig } from 'axios';
import { firstValueFrom } from 'rxjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import { DinteroHttpService } from '../../lib/index.js';
import { eventually, fakeOptions, startFake, startTokenApp, type TokenApp } from '../support/token-app.js';

/** An adapter that answers when told to, and keeps every config it was given. */
class HeldAdapter {
  readonly configs: InternalAxiosRequestConfig[] = [];
  private readonly pending: ((response: AxiosResponse) => void)[] = [];

  readonly adapter: AxiosAdapter = (config) => {
    this.configs.push(config);
    return new Promise<AxiosResponse>((resolve, reject) => {
      this.pending.push(resolve);
      config.cancelToken?.subscribe(() => reject(new Error('cancelled')));
    });
  };

  answer(): void {
    for (const resolve of this.pending.splice(0)) {
      const config = this.configs.at(-1)!;
      resolve({ data: { ok: true }, status: 200, statusText: 'OK', headers: {}, config, request: {} });
    }
  }

  tokenOf(index = -1): CancelToken {
    return this.configs.at(index)!.cancelToken!;
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

// What DinteroHttpService promises is HttpService's behaviour: both run the same cases.
describe.each([
  ['HttpService', (adapter: AxiosAdapter) => new HttpService(axios.create({ adapter }))],
  ['DinteroHttpService', (adapter: AxiosAdapter) => new DinteroHttpService(axios.create({ adapter }))],
])('%s, as an Observable over axios', (_name, serviceOver) => {
  it('leaving before the answer cancels the call', async () => {
    const held = new HeldAdapter();
    const subscription = serviceOver(held.adapter)
      .get('http://api.test/v1/x')
      .subscribe({ error: () => undefined });
    await settle();
    expect(held.tokenOf().reason).toBeUndefined();
    subscription.unsubscribe();
    expect(axios.isCancel(held.tokenOf().reason)).toBe(true);
  });

  it('a streamed call is not cancelled when its subscriber leaves', async () => {
    const held = new HeldAdapter();
    const subscription = serviceOver(held.adapter)
      .get('http://api.test/v1/x', { responseType: 'stream' })
      .subscribe({ error: () => undefined });
    await settle();
    subscription.unsubscribe();
    expect(held.tokenOf().reason).toBeUndefined();
  });

  it("a cancel token of the caller's is used as it is, and the caller's config is not changed", async () => {
    const held = new HeldAdapter();
    const source = axios.CancelToken.source();
    const config = { headers: { 'X-Mine': 'yes' }, cancelToken: source.token };
    const subscription = serviceOver(held.adapter).post('http://api.test/v1/x', { amount: 1 }, config).subscribe();
    await settle();
    expect(held.tokenOf()).toBe(source.token);
    expect(held.configs[0]!.data).toBe('{"amount":1}');
    expect(held.configs[0]!.headers.get('X-Mine')).toBe('yes');
    subscription.unsubscribe();
    // The caller's token is the caller's to cancel.
    expect(source.token.reason).toBeUndefined();
    expect(Object.keys(config)).toEqual(['headers', 'cancelToken']);

    const plain = { headers: { 'X-Mine': 'yes' } };
    serviceOver(held.adapter).get('http://api.test/v1/y', plain).subscribe();
    await settle();
    expect(held.configs[1]!.cancelToken).toBeDefined();
    expect(plain).toEqual({ headers: { 'X-Mine': 'yes' } });
  });

  it('an answer, then complete; an error goes to the subscriber', async () => {
    const held = new HeldAdapter();
    const service = serviceOver(held.adapter);
    const answered = firstValueFrom(service.request({ url: 'http://api.test/v1/x' }));
    await settle();
    held.answer();
    expect((await answered).data).toEqual({ ok: true });

    const failing = serviceOver(() => Promise.reject(new Error('down')));
    await expect(firstValueFrom(failing.get('http://api.test/v1/x'))).rejects.toThrow('down');
  });
});

describe('DinteroHttpService, where it differs from HttpService', () => {
  it('a call that has settled is not cancelled afterwards (HttpService builds a CanceledError for it)', async () => {
    for (const [service, cancelledAfterwards] of [
      [new HttpService(axios.create()), true],
      [new DinteroHttpService(axios.create()), false],
    ] as const) {
      const held = new HeldAdapter();
      service.axiosRef.defaults.adapter = held.adapter;
      const answered = firstValueFrom(service.get('http://api.test/v1/x'));
      await settle();
      held.answer();
      await answered;
      expect(held.tokenOf().reason !== undefined).toBe(cancelledAfterwards);
    }
  });
});

describe('DinteroHttpService over a real socket', () => {
  let fake: FakeDinteroServer;
  let api: Server;
  let origin: string;
  const received: string[] = [];
  const abandoned: string[] = [];
  let app: TokenApp | undefined;

  beforeAll(async () => {
    fake = await startFake();
    // Holds every request, and records the ones whose client went away before the answer.
    api = createServer((req: IncomingMessage, res: ServerResponse) => {
      received.push(req.url ?? '');
      res.on('close', () => {
        if (!res.writableEnded) abandoned.push(req.url ?? '');
      });
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });
  afterAll(async () => {
    api.closeAllConnections();
    await Promise.all([fake.stop(), new Promise((resolve) => api.close(resolve))]);
  });

  it('leaving before the answer aborts the request on the wire', async () => {
    app = await startTokenApp(fakeOptions(fake, { apiOrigins: [origin] }));
    const subscription = app.http.get(`${origin}/v1/held`).subscribe({ error: () => undefined });
    await eventually(() => received.includes('/v1/held'), 5_000, 'the request sent');
    expect(abandoned).toEqual([]);
    subscription.unsubscribe();
    await eventually(() => abandoned.includes('/v1/held'), 5_000, 'the request aborted');
  });
});
