import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_DINTERO_CLIENT, type FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import { PACKAGE_VERSION } from '../../lib/options/dintero-auth.constants.js';
import { RecordingProxy } from '../http/support/recording-proxy.js';
import { fakeOptions, startFake, startTokenApp, type TokenApp } from '../support/token-app.js';
import { readFileSync } from 'node:fs';

let fake: FakeDinteroServer;
let app: TokenApp | undefined;

beforeAll(async () => {
  fake = await startFake();
});
afterEach(async () => {
  await app?.close();
  app = undefined;
  fake.resetCounts();
});
afterAll(() => fake.stop());

describe('the token request', () => {
  it("is a client-credentials POST with Basic auth, Dintero's JSON body and our User-Agent", async () => {
    app = await startTokenApp(fakeOptions(fake));
    await app.tokens.getToken();
    const [request] = fake.tokenRequests;
    expect(request).toBeDefined();
    expect(request!.method).toBe('POST');
    expect(request!.path).toBe(`/v1/accounts/${FAKE_DINTERO_CLIENT.accountId}/auth/token`);
    const basic = Buffer.from(String(request!.headers.authorization).replace(/^Basic /, ''), 'base64').toString();
    expect(basic).toBe(`${FAKE_DINTERO_CLIENT.clientId}:${FAKE_DINTERO_CLIENT.clientSecret}`);
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers.accept).toBe('application/json');
    expect(request!.headers['user-agent']).toBe(`nestjs-dintero-auth/${PACKAGE_VERSION}`);
    // One request per token lifetime: a pooled socket would only go stale before the next.
    expect(request!.headers.connection).toBe('close');
    expect(JSON.parse(request!.body)).toEqual({
      grant_type: 'client_credentials',
      audience: `https://api.dintero.com/v1/accounts/${FAKE_DINTERO_CLIENT.accountId}`,
    });
  });

  it('goes straight to the endpoint with every proxy variable set: the client secret never crosses a proxy', async () => {
    const proxy = await new RecordingProxy().start();
    const names = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'ALL_PROXY', 'all_proxy', 'NO_PROXY', 'no_proxy'];
    const saved = new Map(names.map((name) => [name, process.env[name]]));
    for (const name of names) delete process.env[name];
    for (const name of names.slice(0, 6)) process.env[name] = proxy.url;
    try {
      app = await startTokenApp(fakeOptions(fake));
      await app.tokens.getToken();
      expect(fake.tokenRequestCount).toBe(1);
      expect(proxy.connections).toEqual([]);
      // The variables are in effect: a plain axios request to the same URL goes to the proxy.
      const axios = (await import('axios')).default;
      await axios.post(`${fake.baseUrl}/accounts/${FAKE_DINTERO_CLIENT.accountId}/auth/token`).catch(() => undefined);
      expect(proxy.clearText).toContain('/auth/token');
      expect(fake.tokenRequestCount).toBe(1);
    } finally {
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      await proxy.stop();
    }
  });

  it('sends a configured audience as it is', async () => {
    // The base URL's form of the account's audience (the fake grants only Dintero's: no token).
    const audience = `${fake.baseUrl}/accounts/${FAKE_DINTERO_CLIENT.accountId}`;
    app = await startTokenApp(fakeOptions(fake, { audience }));
    await app.tokens.getToken().catch(() => undefined);
    expect(JSON.parse(fake.tokenRequests[0]!.body)).toMatchObject({ audience });
  });

  it('goes through an axios instance of its own, not the process-wide default', async () => {
    const axios = (await import('axios')).default;
    const seen: string[] = [];
    const id = axios.interceptors.request.use((config) => {
      seen.push(String(config.url));
      return config;
    });
    try {
      app = await startTokenApp(fakeOptions(fake));
      await app.tokens.getToken();
      expect(fake.tokenRequestCount).toBe(1);
      expect(seen).toEqual([]);
    } finally {
      axios.interceptors.request.eject(id);
    }
  });

  it('names the package version that package.json declares', () => {
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(PACKAGE_VERSION).toBe(manifest.version);
  });
});
