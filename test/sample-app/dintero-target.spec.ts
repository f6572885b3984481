import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { describe, expect, it, vi } from 'vitest';
import { DinteroTarget } from '../../sample-app/src/dintero/dintero-target.js';
import type { LocalDintero } from '../../sample-app/src/dintero/local-dintero.js';
import { CaptureLogger } from '../support/capture-logger.js';

const credentials = { DINTERO_ACCOUNT_ID: 'T12345678', DINTERO_CLIENT_ID: 'client', DINTERO_CLIENT_SECRET: 'secret' };
/** What FakeDinteroModule provides in development: here, with no server behind it. */
const local: LocalDintero = {
  baseUrl: 'http://127.0.0.1:9/v1',
  client: { accountId: 'T87654321', clientId: 'local-client', clientSecret: 'local-secret' },
  callbackSecret: 'local-callback-secret',
  webhookSecret: 'local-webhook-secret',
};

function target(env: Record<string, string>, dev?: LocalDintero): DinteroTarget {
  return DinteroTarget.fromConfig(new ConfigService(env), dev);
}

/**
 * The sample app's modules, compiled (nothing starts: no init, no listen) in a fresh module
 * graph with exactly `env` as its Dintero environment. Fresh, because AppModule picks its
 * modules once, when it is imported (ConditionalModule), as it does when `npm start` runs it.
 */
