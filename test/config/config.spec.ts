import { Test } from '@nestjs/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dinteroConfig } from '../../lib/config/index.js';
import { FAKE_DINTERO_CLIENT, type FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import { DinteroAuthConfigError, DinteroAuthModule, DinteroTokenService, dinteroOptionsFromEnv } from '../../lib/index.js';
import { CaptureLogger } from '../support/capture-logger.js';
import { startFake } from '../support/token-app.js';

const NAMES = [
  'DINTERO_ACCOUNT_ID',
  'DINTERO_CLIENT_ID',
  'DINTERO_CLIENT_SECRET',
  'DINTERO_AUDIENCE',
  'DINTERO_BASE_URL',
  'DINTERO_ALLOW_INSECURE_LOOPBACK',
];
let fake: FakeDinteroServer;
const saved = Object.fromEntries(NAMES.map((name) => [name, process.env[name]]));

beforeAll(async () => {
  fake = await startFake();
});
afterEach(() => {
  for (const name of NAMES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});
afterAll(() => fake.stop());

describe('dinteroOptionsFromEnv', () => {
  it('reads the DINTERO_* variables, optional ones only when set', () => {
    expect(dinteroOptionsFromEnv({ DINTERO_ACCOUNT_ID: 'T12345678', DINTERO_CLIENT_ID: 'id', DINTERO_CLIENT_SECRET: ' secret ' })).toEqual({
      accountId: 'T12345678',
      clientId: 'id',
      clientSecret: 'secret',
    });
    expect(
      dinteroOptionsFromEnv(
        {
          DINTERO_ACCOUNT_ID: 'T12345678',
          DINTERO_CLIENT_ID: 'id',
          DINTERO_CLIENT_SECRET: 's',
          DINTERO_AUDIENCE: 'https://b/accounts/T12345678',
          DINTERO_BASE_URL: 'https://b',
        },
        { prefetch: true },
      ),
    ).toMatchObject({ audience: 'https://b/accounts/T12345678', baseUrl: 'https://b', prefetch: true });
  });

  it('names every missing variable, and no value', () => {
    const error = configError(() => dinteroOptionsFromEnv({ DINTERO_CLIENT_ID: 'id', DINTERO_CLIENT_SECRET: '  ' }));
    expect(error.issues.map((issue) => issue.path)).toEqual(['DINTERO_ACCOUNT_ID', 'DINTERO_CLIENT_SECRET']);
    expect(error.message).toContain('DINTERO_ACCOUNT_ID: is not set');
  });

  it('names invalid values by variable, not by option, and options from overrides by option', () => {
    const secret = 'secret-that-must-not-show';
    const error = configError(() =>
      dinteroOptionsFromEnv(
        {
          DINTERO_ACCOUNT_ID: 'X1',
          DINTERO_CLIENT_ID: 'id:x',
          DINTERO_CLIENT_SECRET: secret,
          DINTERO_BASE_URL: 'http://127.0.0.1:1/v1',
          DINTERO_AUDIENCE: 'nope',
        },
        { requestTimeoutMs: -1 },
      ),
    );
    expect(error.issues.map((issue) => issue.path).sort()).toEqual(
      ['DINTERO_ACCOUNT_ID', 'DINTERO_AUDIENCE', 'DINTERO_BASE_URL', 'DINTERO_CLIENT_ID', 'requestTimeoutMs'].sort(),
    );
    expect(error.message).toContain(
      'DINTERO_BASE_URL: must use https (plain http is allowed only to loopback hosts, with DINTERO_ALLOW_INSECURE_LOOPBACK=true)',
    );
    expect(error.message).not.toContain(secret);
  });

  it('DINTERO_ALLOW_INSECURE_LOOPBACK=true lets the base URL point at a local fake; other values are named', () => {
    const env = {
      DINTERO_ACCOUNT_ID: 'T12345678',
      DINTERO_CLIENT_ID: 'id',
      DINTERO_CLIENT_SECRET: 's',
      DINTERO_BASE_URL: 'http://127.0.0.1:1/v1',
    };
    expect(dinteroOptionsFromEnv({ ...env, DINTERO_ALLOW_INSECURE_LOOPBACK: 'true' })).toMatchObject({ allowInsecureLoopback: true });
    expect(() => dinteroOptionsFromEnv({ ...env, DINTERO_ALLOW_INSECURE_LOOPBACK: 'false' })).toThrow(/DINTERO_BASE_URL: must use https/);
    expect(configError(() => dinteroOptionsFromEnv({ ...env, DINTERO_ALLOW_INSECURE_LOOPBACK: 'maybe' })).issues).toEqual([
      { path: 'DINTERO_ALLOW_INSECURE_LOOPBACK', problem: 'must be true or false' },
    ]);
  });
});

function configError(run: () => unknown): DinteroAuthConfigError {
  try {
    run();
  } catch (caught) {
    expect(caught).toBeInstanceOf(DinteroAuthConfigError);
    return caught as DinteroAuthConfigError;
  }
  throw new Error('expected a DinteroAuthConfigError');
}

/** The fake's client in process.env, with `more` variables. */
function setFakeClientEnv(more: Record<string, string>): void {
  Object.assign(process.env, {
    DINTERO_ACCOUNT_ID: FAKE_DINTERO_CLIENT.accountId,
    DINTERO_CLIENT_ID: FAKE_DINTERO_CLIENT.clientId,
    DINTERO_CLIENT_SECRET: FAKE_DINTERO_CLIENT.clientSecret,
    ...more,
  });
}

/** The one-line registration, from process.env. */
function compileFromEnv() {
  return Test.createTestingModule({ imports: [DinteroAuthModule.forRootAsync(dinteroConfig.asProvider())] })
    .setLogger(new CaptureLogger())
    .compile();
}

describe('dinteroConfig (registerAs)', () => {
  it('wires forRootAsync in one line from the environment', async () => {
    setFakeClientEnv({ DINTERO_BASE_URL: 'https://checkout.dintero.com/v1' });
    const moduleRef = await compileFromEnv();
    await moduleRef.init();
    const status = moduleRef.get(DinteroTokenService).status();
    expect(status.token).toBeUndefined();
    expect(moduleRef.get<{ tokenUrl: string }>((await import('../../lib/module/injection-tokens.js')).DINTERO_AUTH_CONFIG).tokenUrl).toBe(
      'https://checkout.dintero.com/v1/accounts/T12345678/auth/token',
    );
    await moduleRef.close();
  });

  it('points at the built-in fake from the environment alone', async () => {
    setFakeClientEnv({ DINTERO_BASE_URL: fake.baseUrl, DINTERO_ALLOW_INSECURE_LOOPBACK: 'true' });
    const moduleRef = await compileFromEnv();
    await moduleRef.init();
    const token = await moduleRef.get(DinteroTokenService).getToken();
    expect(fake.verifyToken(token.accessToken)).toBeDefined();
    await moduleRef.close();
  });

  it('an invalid variable fails start-up, naming the variable', async () => {
    Object.assign(process.env, { DINTERO_ACCOUNT_ID: 'X1', DINTERO_CLIENT_ID: 'id', DINTERO_CLIENT_SECRET: 'secret' });
    await expect(compileFromEnv()).rejects.toThrow(/DINTERO_ACCOUNT_ID: "X1" is not a Dintero account id/);
  });

  it('a missing variable fails start-up, naming it', async () => {
    for (const name of NAMES) delete process.env[name];
    process.env.DINTERO_ACCOUNT_ID = 'T12345678';
    process.env.DINTERO_CLIENT_ID = 'id';
    await expect(compileFromEnv()).rejects.toThrow(/DINTERO_CLIENT_SECRET: is not set/);
  });
});
