import { inspect } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  DinteroTokenNetworkError,
  DinteroTokenRequestError,
  DinteroTokenResponseError,
  type DinteroAuthModuleOptions,
} from '../../lib/index.js';
import { nextEvent, recordEvents } from '../support/events.js';
import { ManualClock } from '../../lib/testing/manual-clock.js';
import { grantScript, ScriptedServer } from '../support/scripted-server.js';
import { eventually, startTokenApp, type TokenApp } from '../support/token-app.js';
import { freePort } from '../support/free-port.js';
import { normalizeOptions } from '../../lib/options/normalize-options.js';
import { TokenEndpointClient } from '../../lib/token/token-endpoint.client.js';
import { systemClock } from '../../lib/token/clock.js';

// A token endpoint that misbehaves: slow, huge, or echoing our credentials back. Each attempt
// must end within its bounds as a typed error, and the next one recovers.

const CLIENT_ID = 'hostile-client';
const SECRET = 'S3cr3t/with+special chars&=';
let server: ScriptedServer;
let app: (TokenApp & { clock: ManualClock }) | undefined;
const timers = new Set<NodeJS.Timeout>();

beforeAll(async () => {
  server = await new ScriptedServer(grantScript()).start();
});
afterEach(async () => {
  for (const timer of timers) clearInterval(timer);
  timers.clear();
  await app?.close();
  app = undefined;
  server.play(grantScript());
});
afterAll(() => server.stop());

async function start(overrides: Partial<DinteroAuthModuleOptions> = {}): Promise<TokenApp & { clock: ManualClock }> {
  const options: DinteroAuthModuleOptions = {
    accountId: 'T12345678',
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    baseUrl: server.baseUrl,
    allowInsecureLoopback: true,
    retry: { initialDelayMs: 100, maxDelayMs: 100 },
    ...overrides,
  };
  app = (await startTokenApp(options, new ManualClock())) as TokenApp & { clock: ManualClock };
  return app;
}

/** The first failed attempt's error, then the endpoint answers well and the token arrives. */
async function failsThenRecovers(app: TokenApp & { clock: ManualClock }) {
  const failed = nextEvent(app.tokens.events$, 'refresh-failed');
  const pending = app.tokens.getToken();
  const { error } = await failed;
  server.play(grantScript());
  app.clock.advance(100);
  await expect(pending).resolves.toMatchObject({ accessToken: 'eyJ.scripted.token' });
  return error;
}

describe('a slow endpoint', () => {
  it('one that sends headers, then a byte every 200 ms, is cut off at requestTimeoutMs; the next attempt succeeds', async () => {
    server.play((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write(' ');
      const timer = setInterval(() => res.write(' '), 200);
      timers.add(timer);
      res.on('close', () => clearInterval(timer));
    });
    const app = await start({ requestTimeoutMs: 1_000, acquireTimeoutMs: 60_000 });
    const started = Date.now();
    const error = await failsThenRecovers(app);
    expect(error).toBeInstanceOf(DinteroTokenNetworkError);
    expect(error).toMatchObject({ failure: 'timeout' });
    expect(error.message).toContain('requestTimeoutMs (1000 ms)');
    expect(error.message).toContain(server.baseUrl);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
  });
});

describe('answers too large', () => {
  it('a gzip answer that inflates past 64 KiB is refused as it inflates', async () => {
    const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024, 0x20));
    server.play((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip', 'Content-Length': bomb.length });
      res.end(bomb);
    });
    const app = await start();
    const error = await failsThenRecovers(app);
    expect(error).toBeInstanceOf(DinteroTokenResponseError);
    expect(error.message).toContain('larger than 64 KiB');
  });

  it('a 10 MB access_token is refused', async () => {
    server.play(grantScript('a'.repeat(10 * 1024 * 1024)));
    const error = await failsThenRecovers(await start());
    expect(error).toBeInstanceOf(DinteroTokenResponseError);
  });

  it('an access_token longer than 8 KiB is refused, even in a small answer', async () => {
    server.play(grantScript('a'.repeat(9 * 1024)));
    const error = await failsThenRecovers(await start());
    expect(error.message).toContain('access_token is longer than 8192 characters');
  });
});

