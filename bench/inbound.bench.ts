/**
 * Scenario 10, inbound verification: what checking a signed callback or webhook costs against a
 * bare HMAC of the same bytes, and what the replay check costs on Redis against a bare
 * `SET NX PX`. Interleaved rounds in one process; wall and CPU time per operation.
 */
import { type ExecutionContext } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Redis } from 'ioredis';
import { createHmac, randomUUID } from 'node:crypto';
import { DinteroCallbackGuard, verifyDinteroCallback, verifyDinteroWebhook } from 'nestjs-dintero-auth';
import { RedisTokenStore } from 'nestjs-dintero-auth/redis';
import { FakeDinteroProcess } from './support/fake-dintero.client.js';
import { startOurClient } from './support/our-client.js';
import { type PerOp, type Side, timeBatch, warmUp } from './support/per-op-cost.js';
import { report } from './support/report.js';
import { type SignedInbound, signedCallback, signedWebhook } from './support/signed-inbound.js';
import { percentile, round } from './support/stats.js';

const ROUNDS = 21;
const BATCH_MS = 200;
const WARM_UP_MS = 1_000;
const TARGET = 1.5;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PUBLIC_URL = 'https://shop.example.com';
const CALLBACK_SECRET = `bench-callback-${randomUUID()}`;
const WEBHOOK_SECRET = `bench-webhook-${randomUUID()}`;
/** How long the verifier remembers a callback's signature: twice the default tolerance of 300 s. */
const REPLAY_TTL_MS = 600_000;

const fake = await FakeDinteroProcess.start();
const { accountId } = fake.client;
const store = new RedisTokenStore({ url: REDIS_URL });
const ours = await startOurClient(fake.baseUrl, fake.client, {
  store,
  signature: { callbackSecrets: [CALLBACK_SECRET], publicUrl: PUBLIC_URL },
});
const guard = new DinteroCallbackGuard(ours.app.get(ModuleRef));
const bare = new Redis(REDIS_URL);
const redisVersion = /redis_version:(\S+)/.exec(await bare.info('server'))?.[1] ?? 'unknown';

// Keys of this run only, about as long as the verifier's (which end in a SHA-256 in hex), deleted at the end.
const keyPrefix = `dintero-auth:bench-inbound:${randomUUID()}:`;
let nextKey = 0;
const freshKey = () => `${keyPrefix}${String(nextKey++).padStart(64, '0')}`;
const now = () => Math.floor(Date.now() / 1000);
let nextCallback = 0;
/** Keeps results alive, so that no call is optimized away. */
let sink: unknown;

const callback = signedCallback(CALLBACK_SECRET, accountId, PUBLIC_URL, now(), nextCallback++);
const webhook = signedWebhook(WEBHOOK_SECRET, accountId);
const callbackOptions = { secrets: [CALLBACK_SECRET], publicUrl: PUBLIC_URL };
const webhookOptions = { secrets: [WEBHOOK_SECRET] };

/** A side that needs a fresh signed callback per operation (a replayed one would be refused). */
function freshCallbacks(run: (callbacks: SignedInbound[], count: number) => Promise<void>): Side {
  let callbacks: SignedInbound[] = [];
  return {
    prepare: (count) => {
      const t = now();
      callbacks = Array.from({ length: count }, () => signedCallback(CALLBACK_SECRET, accountId, PUBLIC_URL, t, nextCallback++));
    },
    run: (count) => run(callbacks, count),
  };
}

function asContext(request: object): ExecutionContext {
  return { switchToHttp: () => ({ getRequest: () => request }) } as unknown as ExecutionContext;
}

interface Pair {
  name: string;
  ours: Side;
  bare: Side;
}
const PAIRS: Pair[] = [
  {
    name: 'callback: verifyDinteroCallback vs HMAC-SHA256',
    ours: {
      run: (count) => {
        for (let i = 0; i < count; i += 1) sink = verifyDinteroCallback(callback.request, callbackOptions);
      },
    },
    bare: {
      run: (count) => {
        for (let i = 0; i < count; i += 1) sink = createHmac('sha256', CALLBACK_SECRET).update(callback.signed).digest();
      },
    },
  },
  {
    name: `webhook (${webhook.signed.length} B body): verifyDinteroWebhook vs HMAC-SHA1`,
    ours: {
      run: (count) => {
        for (let i = 0; i < count; i += 1) sink = verifyDinteroWebhook(webhook.request, webhookOptions);
      },
    },
    bare: {
      run: (count) => {
        for (let i = 0; i < count; i += 1) sink = createHmac('sha1', WEBHOOK_SECRET).update(webhook.signed).digest();
      },
    },
  },
  {
    name: 'replay check on Redis: RedisTokenStore.claim vs SET NX PX',
    ours: {
      run: async (count) => {
        for (let i = 0; i < count; i += 1) {
          if ((await store.claim(freshKey(), 'done', REPLAY_TTL_MS)) !== undefined) throw new Error('a fresh key was held');
        }
      },
    },
    bare: {
      run: async (count) => {
        for (let i = 0; i < count; i += 1) {
          if ((await bare.set(freshKey(), 'done', 'PX', REPLAY_TTL_MS, 'NX')) !== 'OK') throw new Error('a fresh key was held');
        }
      },
    },
  },
  {
    name: 'callback through DinteroCallbackGuard (Redis replay set) vs HMAC-SHA256 + SET NX PX',
    ours: freshCallbacks(async (callbacks, count) => {
      for (let i = 0; i < count; i += 1) {
        if (!(await guard.canActivate(asContext(callbacks[i]!.request)))) throw new Error('a genuine callback was refused');
      }
    }),
    bare: freshCallbacks(async (callbacks, count) => {
      for (let i = 0; i < count; i += 1) {
        sink = createHmac('sha256', CALLBACK_SECRET).update(callbacks[i]!.signed).digest();
        if ((await bare.set(freshKey(), 'done', 'PX', REPLAY_TTL_MS, 'NX')) !== 'OK') throw new Error('a fresh key was held');
      }
    }),
  },
];

