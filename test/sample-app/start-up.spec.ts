import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { FAKE_DINTERO_CLIENT, FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import { freePort } from '../support/free-port.js';

// `npm start` builds the package, then runs this entry point; `npm test` builds both first.
const ENTRY = fileURLToPath(new URL('../../sample-app/dist/main.js', import.meta.url));
const built = existsSync(ENTRY);
if (!built) console.warn(`SKIPPED: the start-up tests need the built sample app (${ENTRY}); run npm run build && npm run build:sample`);

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** Runs the built sample app with exactly `env` (plus PATH), collecting its output. */
function run(env: Record<string, string>): { child: ChildProcess; output: () => string; exit: Promise<number | string | null> } {
  const child = spawn(process.execPath, [ENTRY], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  // Nest's shutdown hooks re-raise the signal after closing, so a clean stop ends by that signal.
  const exit = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  return { child, output: () => text, exit };
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(!built)('npm start entry point', () => {
  it('boots with no environment, says it uses the fake, answers on PORT and stops on SIGTERM', async () => {
    const port = await freePort();
    const app = run({ PORT: String(port) });
    await waitFor(() => app.output().includes(`http://localhost:${port}/`), 15_000);
    expect(app.output()).toMatch(/using the built-in FAKE Dintero at http:\/\/127\.0\.0\.1:\d+\/v1/);

    const status = (await (await fetch(`http://127.0.0.1:${port}/auth/status`)).json()) as { healthy: boolean };
    expect(status.healthy).toBe(true);
    const page = await (await fetch(`http://127.0.0.1:${port}/`)).text();
    expect(page).toContain('Pay with Dintero');

    app.child.kill('SIGTERM');
    expect(await app.exit).toBe('SIGTERM');
  });

  it('stops on SIGTERM while a page listens to the token events', async () => {
    const port = await freePort();
    const app = run({ PORT: String(port) });
    await waitFor(() => app.output().includes(`http://localhost:${port}/`), 15_000);
    const events = await fetch(`http://127.0.0.1:${port}/auth/events`);
    expect(events.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = events.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toMatch(/^\s*event: status\n/);
    app.child.kill('SIGTERM');
    expect(await app.exit).toBe('SIGTERM');
    await reader.cancel().catch(() => undefined);
  });

  it('a busy PORT fails start-up naming the port, exits 1, and never says it started', async () => {
    const port = await freePort();
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(port, resolve));
    try {
      const app = run({ PORT: String(port) });
      expect(await app.exit).toBe(1);
      expect(app.output()).toContain(`Port ${port} is already in use`);
      expect(app.output()).not.toContain('successfully started');
      expect(app.output()).not.toContain('ready: open');
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });

  it('runs against a local Dintero stand-in given as DINTERO_BASE_URL with credentials, and pays through it', async () => {
    // As a developer runs one: it calls back this machine, signing with the secret the app is given.
    const standIn = await new FakeDinteroServer({
      allowLoopbackCallbacks: true,
      callbackSignatureSecret: 'stand-in-callback-secret',
    }).start();
    try {
      const port = await freePort();
      const app = run({
        PORT: String(port),
        DINTERO_ACCOUNT_ID: FAKE_DINTERO_CLIENT.accountId,
        DINTERO_CLIENT_ID: FAKE_DINTERO_CLIENT.clientId,
        DINTERO_CLIENT_SECRET: FAKE_DINTERO_CLIENT.clientSecret,
        DINTERO_PROFILE_ID: 'default',
        DINTERO_BASE_URL: standIn.baseUrl,
        DINTERO_ALLOW_INSECURE_LOOPBACK: 'true',
        DINTERO_CALLBACK_SECRET: 'stand-in-callback-secret',
      });
      await waitFor(() => app.output().includes(`http://localhost:${port}/`) || app.child.exitCode !== null, 15_000);
      expect(app.output()).toContain(`Using Dintero at ${standIn.baseUrl}`);
      expect(app.output()).not.toContain('FAKE');
      const created = await fetch(`http://127.0.0.1:${port}/payments`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ amount: 4_900, currency: 'NOK' }),
      });
      expect(created.status, await created.clone().text()).toBe(201);
      expect(((await created.json()) as { checkoutUrl: string }).checkoutUrl.startsWith(standIn.baseUrl.replace(/\/v1$/, ''))).toBe(true);
      expect(standIn.tokenRequestCount).toBeGreaterThan(0);
      expect(app.output()).not.toContain(FAKE_DINTERO_CLIENT.clientSecret);
      app.child.kill('SIGTERM');
      await app.exit;
    } finally {
      await standIn.stop();
    }
  });

  it("fails start-up with the module's config error when the credentials are bad, without echoing the secret", async () => {
    const app = run({
      PORT: String(await freePort()),
      DINTERO_ACCOUNT_ID: 'X123',
      DINTERO_CLIENT_ID: 'client',
      DINTERO_CLIENT_SECRET: 'very-secret-value',
      DINTERO_PROFILE_ID: 'T12345678.profile',
    });
    expect(await app.exit).toBe(1);
    expect(app.output()).toContain('Invalid DinteroAuthModule options');
    expect(app.output()).toContain('accountId');
    expect(app.output()).not.toContain('very-secret-value');
  });

  it('refuses to start with credentials but no DINTERO_PROFILE_ID, naming the variable', async () => {
    const app = run({
      PORT: String(await freePort()),
      DINTERO_ACCOUNT_ID: 'T12345678',
      DINTERO_CLIENT_ID: 'client',
      DINTERO_CLIENT_SECRET: 'very-secret-value',
    });
    expect(await app.exit).toBe(1);
    expect(app.output()).toContain('DINTERO_PROFILE_ID: is not set');
    expect(app.output()).not.toContain('very-secret-value');
  });

  it('sample-app/.env.example, copied as shipped, runs against the fake', async () => {
    const example = readFileSync(fileURLToPath(new URL('../../sample-app/.env.example', import.meta.url)), 'utf8');
    const env = Object.fromEntries(
      example
        .split('\n')
        .filter((line) => /^\s*[A-Z_]+=/.test(line))
        .map((line) => [line.slice(0, line.indexOf('=')).trim(), line.slice(line.indexOf('=') + 1).trim()]),
    );
    expect(Object.keys(env).filter((name) => name.startsWith('DINTERO_'))).toEqual([]);
    const port = await freePort();
    const app = run({ ...env, PORT: String(port) });
    await waitFor(() => app.output().includes(`http://localhost:${port}/`), 15_000);
    expect(app.output()).toMatch(/using the built-in FAKE Dintero/);
    app.child.kill('SIGTERM');
    await app.exit;
  });
});
