/**
 * RedisTokenStore on a real Redis Cluster: three masters and three replicas started on loopback
 * ports for this file (`redis-server --cluster-enabled yes`, joined by `redis-cli --cluster
 * create`), replicas of the app as separate Nest apps, each with its own Cluster client. One
 * token request for the whole cluster of apps, waiting apps woken by pub/sub, and no failed call
 * while the slot of the keys moves to another master (MOVED, ASK) or its master dies.
 */
import type { Cluster } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import type { DinteroTokenEvent } from '../../lib/index.js';
import { normalizeOptions } from '../../lib/options/normalize-options.js';
import { RedisTokenStore } from '../../lib/redis/index.js';
import { storeNamespace } from '../../lib/store/shared-token.source.js';
import { recordEvents } from '../support/events.js';
import { LOAD_REFRESH, loadFor } from '../support/load.js';
import { CLUSTER_SKIP_REASON, RedisClusterHarness, until } from '../support/redis-cluster.js';
import { fakeOptions, startTokenApp, type TokenApp } from '../support/token-app.js';

let cluster: RedisClusterHarness;
let fake: FakeDinteroServer;
let apps: TokenApp[] = [];

beforeAll(async () => {
  if (CLUSTER_SKIP_REASON) return;
  cluster = await new RedisClusterHarness(3).start();
}, 30_000);
afterAll(async () => {
  await cluster?.stop();
});
beforeEach(async () => {
  if (CLUSTER_SKIP_REASON) return;
  // A fresh fake per test: a new port is a new base URL, so a new namespace (and slot) in Redis.
  fake = await new FakeDinteroServer().start();
});
afterEach(async () => {
  if (CLUSTER_SKIP_REASON) return;
  await Promise.all(apps.map((app) => app.close()));
  apps = [];
  await fake.stop();
});

async function replicas(
  count: number,
  tokenLifetimeSeconds?: number,
): Promise<{ apps: TokenApp[]; events: DinteroTokenEvent[][]; clients: Cluster[] }> {
  if (tokenLifetimeSeconds) fake.tokenLifetimeSeconds = tokenLifetimeSeconds;
  const clients = Array.from({ length: count }, () => cluster.client());
  const started = await Promise.all(
    clients.map((client) => startTokenApp(fakeOptions(fake, { store: new RedisTokenStore({ client }), refresh: LOAD_REFRESH }))),
  );
  apps.push(...started);
  return { apps: started, events: started.map((app) => recordEvents(app.tokens.events$)), clients };
}

/** The cluster slot of this test's keys (one hash tag: one slot). */
async function slotOfKeys(client: Cluster): Promise<{ slot: number; namespace: string }> {
  const namespace = storeNamespace(normalizeOptions(fakeOptions(fake)));
  return { slot: Number(await client.call('CLUSTER', 'KEYSLOT', `${namespace}:token`)), namespace };
}

const fromWhere = (events: DinteroTokenEvent[][]) =>
  events.flat().flatMap((event) => (event.type === 'acquired' || event.type === 'refreshed' ? [event.source] : []));