async function compileSampleApp(env: Record<string, string>) {
  const names = [...Object.keys(credentials), 'DINTERO_PROFILE_ID', 'DINTERO_CALLBACK_SECRET', 'PUBLIC_URL'];
  const saved = new Map(names.map((name) => [name, process.env[name]]));
  for (const name of names) delete process.env[name];
  Object.assign(process.env, env);
  try {
    vi.resetModules();
    const { AppModule } = await import('../../sample-app/src/app.module.js');
    const { DinteroTarget } = await import('../../sample-app/src/dintero/dintero-target.js');
    const { FakeDinteroServer } = await import('../../lib/fake-dintero/index.js');
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
      .setLogger(new CaptureLogger())
      .compile();
    const fake = (() => {
      try {
        return moduleRef.get(FakeDinteroServer, { strict: false });
      } catch {
        return undefined;
      }
    })();
    return { moduleRef, target: moduleRef.get(DinteroTarget), fake };
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

describe('which Dintero the sample app talks to', () => {
  it('with credentials, the payment profile is required and named', () => {
    expect(() => target(credentials)).toThrow(
      /^Invalid DinteroAuthModule options \(1\):\n {2}- DINTERO_PROFILE_ID: is not set: the payment profile/,
    );
    expect(target({ ...credentials, DINTERO_PROFILE_ID: 'T12345678.profile' }).profileId).toBe('T12345678.profile');
  });

  it('partial credentials name every missing variable, the secret included, in the order .env.example lists them', () => {
    const problem = (env: Record<string, string>) => {
      try {
        target(env);
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('expected a config error');
    };
    expect(problem({ DINTERO_ACCOUNT_ID: 'T12345678' })).toBe(
      'Invalid DinteroAuthModule options (3):\n' +
        '  - DINTERO_CLIENT_ID: is not set\n' +
        '  - DINTERO_CLIENT_SECRET: is not set\n' +
        '  - DINTERO_PROFILE_ID: is not set: the payment profile to create sessions with (Dintero backoffice: Settings > Payment profiles)',
    );
    const secretOnly = problem({ DINTERO_CLIENT_SECRET: 'very-secret-value' });
    expect(secretOnly.match(/DINTERO_\w+/g)).toEqual(['DINTERO_ACCOUNT_ID', 'DINTERO_CLIENT_ID', 'DINTERO_PROFILE_ID']);
    expect(secretOnly).not.toContain('very-secret-value');
  });

  it('a local Dintero stand-in: loopback http is allowed, DINTERO_ALLOW_INSECURE_LOOPBACK is honoured, errors name variables only', () => {
    const withProfile = { ...credentials, DINTERO_PROFILE_ID: 'default' };
    expect(target({ ...withProfile, DINTERO_BASE_URL: 'http://localhost:8080/v1' }).options).toMatchObject({ allowInsecureLoopback: true });
    expect(
      target({ ...withProfile, DINTERO_BASE_URL: 'http://127.0.0.1:8080/v1', DINTERO_ALLOW_INSECURE_LOOPBACK: 'true' }).options,
    ).toMatchObject({ baseUrl: 'http://127.0.0.1:8080/v1', allowInsecureLoopback: true });
    const refused = () =>
      target({ ...withProfile, DINTERO_BASE_URL: 'http://127.0.0.1:8080/v1', DINTERO_ALLOW_INSECURE_LOOPBACK: 'false' });
    expect(refused).toThrow(/DINTERO_BASE_URL: must use https .*DINTERO_ALLOW_INSECURE_LOOPBACK=true/);
    for (const env of [
      { ...withProfile, DINTERO_BASE_URL: 'http://10.1.2.3:8080/v1' },
      { ...withProfile, DINTERO_ALLOW_INSECURE_LOOPBACK: 'maybe' },
      { ...withProfile, DINTERO_ACCOUNT_ID: 'X1' },
    ]) {
      let message = '';
      try {
        target(env);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/DINTERO_[A-Z_]+: /);
      // No option name the user of this app has no way to set.
      expect(message).not.toMatch(/\b(allowInsecureLoopback|baseUrl|accountId|clientId|clientSecret)\b/);
    }
  });

  it('real Dintero calls back public https only; the fake, loopback only', () => {
    const real = target({ ...credentials, DINTERO_PROFILE_ID: 'p' });
    expect(real.isFake).toBe(false);
    expect(real.acceptsCallbacksAt('https://shop.example.com')).toBe(true);
    expect(real.acceptsCallbacksAt('http://shop.example.com')).toBe(false);
    expect(real.acceptsCallbacksAt('https://localhost:3000')).toBe(false);
    expect(real.acceptsCallbacksAt('http://127.0.0.1:3000')).toBe(false);

    const fake = target({}, local);
    expect(fake.isFake).toBe(true);
    expect(fake.acceptsCallbacksAt('http://localhost:3000')).toBe(true);
    expect(fake.acceptsCallbacksAt('https://shop.example.com')).toBe(false);
  });

  it('without credentials, the module talks to the local fake with its client; with them, to Dintero, whatever else runs', () => {
    expect(target({}, local).options).toMatchObject({ ...local.client, baseUrl: local.baseUrl, allowInsecureLoopback: true });
    const real = target({ ...credentials, DINTERO_PROFILE_ID: 'p' }, local);
    expect(real.isFake).toBe(false);
    expect(real.options).toMatchObject({ accountId: credentials.DINTERO_ACCOUNT_ID, clientId: credentials.DINTERO_CLIENT_ID });
    expect(real.options.baseUrl).toBeUndefined();
  });

  it('callbacks and webhooks are checked with the secrets Dintero signs with, against the callback_url the app gives it', () => {
    const real = target({
      ...credentials,
      DINTERO_PROFILE_ID: 'p',
      DINTERO_CALLBACK_SECRET: 'callback-secret',
      DINTERO_WEBHOOK_SECRET: 'webhook-secret',
      PUBLIC_URL: 'https://shop.example.com/api/',
    });
    expect(real.options.signature).toEqual({
      callbackSecrets: ['callback-secret'],
      webhookSecrets: ['webhook-secret'],
      publicUrl: 'https://shop.example.com/api',
    });
    // Without a public https URL, Dintero is given no callback_url: nothing to check against.
    expect(target({ ...credentials, DINTERO_PROFILE_ID: 'p', DINTERO_CALLBACK_SECRET: 's' }).options.signature).toEqual({
      callbackSecrets: ['s'],
    });
    expect(target({ PORT: '3001' }, local).options.signature).toEqual({
      callbackSecrets: [local.callbackSecret],
      webhookSecrets: [local.webhookSecret],
      publicUrl: 'http://localhost:3001',
    });
  });

  it('with Dintero calling back but no DINTERO_CALLBACK_SECRET, start-up says that every callback is refused, and what settles orders then', () => {
    const warn = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const real = target({ ...credentials, DINTERO_PROFILE_ID: 'p', PUBLIC_URL: 'https://shop.example.com' });
      expect(real.options.signature).toEqual({ publicUrl: 'https://shop.example.com' });
      expect(warn.mock.calls.map(([line]) => String(line))).toEqual([
        expect.stringMatching(
          /^DINTERO_CALLBACK_SECRET is not set: every callback is refused with 401 .* only when the payer comes back to \/payments\/return/,
        ),
      ]);
      warn.mockClear();
      target({ ...credentials, DINTERO_PROFILE_ID: 'p', PUBLIC_URL: 'https://shop.example.com', DINTERO_CALLBACK_SECRET: 's' });
      target({ ...credentials, DINTERO_PROFILE_ID: 'p' });
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it('without credentials and without the fake, start-up names the variables to set', () => {
    expect(() => target({})).toThrow(
      'No Dintero credentials in the environment, and no built-in fake to use instead: set DINTERO_ACCOUNT_ID, DINTERO_CLIENT_ID, DINTERO_CLIENT_SECRET and DINTERO_PROFILE_ID',
    );
  });

  it('the app holds the fake Dintero only without credentials: with them, FakeDinteroModule is not even imported', async () => {
    // With a public URL and a callback secret, as deployed: the module takes the signature options.
    const production = await compileSampleApp({
      ...credentials,
      DINTERO_PROFILE_ID: 'p',
      DINTERO_CALLBACK_SECRET: 'callback-secret',
      PUBLIC_URL: 'https://shop.example.com',
    });
    try {
      expect(production.target.isFake).toBe(false);
      expect(production.fake).toBeUndefined();
    } finally {
      await production.moduleRef.close();
    }

    const development = await compileSampleApp({});
    try {
      expect(development.target.isFake).toBe(true);
      expect(development.target.options.baseUrl).toBe(development.fake!.baseUrl);
    } finally {
      await development.moduleRef.close();
    }
    // Closing the app stops its fake.
    expect(await fetch(development.fake!.baseUrl).catch((error: Error) => error)).toBeInstanceOf(Error);
  });
});
