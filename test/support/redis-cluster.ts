import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Cluster, Redis } from 'ioredis';
import { freePorts } from './free-port.js';

const run = promisify(execFile);

/** Whether this machine can start Redis Cluster nodes: `redis-server` and `redis-cli` on the PATH, version 7 or later. */
export const CLUSTER_SKIP_REASON: string | undefined = (() => {
  const server = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (server.error || server.status !== 0) return 'redis-server is not installed';
  const major = Number(/v=(\d+)/.exec(server.stdout)?.[1]);
  // `cluster-port` (the bus port chosen, not port + 10000) came with Redis 7.
  if (!(major >= 7)) return `redis-server ${server.stdout.trim()} is older than 7`;
  if (spawnSync('redis-cli', ['--version']).status !== 0) return 'redis-cli is not installed';
  return undefined;
})();
if (CLUSTER_SKIP_REASON) console.warn(`SKIPPED: the Redis Cluster tests start their own nodes, and ${CLUSTER_SKIP_REASON}`);

interface NodeRow {
  readonly id: string;
  readonly port: number;
  readonly master: boolean;
  readonly replicaOf: string | undefined;
  readonly linked: boolean;
  readonly slots: [number, number][];
}

/** One node this harness started. */
export interface ClusterNode {
  readonly port: number;
  readonly process: ChildProcess;
  /** A plain connection to this node alone, for looking behind the cluster. */
  readonly admin: Redis;
}

/**
 * A Redis Cluster on loopback, started for a test file: `masters` masters with one replica
 * each, on free ports, in a temporary directory (no persistence), joined with
 * `redis-cli --cluster create`. `stop()` ends exactly the processes it started.
 */
export class RedisClusterHarness {
  readonly nodes: ClusterNode[] = [];
  private readonly dir = mkdtempSync(join(tmpdir(), 'dintero-redis-cluster-'));
  private readonly clients: Cluster[] = [];

  constructor(private readonly masters = 3) {}

  async start(): Promise<this> {
    // Every node's client and bus ports chosen at once: a node that has not bound its ports yet
    // would leave them looking free to the next one.
    const ports = await freePorts(this.masters * 4);
    for (let n = 0; n < this.masters * 2; n += 1) this.nodes.push(this.startNode(ports[2 * n]!, ports[2 * n + 1]!));
    await Promise.all(this.nodes.map((node) => until(async () => (await node.admin.ping()) === 'PONG', 'a node to answer')));
    const created = await run('redis-cli', [
      '--cluster',
      'create',
      ...this.nodes.map((node) => `127.0.0.1:${node.port}`),
      '--cluster-replicas',
      '1',
      '--cluster-yes',
    ]);
    void created;
    await until(
      async () => (await Promise.all(this.nodes.map((node) => clusterState(node.admin)))).every((ok) => ok),
      'the cluster to be ok',
    );
    // Every replica following its master: a failover has someone to promote.
    await until(
      async () => (await this.table()).filter((row) => row.replicaOf !== undefined && row.linked).length === this.masters,
      'the replicas to follow',
    );
    return this;
  }

  /** CLUSTER NODES, as seen from the first node still alive. */
  private async table(): Promise<NodeRow[]> {
    const text = (await this.alive()[0]!.admin.call('CLUSTER', 'NODES')) as string;
    return text
      .trim()
      .split('\n')
      .map((line) => {
        const [id, address, flags, masterId, , , , link, ...slots] = line.split(' ');
        return {
          id: id!,
          port: Number(/:(\d+)@/.exec(address!)![1]),
          master: flags!.split(',').includes('master') && !flags!.includes('fail'),
          replicaOf: masterId === '-' ? undefined : masterId,
          linked: link === 'connected',
          slots: slots
            .filter((range) => /^\d/.test(range))
            .map((range) => range.split('-').map(Number) as [number, number?])
            .map(([from, to]) => [from, to ?? from] as [number, number]),
        };
      });
  }

  /** A new ioredis Cluster client over these nodes, closed by `stop()`. */
  client(): Cluster {
    const client = new Cluster(
      this.alive().map((node) => ({ host: '127.0.0.1', port: node.port })),
      // As RedisTokenStore.clientOptions() would for one node: fail fast, never queue while away.
      { enableOfflineQueue: false, redisOptions: { maxRetriesPerRequest: 0, commandTimeout: 2_000 }, slotsRefreshTimeout: 2_000 },
    );
    client.on('error', () => undefined);
    this.clients.push(client);
    return client;
  }

  /** The master node serving `slot` now, and its replica if it has one, as the cluster's node table says. */
  async ownerOf(slot: number): Promise<{ master: ClusterNode; replica: ClusterNode | undefined }> {
    const table = await this.table();
    const master = table.find((row) => row.master && row.slots.some(([from, to]) => slot >= from && slot <= to))!;
    const replica = table.find((row) => row.replicaOf === master.id && row.linked);
    return { master: this.nodeAt(master.port), replica: replica && this.nodeAt(replica.port) };
  }

  /** Every master's port. */
  async masterPorts(): Promise<number[]> {
    const roles = await Promise.all(this.nodes.map(async (node) => [node.port, ((await node.admin.role()) as [string])[0]] as const));
    return roles.filter(([, role]) => role === 'master').map(([port]) => port);
  }

  /** The nodes whose process still runs. */
  alive(): ClusterNode[] {
    return this.nodes.filter((node) => node.process.exitCode === null && node.process.signalCode === null);
  }

  nodeAt(port: number): ClusterNode {
    return this.nodes.find((node) => node.port === port)!;
  }

  async stop(): Promise<void> {
    for (const client of this.clients.splice(0)) client.disconnect();
    for (const node of this.nodes) node.admin.disconnect();
    await Promise.all(
      this.nodes.map(
        (node) =>
          new Promise<void>((resolve) => {
            if (node.process.exitCode !== null || node.process.signalCode !== null) return resolve();
            node.process.once('exit', () => resolve());
            node.process.kill('SIGKILL');
          }),
      ),
    );
    rmSync(this.dir, { recursive: true, force: true });
  }

  private startNode(port: number, bus: number): ClusterNode {
    // Each argument as the config file would have it: `--name value`.
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--cluster-port',
        String(bus),
        '--cluster-config-file',
        join(this.dir, `nodes-${port}.conf`),
        '--cluster-node-timeout',
        '1000',
        // A replica takes over however long since it last heard its master (an idle test cluster).
        '--cluster-replica-validity-factor',
        '0',
        '--dir',
        this.dir,
        '--save',
        '',
        '--appendonly',
        'no',
        '--logfile',
        join(this.dir, `redis-${port}.log`),
      ],
      { stdio: 'ignore' },
    );
    const admin = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => 50 });
    admin.on('error', () => undefined);
    return { port, process: child, admin };
  }
}

async function clusterState(admin: Redis): Promise<boolean> {
  const info = (await admin.call('CLUSTER', 'INFO')) as string;
  return info.includes('cluster_state:ok') && info.includes('cluster_slots_ok:16384');
}

/** Polls `condition` every 50 ms for up to 15 s. */
export async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const started = Date.now();
  for (;;) {
    try {
      if (await condition()) return;
    } catch {
      // Not yet.
    }
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