describe.skipIf(CLUSTER_SKIP_REASON !== undefined)('RedisTokenStore on a Redis Cluster', { timeout: 40_000 }, () => {
  it('a cold start of 6 apps makes one token request; the others take the token from the store', async () => {
    // The leader's request takes 400 ms: the others are waiting on the lease meanwhile.
    fake.injectTokenFault({ type: 'delay', ms: 400 }, 1);
    const { apps: started, events } = await replicas(6);
    const tokens = await Promise.all(started.map((app) => app.tokens.getToken()));
    expect(fake.tokenRequestCount).toBe(1);
    expect(new Set(tokens.map((token) => token.accessToken)).size).toBe(1);
    expect(fromWhere(events).sort()).toEqual(['endpoint', 'store', 'store', 'store', 'store', 'store']);
    expect(events.flat().filter((event) => event.type === 'store-failed')).toEqual([]);
  });

  it('wakes a watcher on one connection when another stores under the key, whichever master holds it', async () => {
    const [watching, storing] = [new RedisTokenStore({ client: cluster.client() }), new RedisTokenStore({ client: cluster.client() })];
    try {
      // Keys in each master's slots: a hash tag per key.
      const keys = ['a', 'b', 'c', 'd', 'e', 'f'].map((tag) => `dintero-auth:{cluster-watch-${tag}-${fake.baseUrl}}:token`);
      const told = new Map<string, number>();
      for (const key of keys) {
        // A store that could not tell would answer undefined, and waiting apps would poll instead.
        const stop = await watching.watch(key, () => told.set(key, (told.get(key) ?? 0) + 1));
        expect(stop).toEqual(expect.any(Function));
      }
      for (const key of keys) await storing.set(key, 'sealed', 60_000);
      await until(() => Promise.resolve(keys.every((key) => told.get(key) === 1)), 'every watcher to be told');
    } finally {
      await Promise.all([watching.close(), storing.close()]);
    }
  });

  it('the slot of the keys moves to another master under load (ASK, then MOVED): no failed call, and tokens still shared', async () => {
    const { apps: started, events, clients } = await replicas(3, 3);
    await Promise.all(started.map((app) => app.tokens.getToken()));
    const { slot } = await slotOfKeys(clients[0]!);
    const { master: source } = await cluster.ownerOf(slot);
    const target = cluster.nodeAt((await cluster.masterPorts()).find((port) => port !== source.port)!);
    const [sourceId, targetId] = await Promise.all([source.admin.call('CLUSTER', 'MYID'), target.admin.call('CLUSTER', 'MYID')]);

    const load = loadFor(
      5_000,
      started.map((app) => () => app.tokens.getToken()),
    );
    // Half-way through a token's life, move the slot as redis-cli --cluster reshard does.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await target.admin.call('CLUSTER', 'SETSLOT', slot, 'IMPORTING', sourceId as string);
    await source.admin.call('CLUSTER', 'SETSLOT', slot, 'MIGRATING', targetId as string);
    for (;;) {
      const keys = (await source.admin.call('CLUSTER', 'GETKEYSINSLOT', slot, 100)) as string[];
      if (keys.length === 0) break;
      await source.admin.call('MIGRATE', '127.0.0.1', target.port, '', 0, 5_000, 'KEYS', ...keys);
      // Migrating keys one batch at a time, with the load running: clients meet ASK meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    for (const port of await cluster.masterPorts())
      await cluster.nodeAt(port).admin.call('CLUSTER', 'SETSLOT', slot, 'NODE', targetId as string);
    await load;
    expect((await cluster.ownerOf(slot)).master.port).toBe(target.port);
    expect(events.flat().filter((event) => event.type === 'expired')).toEqual([]);

    // Shared still, through the new master: a token stored there now is what a fresh app takes.
    fake.tokenLifetimeSeconds = 3600;
    const stored = await started[0]!.tokens.refresh();
    const before = fake.tokenRequestCount;
    const [late] = (await replicas(1)).apps;
    expect((await late!.tokens.getToken()).accessToken).toBe(stored.accessToken);
    expect(fake.tokenRequestCount).toBe(before);
  });

  it('the master of the keys dies under load: no failed call; its replica takes over and tokens are shared again', async () => {
    // Tokens that outlive the failover (about 2 s): what is tested is that no call fails, not the refresh timing.
    const { apps: started, events, clients } = await replicas(3, 6);
    await Promise.all(started.map((app) => app.tokens.getToken()));
    const { slot } = await slotOfKeys(clients[0]!);
    const { master, replica: follower } = await cluster.ownerOf(slot);
    const replica = follower!;

    const load = loadFor(
      7_000,
      started.map((app) => () => app.tokens.getToken()),
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    master.process.kill('SIGKILL');
    await until(async () => ((await replica.admin.role()) as [string])[0] === 'master', 'the replica to take over');
    await load;
    expect(events.flat().filter((event) => event.type === 'expired')).toEqual([]);

    // Once the clients know the new master, the apps share again: one request for a fresh start of three.
    await until(async () => (await cluster.ownerOf(slot)).master.port === replica.port, 'the cluster to agree on the new master');
    const fresh = new FakeDinteroServer();
    await fresh.start();
    try {
      const clientsAfter = [0, 1, 2].map(() => cluster.client());
      const after = await Promise.all(
        clientsAfter.map((client) => startTokenApp(fakeOptions(fresh, { store: new RedisTokenStore({ client }) }))),
      );
      apps.push(...after);
      await Promise.all(after.map((app) => app.tokens.getToken()));
      expect(fresh.tokenRequestCount).toBe(1);
    } finally {
      await Promise.all(apps.splice(3).map((app) => app.close()));
      await fresh.stop();
    }
  });
});