// Warm-up: JIT and connections for both sides; the batch size comes from our side, the slower.
const counts = new Map<Pair, number>();
for (const pair of PAIRS) {
  await warmUp(pair.bare, WARM_UP_MS, BATCH_MS);
  counts.set(pair, await warmUp(pair.ours, WARM_UP_MS, BATCH_MS));
}
const runs = new Map<Pair, { ours: PerOp; bare: PerOp }[]>(PAIRS.map((pair) => [pair, []]));
for (let roundIndex = 1; roundIndex <= ROUNDS; roundIndex += 1) {
  // Every pair in every round, which side goes first alternating, so that the machine's drift
  // (this one is shared) falls on both sides alike.
  for (const pair of PAIRS) {
    const count = counts.get(pair)!;
    const oursFirst = roundIndex % 2 === 1;
    const first = await timeBatch(oursFirst ? pair.ours : pair.bare, count);
    const second = await timeBatch(oursFirst ? pair.bare : pair.ours, count);
    runs.get(pair)!.push(oursFirst ? { ours: first, bare: second } : { ours: second, bare: first });
  }
}
if (sink === undefined) throw new Error('nothing was measured');

const median = (values: number[]) => percentile(values, 0.5);
/** Interquartile range, then the whole range, across rounds. */
const spread = (values: number[]) =>
  `${percentile(values, 0.25).toFixed(2)}-${percentile(values, 0.75).toFixed(2)} (${Math.min(...values).toFixed(2)}-${Math.max(...values).toFixed(2)})`;
const rows = PAIRS.map((pair) => {
  const pairRuns = runs.get(pair)!;
  const wallRatios = pairRuns.map((run) => run.ours.wallUs / run.bare.wallUs);
  const cpuRatios = pairRuns.map((run) => run.ours.cpuUs / run.bare.cpuUs);
  const perOp = (side: 'ours' | 'bare') =>
    `${round(median(pairRuns.map((run) => run[side].wallUs)))} / ${round(median(pairRuns.map((run) => run[side].cpuUs)))}`;
  return {
    'operation: ours vs bare': pair.name,
    'ops per batch': counts.get(pair)!,
    'µs/op ours, wall / CPU': perOp('ours'),
    'µs/op bare, wall / CPU': perOp('bare'),
    'wall ratio (median)': round(median(wallRatios), 3),
    'wall ratio IQR (range)': spread(wallRatios),
    'CPU ratio (median)': round(median(cpuRatios), 3),
    'CPU ratio IQR (range)': spread(cpuRatios),
  };
});

// This run's keys; the guard's own replay keys lapse after their 10 minutes.
let cursor = '0';
do {
  const [next, keys] = await bare.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000);
  if (keys.length > 0) await bare.unlink(...keys);
  cursor = next;
} while (cursor !== '0');
bare.disconnect();
await ours.app.close();
await fake.stop();

report(
  'inbound',
  '10. Inbound verification: cost per callback and per webhook',
  { rounds: ROUNDS, batchMs: BATCH_MS, warmUpMs: WARM_UP_MS, webhookBodyBytes: webhook.signed.length, redis: `Redis ${redisVersion}` },
  rows,
  [
    `Target: verifying a callback or a webhook costs at most ${TARGET} times a bare HMAC (node:crypto createHmac) of the same bytes, median across rounds. Each round times a batch of each side, which goes first alternating; a round's ratio is ours / bare. CPU time is this process's, all threads: unlike wall time it does not grow when other work shares the machine. On the Redis rows it counts the client's work, not the server's.`,
    '',
    "Rows: the pure functions against the HMAC alone; `claim` (a Lua GET-else-SET PX, through the store's bounded command) against `SET key value NX PX` on a plain ioredis client, one command at a time, a fresh key each; and the whole callback guard with the Redis replay set (account lookup, verification, digest, claim) against HMAC plus `SET NX PX`.",
  ],
);
