import { Test } from '@nestjs/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dinteroConfig } from '../lib/config/index.js';
import { DinteroAuthConfigError, DinteroAuthModule, DinteroTokenService, dinteroOptionsFromEnv } from '../lib/index.js';
import { FAKE_DINTERO_CLIENT, type FakeDinteroServer } from '../lib/testing/index.js';
import { CaptureLogger } from './support/capture-logger.js';
import { startFake } from './support/token-app.js';

const NAMES = ['DINTERO_ACCOUNT_ID', 'DINTERO_CLIENT_ID', 'DINTERO_CLIENT_SECRET', 'DINTERO_AUDIENCE', 'DINTERO_BASE_URL'];
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
        { DINTERO_ACCOUNT_ID: 'T1', DINTERO_CLIENT_ID: 'id', DINTERO_CLIENT_SECRET: 's', DINTERO_AUDIENCE: 'https://a', DINTERO_BASE_URL: 'https://b' },
        { prefetch: true },
      ),
    ).toMatchObject({ audience: 'https://a', baseUrl: 'https://b', prefetch: true });
  });

  it('names every missing variable, and no value', () => {
    const error = (() => {
      try {
        dinteroOptionsFromEnv({ DINTERO_CLIENT_ID: 'id', DINTERO_CLIENT_SECRET: '  ' });
      } catch (caught) {
        return caught as DinteroAuthConfigError;
      }
      throw new Error('expected a DinteroAuthConfigError');
    })();
    expect(error).toBeInstanceOf(DinteroAuthConfigError);
    expect(error.issues.map((issue) => issue.path)).toEqual(['DINTERO_ACCOUNT_ID', 'DINTERO_CLIENT_SECRET']);
    expect(error.message).toContain('DINTERO_ACCOUNT_ID: is not set');
  });
});

describe('dinteroConfig (registerAs)', () => {
  it('wires forRootAsync in one line from the environment', async () => {
    Object.assign(process.env, {
      DINTERO_ACCOUNT_ID: FAKE_DINTERO_CLIENT.accountId,
      DINTERO_CLIENT_ID: FAKE_DINTERO_CLIENT.clientId,
      DINTERO_CLIENT_SECRET: FAKE_DINTERO_CLIENT.clientSecret,
      DINTERO_BASE_URL: 'https://checkout.dintero.com/v1',
    });
    const moduleRef = await Test.createTestingModule({ imports: [DinteroAuthModule.forRootAsync(dinteroConfig.asProvider())] })
      .setLogger(new CaptureLogger())
      .compile();
    await moduleRef.init();
    const status = moduleRef.get(DinteroTokenService).status();
    expect(status.token).toBeUndefined();
    expect(moduleRef.get<{ tokenUrl: string }>((await import('../lib/index.js')).DINTERO_AUTH_CONFIG).tokenUrl).toBe(
      'https://checkout.dintero.com/v1/accounts/T12345678/auth/token',
    );
    await moduleRef.close();
  });

  it('a missing variable fails start-up, naming it', async () => {
    for (const name of NAMES) delete process.env[name];
    process.env.DINTERO_ACCOUNT_ID = 'T12345678';
    process.env.DINTERO_CLIENT_ID = 'id';
    await expect(
      Test.createTestingModule({ imports: [DinteroAuthModule.forRootAsync(dinteroConfig.asProvider())] })
        .setLogger(new CaptureLogger())
        .compile(),
    ).rejects.toThrow(/DINTERO_CLIENT_SECRET: is not set/);
  });
});
