import { ConfigService } from '@nestjs/config';
import { afterEach, describe, expect, it } from 'vitest';
import { DinteroTarget } from '../../sample-app/src/dintero/dintero-target.js';

const credentials = { DINTERO_ACCOUNT_ID: 'T12345678', DINTERO_CLIENT_ID: 'client', DINTERO_CLIENT_SECRET: 'secret' };
const started: DinteroTarget[] = [];
afterEach(async () => {
  for (const target of started.splice(0)) await target.onApplicationShutdown();
});

async function target(env: Record<string, string>): Promise<DinteroTarget> {
  const made = await DinteroTarget.fromConfig(new ConfigService(env));
  started.push(made);
  return made;
}

describe('which Dintero the sample app talks to', () => {
  it('with credentials, the payment profile is required and named', async () => {
    await expect(target(credentials)).rejects.toThrow(/^DINTERO_PROFILE_ID is required with Dintero credentials/);
    expect((await target({ ...credentials, DINTERO_PROFILE_ID: 'T12345678.profile' })).profileId).toBe('T12345678.profile');
  });

  it('real Dintero calls back public https only; the fake, loopback only', async () => {
    const real = await target({ ...credentials, DINTERO_PROFILE_ID: 'p' });
    expect(real.isFake).toBe(false);
    expect(real.acceptsCallbacksAt('https://shop.example.com')).toBe(true);
    expect(real.acceptsCallbacksAt('http://shop.example.com')).toBe(false);
    expect(real.acceptsCallbacksAt('https://localhost:3000')).toBe(false);
    expect(real.acceptsCallbacksAt('http://127.0.0.1:3000')).toBe(false);

    const fake = await target({});
    expect(fake.isFake).toBe(true);
    expect(fake.acceptsCallbacksAt('http://localhost:3000')).toBe(true);
    expect(fake.acceptsCallbacksAt('https://shop.example.com')).toBe(false);
  });
});
