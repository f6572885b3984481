import { createConnection } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_DINTERO_CLIENT, type FakeDinteroClient, FakeTokenServer } from '../../lib/testing/index.js';
import { fakeOptions, startTokenApp, type TokenApp } from '../support/token-app.js';

const OTHER_CLIENT: FakeDinteroClient = { accountId: 'T87654321', clientId: 'other-client', clientSecret: 'other-secret' };

let fake: FakeTokenServer;
let app: TokenApp | undefined;

beforeAll(async () => {
  fake = await new FakeTokenServer({ clients: [FAKE_DINTERO_CLIENT, OTHER_CLIENT], tokenLifetimeSeconds: 600 }).start();
});
afterEach(async () => {
  await app?.close();
  app = undefined;
  fake.clearTokenFaults();
  fake.resetCounts();
});
afterAll(() => fake.stop());

/** A client-credentials request as Dintero's docs show it, with `overrides` for what a test breaks. */
async function requestToken(
  overrides: { client?: FakeDinteroClient; accountId?: string; body?: unknown; method?: string; path?: string } = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const client = overrides.client ?? FAKE_DINTERO_CLIENT;
  const accountId = overrides.accountId ?? client.accountId;
  const body = overrides.body ?? { grant_type: 'client_credentials', audience: `https://api.dintero.com/v1/accounts/${accountId}` };
  const answer = await fetch(`${fake.origin}${overrides.path ?? `/v1/accounts/${accountId}/auth/token`}`, {
    method: overrides.method ?? 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
      'Content-Type': 'application/json',
    },
    ...(overrides.method === 'GET' ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await answer.text();
  return { status: answer.status, body: text ? JSON.parse(text) : undefined, headers: answer.headers };
}

/** Opens a bare TCP connection: `connected`, or the error code. */
function connect(origin: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = createConnection(Number(new URL(origin).port), '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

describe('FakeTokenServer', () => {
  it('serves DinteroAuthModule its tokens over HTTP: each one issued, verifiable, and recorded with its request', async () => {
    app = await startTokenApp(fakeOptions(fake));
    const token = await app.tokens.getToken();
    expect(fake.issuedTokens.at(-1)).toBe(token.accessToken);
    expect(fake.verifyToken(token.accessToken)).toMatchObject({
      sub: FAKE_DINTERO_CLIENT.clientId,
      aud: `https://api.dintero.com/v1/accounts/${FAKE_DINTERO_CLIENT.accountId}`,
    });
    expect(fake.tokenRequestCount).toBe(1);
    expect(fake.tokenRequests).toMatchObject([
      { method: 'POST', path: `/v1/accounts/${FAKE_DINTERO_CLIENT.accountId}/auth/token`, status: 200 },
    ]);
  });

  it("checks what Dintero checks, in Dintero's error shape", async () => {
    const issued = fake.issuedTokens.length;
    expect(await requestToken({ client: OTHER_CLIENT })).toMatchObject({ status: 200, body: { token_type: 'Bearer', expires_in: 600 } });
    const refusals: [Parameters<typeof requestToken>[0], number, string][] = [
      [{ accountId: 'X1' }, 400, 'invalid_account'],
      [{ client: { ...FAKE_DINTERO_CLIENT, clientSecret: 'wrong' } }, 401, 'invalid_client'],
      [{ body: 'not json' }, 400, 'invalid_request'],
      [{ body: { audience: 'https://api.dintero.com/v1/accounts/T12345678' } }, 400, 'invalid_request'],
      [{ body: { grant_type: 'password', audience: 'https://api.dintero.com/v1/accounts/T12345678' } }, 400, 'unsupported_grant_type'],
      [{ body: { grant_type: 'client_credentials' } }, 400, 'invalid_request'],
      [{ accountId: OTHER_CLIENT.accountId }, 403, 'access_denied'],
      [{ body: { grant_type: 'client_credentials', audience: 'https://api.dintero.com/v1/accounts/T87654321' } }, 403, 'invalid_audience'],
    ];
    for (const [overrides, status, code] of refusals) {
      expect(await requestToken(overrides), JSON.stringify(overrides)).toMatchObject({ status, body: { error: { code } } });
    }
    expect(fake.issuedTokens).toHaveLength(issued + 1);
    expect(fake.tokenRequests.map((request) => request.status)).toEqual([200, ...refusals.map(([, status]) => status)]);
  });

  it('serves nothing but the token endpoint: any other route is a 404, and is not a token request', async () => {
    expect(await requestToken({ method: 'GET' })).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect(await requestToken({ path: '/v1/sessions-profile' })).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect(fake.tokenRequestCount).toBe(0);
  });

  it('plays an injected fault the given number of times, then answers normally again', async () => {
    fake.injectTokenFault({ type: 'status', status: 503, retryAfter: 7 }, 2);
    const failed = [await requestToken(), await requestToken()];
    expect(failed.map((answer) => [answer.status, answer.headers.get('retry-after')])).toEqual([
      [503, '7'],
      [503, '7'],
    ]);
    expect((await requestToken()).status).toBe(200);

    // Without a count, until cleared.
    fake.injectTokenFault({ type: 'reset' });
    await expect(requestToken()).rejects.toThrow('fetch failed');
    await expect(requestToken()).rejects.toThrow('fetch failed');
    fake.clearTokenFaults();
    expect((await requestToken()).body.access_token).toEqual(expect.any(String));
  });

  it('verifies only unrevoked, unexpired tokens it issued', async () => {
    const first = (await requestToken()).body.access_token as string;
    const second = (await requestToken()).body.access_token as string;
    expect(fake.verifyToken(first)).toBeDefined();
    expect(fake.verifyToken(first, Date.now() + 601_000)).toBeUndefined();
    expect(fake.verifyToken(`${first.slice(0, -2)}xx`)).toBeUndefined();
    fake.revokeToken(first);
    expect([fake.verifyToken(first), fake.verifyToken(second)]).toEqual([undefined, expect.anything()]);
    fake.revokeAllTokens();
    expect(fake.verifyToken(second)).toBeUndefined();
    expect(fake.verifyToken((await requestToken()).body.access_token as string)).toBeDefined();
  });

  it('issues tokens of the lifetime set now', async () => {
    fake.tokenLifetimeSeconds = 30;
    try {
      expect((await requestToken()).body.expires_in).toBe(30);
    } finally {
      fake.tokenLifetimeSeconds = 600;
    }
  });

  it('goes down, refusing connections, and comes back on the same port', async () => {
    const origin = fake.origin;
    await fake.refuseConnections();
    expect(await connect(fake.origin)).toBe('ECONNREFUSED');
    await fake.acceptConnections();
    expect(fake.origin).toBe(origin);
    expect(await connect(fake.origin)).toBe('connected');
    expect((await requestToken()).status).toBe(200);
  });

  it('with recordRequests: false, counts requests without keeping them', async () => {
    const quiet = await new FakeTokenServer({ recordRequests: false }).start();
    try {
      await fetch(`${quiet.baseUrl}/accounts/${FAKE_DINTERO_CLIENT.accountId}/auth/token`, { method: 'POST', body: '{}' });
      expect([quiet.tokenRequestCount, quiet.tokenRequests]).toEqual([1, []]);
    } finally {
      await quiet.stop();
    }
  });

  it('says so when asked for its address before it is started', () => {
    expect(() => new FakeTokenServer().baseUrl).toThrow('FakeTokenServer is not started');
  });
});
