import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DinteroAuthConfigError, dinteroCredentialsFromFiles } from '../../lib/index.js';
import { normalizeOptions } from '../../lib/options/normalize-options.js';
import { mountSecret } from '../support/mounted-secret.js';

// Mounted secrets as Kubernetes lays them out (test/support/mounted-secret.ts), and plain files.

let dir: string;
let version = 0;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dintero-secret-'));
  version = 0;
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function files() {
  return dinteroCredentialsFromFiles({ clientId: join(dir, 'client-id'), clientSecret: join(dir, 'client-secret') });
}

describe('dinteroCredentialsFromFiles', () => {
  it('reads both files, without the trailing newline', async () => {
    await mountSecret(dir, 'my-client', 'first-secret', ++version);
    expect(await files()()).toEqual({ clientId: 'my-client', clientSecret: 'first-secret' });
  });

  it('reads again after a symlink swap, and not before: an unchanged mount gives the same object', async () => {
    await mountSecret(dir, 'my-client', 'first-secret', ++version);
    const provider = files();
    const first = await provider();
    expect(await provider()).toBe(first);
    await mountSecret(dir, 'my-client', 'second-secret', ++version);
    const second = await provider();
    expect(second).toEqual({ clientId: 'my-client', clientSecret: 'second-secret' });
    expect(await provider()).toBe(second);
  });

  it('reads again when a plain file is rewritten in place', async () => {
    await writeFile(join(dir, 'client-id'), 'my-client');
    await writeFile(join(dir, 'client-secret'), 'first-secret');
    const provider = files();
    await provider();
    await writeFile(join(dir, 'client-secret'), 'second-secret-longer');
    expect((await provider()).clientSecret).toBe('second-secret-longer');
  });

  it('rejects when a file is missing, and takes only two paths', async () => {
    await expect(files()()).rejects.toMatchObject({ code: 'ENOENT' });
    expect(() => dinteroCredentialsFromFiles({ clientId: '', clientSecret: 'x' })).toThrow(TypeError);
    expect(() => dinteroCredentialsFromFiles(undefined as never)).toThrow(TypeError);
  });
});

describe('the credentials option', () => {
  const base = { accountId: 'T12345678' };
  const provider = () => ({ clientId: 'id', clientSecret: 'secret' });

  it('stands instead of clientId and clientSecret', () => {
    const config = normalizeOptions({ ...base, credentials: provider, credentialsRefreshIntervalMs: 60_000 });
    expect(config.credentials).toEqual({ initial: undefined, provider, refreshIntervalMs: 60_000 });
  });

  it('is refused beside them, as anything but a function, and its interval without it', () => {
    const issues = (options: object) => {
      try {
        normalizeOptions({ ...base, ...options });
      } catch (error) {
        expect(error).toBeInstanceOf(DinteroAuthConfigError);
        return (error as DinteroAuthConfigError).issues.map((issue) => issue.path);
      }
      return [];
    };
    expect(issues({ credentials: provider, clientId: 'id', clientSecret: 'secret' })).toEqual(['clientId', 'clientSecret']);
    expect(issues({ credentials: { clientId: 'id', clientSecret: 'secret' } })).toEqual(['credentials']);
    expect(issues({ credentials: provider, credentialsRefreshIntervalMs: 0 })).toEqual(['credentialsRefreshIntervalMs']);
    expect(issues({ clientId: 'id', clientSecret: 'secret', credentialsRefreshIntervalMs: 1_000 })).toEqual([
      'credentialsRefreshIntervalMs',
    ]);
    expect(issues({})).toEqual(['clientId', 'clientSecret']);
  });
});
