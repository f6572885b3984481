/**
 * Replicas rotating the client secret one after another while sharing one token through Redis:
 * during the roll they hold different secrets, hence different store keys. Real Redis
 * (REDIS_URL), real HTTP to the fake Dintero, a mounted secret per replica.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { firstValueFrom } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_DINTERO_CLIENT, FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import { dinteroCredentialsFromFiles, type DinteroTokenEvent } from '../../lib/index.js';
import { RedisTokenStore } from '../../lib/redis/index.js';
import { sessionBody } from '../support/checkout.js';
import { recordEvents } from '../support/events.js';
import { mountSecret } from '../support/mounted-secret.js';
import { clearStoredTokens, inspectRedis, REDIS_URL } from '../support/redis.js';
import { expectNoSecret, printed } from '../support/secret-forms.js';
import { eventually, startTokenApp, type TokenApp } from '../support/token-app.js';

const { accountId, clientId } = FAKE_DINTERO_CLIENT;
const OLD = FAKE_DINTERO_CLIENT.clientSecret;
const NEW = 'rotated-client-secret-2';

interface Replica {
  readonly app: TokenApp;
  readonly dir: string;
  readonly events: DinteroTokenEvent[];
}

let fake: FakeDinteroServer;
let raw: Redis;
let replicas: Replica[] = [];

beforeEach(async () => {
  fake = await new FakeDinteroServer().start();
  raw = inspectRedis();
  await clearStoredTokens(raw, fake, [FAKE_DINTERO_CLIENT]);
});
afterEach(async () => {
  await Promise.all(replicas.map(({ app }) => app.close()));
  await Promise.all(replicas.map(({ dir }) => rm(dir, { recursive: true, force: true })));
  replicas = [];
  await fake.stop();
  raw.disconnect();
});

async function replica(): Promise<Replica> {
  const dir = await mkdtemp(join(tmpdir(), 'dintero-replica-'));
  await mountSecret(dir, clientId, OLD, 1);
  const app = await startTokenApp({
    accountId,
    baseUrl: fake.baseUrl,
    allowInsecureLoopback: true,
    credentials: dinteroCredentialsFromFiles({ clientId: join(dir, 'client-id'), clientSecret: join(dir, 'client-secret') }),
    // Each replica notices its mount changed within a tenth of a second (a stat of two files).
    credentialsRefreshIntervalMs: 100,
    store: new RedisTokenStore({ url: REDIS_URL! }),
  });
  const made = { app, dir, events: recordEvents(app.tokens.events$) };
  replicas.push(made);
  return made;
}

/** `perReplica` API calls from every replica at once; how many failed. */
async function failedCalls(sessionId: string, perReplica = 5): Promise<number> {
  const calls = replicas.flatMap(({ app }) =>
    Array.from({ length: perReplica }, () =>
      firstValueFrom(app.http.get(`/sessions/${sessionId}`)).then(
        () => 0,
        () => 1,
      ),
    ),
  );
  return (await Promise.all(calls)).reduce<number>((sum, failed) => sum + failed, 0);
}

describe.skipIf(!REDIS_URL)('3 replicas on Redis rotating the secret one after another', () => {
  it('0 failed calls; a replica that cannot open the stored token says so once and fetches its own', async () => {
    const all = [await replica(), await replica(), await replica()];
    await Promise.all(all.map(({ app }) => app.tokens.getToken()));
    const session = await firstValueFrom(all[0]!.app.http.post<{ id: string }>('/sessions-profile', sessionBody()));
    let failed = await failedCalls(session.data.id);

    fake.addClientSecret(clientId, NEW);
    for (const [index, rotating] of all.entries()) {
      await mountSecret(rotating.dir, clientId, NEW, 2);
      // The rotating replica fetches a token with the new secret at once, sealed under its new key...
      await eventually(() => rotating.events.some((event) => event.type === 'credentials-changed'), 5_000, `replica ${index} to read`);
      await eventually(() => !rotating.app.tokens.status().refreshing && rotating.events.at(-1)?.type === 'refreshed', 5_000, 'its token');
      failed += await failedCalls(session.data.id);
      // ...and every replica comes to its refresh point meanwhile: those still on the old secret
      // cannot open that token, and fetch their own.
      await Promise.all(all.map(({ app }) => app.tokens.refresh()));
      failed += await failedCalls(session.data.id);
    }
    fake.revokeClientSecret(clientId, OLD);
    await Promise.all(all.map(({ app }) => app.tokens.refresh()));
    failed += await failedCalls(session.data.id);

    expect(failed).toBe(0);
    expect(fake.tokenRequests.filter((request) => request.status !== 200)).toEqual([]);
    // Never a storm: at most one request per replica per refresh round, fewer once they agree.
    expect(fake.tokenRequestCount).toBeLessThanOrEqual(1 + 3 + 3 * 3 + 1);
    const mismatches = all.map(({ events }) => events.filter((event) => event.type === 'store-key-mismatch').length);
    // Once per foreign key: at most the two keys of the rotation each.
    for (const count of mismatches) expect(count).toBeLessThanOrEqual(2);
    expect(mismatches.reduce((sum, count) => sum + count, 0)).toBeGreaterThan(0);
    for (const { app, events } of all) {
      expect(events.filter((event) => event.type === 'refresh-failed' || event.type === 'store-failed')).toEqual([]);
      expectNoSecret([...app.logger.lines, ...printed([...events, app.tokens.status()])], [OLD, NEW], clientId);
    }
    // Back on one secret, no replica meets a token it cannot open.
    await Promise.all(all.map(({ app }) => app.tokens.refresh()));
    expect(all.map(({ events }) => events.filter((event) => event.type === 'store-key-mismatch').length)).toEqual(mismatches);
  });
});