describe('an endpoint that echoes our credentials', () => {
  const pair = `${CLIENT_ID}:${SECRET}`;
  const forms = {
    raw: SECRET,
    pair,
    basic: Buffer.from(pair).toString('base64'),
    base64url: Buffer.from(pair).toString('base64url'),
    urlEncoded: encodeURIComponent(SECRET),
    urlEncodedLower: encodeURIComponent(SECRET).replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()),
    shiftedBase64: Buffer.from(`{"echo":"${pair}"}`).toString('base64'),
  };

  it('puts no form of the secret into the error, the log, events or status', async () => {
    server.play((req, res) => {
      const message = `refused ${req.headers.authorization ?? ''}; ${Object.values(forms).join(' | ')}`;
      res.writeHead(401, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: { code: `invalid_client ${forms.basic}`, message } }));
    });
    const app = await start();
    const events = recordEvents(app.tokens.events$);
    const error = await app.tokens.getToken().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DinteroTokenRequestError);
    expect((error as DinteroTokenRequestError).dinteroMessage).toContain('<redacted>');

    const outputs = [
      inspect(error, { depth: 10, showHidden: true }),
      JSON.stringify(error),
      JSON.stringify(events),
      inspect(events, { depth: 10 }),
      inspect(app.tokens.status(), { depth: 10, showHidden: true }),
      app.tokens.status().lastError?.message ?? '',
      ...app.logger.lines,
    ].join('\n');
    for (const [name, form] of Object.entries(forms)) expect(outputs, `the ${name} form leaked`).not.toContain(form);
    expect(outputs).not.toContain(Buffer.from(SECRET).toString('base64').slice(4, -4));
  });
});

describe('error answers in other shapes than Dintero documents', () => {
  const refused = async () => (await start()).tokens.getToken().catch((caught: unknown) => caught);

  it('a body that is not an Error object still gives a typed error with the status, and no code or message', async () => {
    for (const body of ['["invalid_client"]', '"invalid_client"', '{"error":"invalid_client"}', 'not json']) {
      server.play((_req, res) => {
        res.writeHead(400, { 'Content-Type': 'application/json' });
        res.end(body);
      });
      const error = await refused();
      expect(error, body).toBeInstanceOf(DinteroTokenRequestError);
      expect(error, body).toMatchObject({ status: 400, dinteroCode: undefined, dinteroMessage: undefined });
      await app?.close();
      app = undefined;
    }
  });

  it("keeps Dintero's code and the first 300 characters of a long message", async () => {
    const message = `${'m'.repeat(299)}|cut here`;
    server.play((_req, res) => {
      res.writeHead(400, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'invalid_request', message } }));
    });
    const error = await refused();
    expect(error).toMatchObject({ status: 400, dinteroCode: 'invalid_request', dinteroMessage: `${'m'.repeat(299)}|...` });
  });

  it('keeps a message of exactly 300 characters whole, and an empty one is none', async () => {
    server.play((_req, res) => {
      res.writeHead(400, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: { code: '', message: 'm'.repeat(300) } }));
    });
    await expect(refused()).resolves.toMatchObject({ dinteroCode: undefined, dinteroMessage: 'm'.repeat(300) });
  });

  it('a Retry-After date is read against the client’s clock, not the machine’s', async () => {
    server.play((_req, res) => {
      res.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': new Date(app!.clock.wallNow() + 30_000).toUTCString() });
      res.end('{}');
    });
    const { tokens } = await start({ retry: { initialDelayMs: 100, maxDelayMs: 60_000 } });
    // Longer than the caller may wait: it is told at once, with the answer as the cause.
    const error = await tokens.getToken().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ reason: 'backoff', cause: { status: 429, retryAfterMs: 30_000 } });
  });

  it('a redirect is an answer, not a place to send the secret to', async () => {
    let redirected = 0;
    server.play((req, res) => {
      if (req.url === '/elsewhere') {
        redirected += 1;
        grantScript()(req, res, '');
        return;
      }
      res.writeHead(302, { Location: '/elsewhere' });
      res.end();
    });
    const error = await refused();
    expect(error).toBeInstanceOf(DinteroTokenRequestError);
    expect(error).toMatchObject({ status: 302 });
    expect(redirected).toBe(0);
  });
});

describe('an endpoint that cannot be reached, or a request given up', () => {
  it('a refused connection is a connection failure, named by its system code', async () => {
    const port = await freePort();
    const app = await start({ baseUrl: `http://127.0.0.1:${port}/v1` });
    const failed = nextEvent(app.tokens.events$, 'refresh-failed');
    void app.tokens.getToken().catch(() => undefined);
    const { error } = await failed;
    expect(error).toBeInstanceOf(DinteroTokenNetworkError);
    expect(error).toMatchObject({ failure: 'connection', systemCode: 'ECONNREFUSED' });
  });

  it('a connection dropped before the answer is a connection failure', async () => {
    server.play((req) => req.socket.destroy());
    const error = await failsThenRecovers(await start());
    expect(error).toBeInstanceOf(DinteroTokenNetworkError);
    expect(error).toMatchObject({ failure: 'connection' });
  });

  it('a request aborted by its caller is reported as aborted, not as a timeout', async () => {
    server.play(() => undefined);
    const config = normalizeOptions({
      accountId: 'T12345678',
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      baseUrl: server.baseUrl,
      allowInsecureLoopback: true,
    });
    const controller = new AbortController();
    const pending = new TokenEndpointClient(config, systemClock).requestToken(controller.signal, config.credentials.initial!);
    await eventually(() => server.requests >= 1, 5_000, 'the request to arrive');
    controller.abort();
    const error = await pending.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DinteroTokenNetworkError);
    expect(error).toMatchObject({ failure: 'aborted' });
  });
});
