/**
 * RedisTokenStore on a Redis that asks who you are (an ACL user with a password, limited to the
 * module's keys and channels) and on one reached over TLS (`rediss://`), each a redis-server
 * started for this file on a free loopback port. Replicas share one token; a wrong password is
 * a failing store (each replica fetches alone) and shows up nowhere.
 */
import { inspect } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import type { DinteroTokenEvent, DinteroTokenStore } from '../../lib/index.js';
import { RedisTokenStore } from '../../lib/redis/index.js';
import { LOOPBACK_CA } from '../http/support/loopback-api.js';
import { recordEvents } from '../support/events.js';
import { CLUSTER_SKIP_REASON } from '../support/redis-cluster.js';
import { RedisServerProcess } from '../support/redis-server.js';
import { fakeOptions, startTokenApp, type TokenApp } from '../support/token-app.js';

const PASSWORD = 'acl-password-that-must-not-show';
const CERT = new URL('../http/fixtures/loopback-cert.pem', import.meta.url).pathname;
const KEY = new URL('../http/fixtures/loopback-key.pem', import.meta.url).pathname;
let acl: RedisServerProcess;
let tls: RedisServerProcess;
let fake: FakeDinteroServer;
let apps: TokenApp[] = [];
const clients: Redis[] = [];

beforeAll(async () => {
  if (CLUSTER_SKIP_REASON) return;
  acl = await new RedisServerProcess().start([
    // Only the module's keys and channels, and no default user.
    ...['--user', 'dintero', 'on', `>${PASSWORD}`, '~dintero-auth:*', '&dintero-auth:*', '+@all'],
    ...['--user', 'default', 'off'],
  ]);
  tls = await new RedisServerProcess().start(
    ['--tls-cert-file', CERT, '--tls-key-file', KEY, '--tls-ca-cert-file', CERT, '--tls-auth-clients', 'no'],
    '--tls-port',
  );
}, 30_000);
afterAll(async () => {
  await Promise.all([acl?.stop(), tls?.stop()]);
});
beforeEach(async () => {
  if (CLUSTER_SKIP_REASON) return;
  fake = await new FakeDinteroServer().start();
});
afterEach(async () => {
  if (CLUSTER_SKIP_REASON) return;
  await Promise.all(apps.map((app) => app.close()));
  apps = [];
  for (const client of clients.splice(0)) client.disconnect();
  await fake.stop();
});

async function replicas(stores: DinteroTokenStore[]): Promise<{ apps: TokenApp[]; events: DinteroTokenEvent[][] }> {
  const started = await Promise.all(stores.map((store) => startTokenApp(fakeOptions(fake, { store }))));
  apps.push(...started);
  return { apps: started, events: started.map((app) => recordEvents(app.tokens.events$)) };
}

describe.skipIf(CLUSTER_SKIP_REASON !== undefined)('RedisTokenStore with an ACL user and over TLS', () => {
  it('an ACL user with a password, by URL: three replicas, one token request', async () => {
    const url = `redis://dintero:${PASSWORD}@127.0.0.1:${acl.port}`;
    const { apps: started, events } = await replicas([0, 1, 2].map(() => new RedisTokenStore({ url })));
    const tokens = await Promise.all(started.map((app) => app.tokens.getToken()));
    expect(fake.tokenRequestCount).toBe(1);
    expect(new Set(tokens.map((token) => token.accessToken)).size).toBe(1);
    expect(events.flat().filter((event) => event.type === 'store-failed')).toEqual([]);
  });

  it('a wrong password is a failing store: each replica fetches alone, and the password shows nowhere', async () => {
    const url = `redis://dintero:not-${PASSWORD}@127.0.0.1:${acl.port}`;
    const stores = [0, 1].map(() => new RedisTokenStore({ url }));
    const { apps: started, events } = await replicas(stores);
    await Promise.all(started.map((app) => app.tokens.getToken()));
    expect(fake.tokenRequestCount).toBe(2);
    const failed = events.flat().filter((event) => event.type === 'store-failed');
    expect(failed).toHaveLength(2);
    const printed = [
      ...started.flatMap((app) => app.logger.lines),
      ...failed.map((event) => JSON.stringify(event)),
      inspect(stores[0], { depth: 10 }),
      JSON.stringify(stores[0]),
    ].join('\n');
    expect(printed).not.toContain(PASSWORD);
  });

  it('over TLS (rediss://, your own client with the CA): three replicas, one token request', async () => {
    const stores = [0, 1, 2].map(() => {
      const client = new Redis(`rediss://127.0.0.1:${tls.port}`, { ...RedisTokenStore.clientOptions(), tls: { ca: LOOPBACK_CA } });
      client.on('error', () => undefined);
      clients.push(client);
      return new RedisTokenStore({ client });
    });
    const { apps: started, events } = await replicas(stores);
    const tokens = await Promise.all(started.map((app) => app.tokens.getToken()));
    expect(fake.tokenRequestCount).toBe(1);
    expect(new Set(tokens.map((token) => token.accessToken)).size).toBe(1);
    expect(events.flat().filter((event) => event.type === 'store-failed')).toEqual([]);
  });
});
