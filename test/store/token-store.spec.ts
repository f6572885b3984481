import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import { DinteroAuthConfigError, MemoryTokenStore } from '../../lib/index.js';
import { normalizeOptions } from '../../lib/options/normalize-options.js';
import { TokenCipher } from '../../lib/store/token-cipher.js';
import { storeNamespace } from '../../lib/store/shared-token.source.js';
import { InstrumentedStore } from '../support/instrumented-store.js';
import { fakeOptions, startFake, startTokenApp, type TokenApp } from '../support/token-app.js';

describe('TokenCipher', () => {
  const cipher = new TokenCipher(randomBytes(32));

  it('round-trips, and a value never looks the same twice', () => {
    const sealed = cipher.seal('the token', 'key-a');
    expect(cipher.open(sealed, 'key-a')).toBe('the token');
    expect(cipher.seal('the token', 'key-a')).not.toBe(sealed);
  });

  it('hides the plaintext: a long run of one letter comes out as bytes that look random', () => {
    // Any encoding (base64, hex, a fixed XOR or substitution, with or without a random prefix)
    // maps 2 KiB of one letter to a handful of distinct byte values; a cipher to nearly all 256.
    const sealed = Buffer.from(cipher.seal('a'.repeat(2048), 'key-a'), 'base64');
    expect(sealed.length).toBeGreaterThanOrEqual(2048);
    expect(new Set(sealed).size).toBeGreaterThan(240);
  });

  it('refuses another key, another association, or a changed byte', () => {
    const sealed = cipher.seal('the token', 'key-a');
    expect(new TokenCipher(randomBytes(32)).open(sealed, 'key-a')).toBeUndefined();
    expect(cipher.open(sealed, 'key-b')).toBeUndefined();
    const tampered = Buffer.from(sealed, 'base64');
    tampered[tampered.length - 1] = tampered.at(-1)! ^ 1;
    expect(cipher.open(tampered.toString('base64'), 'key-a')).toBeUndefined();
    expect(cipher.open('short', 'key-a')).toBeUndefined();
  });

  it('opens what version 0.1.0 sealed: replicas of two versions share a store during a rolling deploy', () => {
    const sealedBy010 = 'lRyFzbApJMQrhVh24AdZTrqEDzmX0tjTjdZZ6Xsz3EiJ2ZvqO98KdlFGGnsimUR4k5cqyiVD0Mt9KdfJcN8=';
    const opened = new TokenCipher(Buffer.alloc(32, 1)).open(sealedBy010, 'dintero-auth:{fixture}:token');
    expect(opened).toBe('{"accessToken":"eyJ.stored.token"}');
  });

  it('puts its key id beside the ciphertext, so that a value of another key is known for one', () => {
    const sealed = cipher.seal('the token', 'key-a');
    expect(cipher.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(sealed.startsWith(`${cipher.keyId}.`)).toBe(true);
    expect(cipher.foreignKeyId(sealed)).toBeUndefined();
    const other = new TokenCipher(randomBytes(32));
    expect(other.foreignKeyId(sealed)).toBe(cipher.keyId);
    expect(other.open(sealed, 'key-a')).toBeUndefined();
    // Values of no key id (sealed before ids existed) are nobody's foreign key: opened if they can be.
    expect(cipher.foreignKeyId('bm8ga2V5IGlk')).toBeUndefined();
    expect(new TokenCipher(randomBytes(32)).keyId).not.toBe(cipher.keyId);
  });

  it('takes only a 32-byte key', () => {
    expect(() => new TokenCipher(randomBytes(16))).toThrow('TokenCipher needs a 32-byte key');
  });
});

describe('store keys', () => {
  const base = { accountId: 'T12345678', clientId: 'id', clientSecret: 'secret' };

  it('change with anything that makes a token valid, but not with the secret', () => {
    const namespace = storeNamespace(normalizeOptions(base));
    expect(storeNamespace(normalizeOptions({ ...base, clientSecret: 'rotated' }))).toBe(namespace);
    for (const change of [
      { accountId: 'T87654321' },
      { clientId: 'other' },
      { audience: 'https://checkout.dintero.com/v1/accounts/T12345678' }, // the base URL's form, not the default
      { baseUrl: 'https://example.com/v1' },
    ]) {
      expect(storeNamespace(normalizeOptions({ ...base, ...change }))).not.toBe(namespace);
    }
  });

  it('the store option must look like a store', () => {
    expect(() => normalizeOptions({ ...base, store: {} as never })).toThrow(DinteroAuthConfigError);
    const inner = new MemoryTokenStore();
    const withoutClose = {
      get: inner.get,
      set: inner.set,
      acquireLease: inner.acquireLease,
      watch: inner.watch,
      claim: inner.claim,
      raise: inner.raise,
    };
    expect(() => normalizeOptions({ ...base, store: withoutClose as never })).toThrow(
      /store: must be a DinteroTokenStore \(get, set, acquireLease, watch, claim, raise and close methods\)/,
    );
    expect(() => normalizeOptions({ ...base, store: new MemoryTokenStore() })).not.toThrow();
  });
});

describe('MemoryTokenStore shared by apps in one process', () => {
  let fake: FakeDinteroServer;
  const apps: TokenApp[] = [];
  beforeAll(async () => {
    fake = await startFake();
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await fake.stop();
  });

  it('behaves as a cluster: 5 apps, one token request', async () => {
    const store = new MemoryTokenStore();
    for (let i = 0; i < 5; i += 1) apps.push(await startTokenApp(fakeOptions(fake, { store })));
    const tokens = await Promise.all(apps.map((app) => app.tokens.getToken()));
    expect(new Set(tokens.map((token) => token.accessToken)).size).toBe(1);
    expect(fake.tokenRequestCount).toBe(1);
  });

  it('each app closes the store of its options once, at shutdown, after it stopped listening', async () => {
    const store = new InstrumentedStore();
    const [a, b] = [await startTokenApp(fakeOptions(fake, { store })), await startTokenApp(fakeOptions(fake, { store }))];
    await Promise.all([a.tokens.getToken(), b.tokens.getToken()]);
    expect(store.watchers).toBe(2);
    await a.close();
    expect({ watchers: store.watchers, closes: store.closes }).toEqual({ watchers: 1, closes: 1 });
    await b.close();
    expect({ watchers: store.watchers, closes: store.closes }).toEqual({ watchers: 0, closes: 2 });
  });
});
