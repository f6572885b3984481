import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DinteroAuthConfigError } from '../../lib/index.js';
import { accountConfig, normalizeOptions } from '../../lib/options/normalize-options.js';

// The `signature` option: what is accepted, what is refused (naming the field, never a secret),
// and that the validated config shows no secret however it is printed.

const VALID = { accountId: 'T12345678', clientId: 'client', clientSecret: 'client-secret' };
const SECRETS = ['callback-secret-current-0123', 'callback-secret-previous-4567'];

function issues(signature: unknown): unknown[] {
  try {
    normalizeOptions({ ...VALID, signature } as never);
  } catch (error) {
    expect(error).toBeInstanceOf(DinteroAuthConfigError);
    return [...(error as DinteroAuthConfigError).issues];
  }
  return [];
}

describe('signature options', () => {
  it('default to no secrets, five minutes of tolerance, a day of delivery ids, and the Host header', async () => {
    const { signature } = normalizeOptions(VALID);
    expect(signature).toEqual({
      callbackSecrets: undefined,
      webhookSecrets: undefined,
      toleranceMs: 300_000,
      publicUrl: undefined,
      webhookReplayMs: 86_400_000,
    });
    const given = normalizeOptions({
      ...VALID,
      signature: {
        callbackSecrets: SECRETS,
        webhookSecrets: () => ['hook'],
        toleranceSeconds: 60,
        publicUrl: 'https://shop.example.com/api',
      },
    }).signature;
    expect(await given.callbackSecrets?.read()).toEqual(SECRETS);
    expect(await given.webhookSecrets?.read()).toEqual(['hook']);
    expect(given).toMatchObject({ toleranceMs: 60_000, publicUrl: 'https://shop.example.com/api' });
  });

  it('refuse what cannot be right, naming each field and no value', () => {
    const secretProblem = 'must be a non-empty list of non-empty strings, or a function that returns them (values not shown)';
    expect(
      issues({
        callbackSecrets: [],
        webhookSecrets: [SECRETS[0], ''],
        toleranceSeconds: 0.5,
        webhookReplaySeconds: -1,
        publicUrl: 'http://shop.example.com',
        extra: 1,
      }),
    ).toEqual([
      { path: 'signature.extra', problem: 'is not a known option' },
      { path: 'signature.callbackSecrets', problem: secretProblem },
      { path: 'signature.webhookSecrets', problem: secretProblem },
      { path: 'signature.toleranceSeconds', problem: 'must be a whole number of seconds, at least 1' },
      {
        path: 'signature.publicUrl',
        problem: 'must use https (plain http is allowed only to loopback hosts, with allowInsecureLoopback: true)',
      },
      { path: 'signature.webhookReplaySeconds', problem: 'must be a whole number of seconds, at least 1' },
    ]);
    expect(issues({ publicUrl: 'https://shop.example.com/?x=1' })).toEqual([
      { path: 'signature.publicUrl', problem: 'must not carry credentials, a query or a fragment' },
    ]);
    expect(issues('yes')).toEqual([{ path: 'signature', problem: 'must be an object' }]);
    expect(JSON.stringify(issues({ webhookSecrets: [SECRETS[0], 42] }))).not.toContain(SECRETS[0]);
  });

  it('an account’s own secrets, from the resolver, take the place of the shared ones', async () => {
    const shared = normalizeOptions({ ...VALID, signature: { callbackSecrets: ['shared'], webhookSecrets: ['shared-hook'] } });
    const own = accountConfig(shared, 'T87654321', { clientId: 'c', clientSecret: 's', callbackSecrets: ['own'] });
    expect(await own.signature.callbackSecrets?.read()).toEqual(['own']);
    expect(await own.signature.webhookSecrets?.read()).toEqual(['shared-hook']);
    expect(() => accountConfig(shared, 'T87654321', { clientId: 'c', clientSecret: 's', webhookSecrets: [''] })).toThrow(
      /webhookSecrets: must be a non-empty list/,
    );
  });

  it('the validated config shows no secret, however it is printed', () => {
    const config = normalizeOptions({ ...VALID, signature: { callbackSecrets: SECRETS, webhookSecrets: SECRETS } });
    for (const shown of [
      JSON.stringify(config),
      inspect(config, { depth: 10, showHidden: true }),
      inspect(config.signature.callbackSecrets, { showHidden: true }),
      JSON.stringify({ ...config.signature }),
    ]) {
      for (const secret of SECRETS) expect(shown).not.toContain(secret);
    }
  });
});
