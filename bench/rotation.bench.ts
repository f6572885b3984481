/**
 * Scenario 13, rotating the client secret under load: 200 calls/s to the fake Dintero's API,
 * credentials from a mounted secret (two files), and the secret rotated while the calls run.
 * - overlap: Dintero takes the new secret, the mount shows it, later Dintero revokes the old
 *   one (its tokens stay valid): failed calls, and token requests beyond a run with no rotation;
 * - revoke-first: the mount shows the new secret, then Dintero revokes the old one and its
 *   tokens at once: failed calls, and how long after the revocation calls succeed again;
 * - revoke before the mount: Dintero revokes the old secret and its tokens, and the new secret
 *   is readable only a second later: how long after it is readable calls succeed again.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { dinteroCredentialsFromFiles } from 'nestjs-dintero-auth';
import { FakeDinteroProcess } from './support/fake-dintero.client.js';
import { startOurClient } from './support/our-client.js';
import { report } from './support/report.js';

const CALLS_PER_S = 200;
const TICK_MS = 50;
const RUN_S = 12;
/** Short enough that tokens refresh several times in a run, with the old secret and the new. */
const LIFETIME_S = 4;

const fake = await FakeDinteroProcess.start();
const transactionId = await fake.send<string>({ cmd: 'transaction' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

type Step = { atS: number; run: (mount: (secret: string) => void) => Promise<void>; measureFrom?: boolean };

async function run(name: string, lifetimeS: number, steps: Step[]): Promise<Record<string, unknown>> {
  await fake.send({ cmd: 'lifetime', seconds: lifetimeS });
  await fake.send({ cmd: 'reset' });
  const dir = mkdtempSync(join(tmpdir(), 'dintero-bench-secret-'));
  const mount = (secret: string) => {
    writeFileSync(join(dir, 'client-id'), `${fake.client.clientId}\n`);
    writeFileSync(join(dir, 'client-secret'), `${secret}\n`);
  };
  mount(fake.client.clientSecret);
  const ours = await startOurClient(fake.baseUrl, fake.client, {
    clientId: undefined,
    clientSecret: undefined,
    credentials: dinteroCredentialsFromFiles({ clientId: join(dir, 'client-id'), clientSecret: join(dir, 'client-secret') }),
  });
  await ours.tokens.getToken();
  const started = performance.now();
  let calls = 0;
  let failed = 0;
  let lastFailureAt: number | undefined;
  let revokedAt: number | undefined;
  let firstSuccessAfterRevoke: number | undefined;
  const pending: Promise<void>[] = [];
  const due = [...steps];
  for (let tick = 0; performance.now() - started < RUN_S * 1000; tick += 1) {
    while (due[0] && performance.now() - started >= due[0].atS * 1000) {
      const step = due.shift()!;
      await step.run(mount);
      if (step.measureFrom ?? step === steps.at(-1)) revokedAt ??= performance.now();
    }
    for (let i = 0; i < (CALLS_PER_S * TICK_MS) / 1000; i += 1) {
      const sentAt = performance.now();
      calls += 1;
      pending.push(
        ours.http.axiosRef.get(`/transactions/${transactionId}`).then(
          () => {
            if (revokedAt !== undefined && sentAt >= revokedAt) firstSuccessAfterRevoke ??= performance.now();
          },
          () => {
            failed += 1;
            lastFailureAt = performance.now();
          },
        ),
      );
    }
    await sleep(started + (tick + 1) * TICK_MS - performance.now());
  }
  await Promise.all(pending);
  const { tokenRequests } = await fake.counts();
  await ours.app.close();
  rmSync(dir, { recursive: true, force: true });
  const since = (at: number | undefined) => (at === undefined || revokedAt === undefined ? '-' : Math.max(0, Math.round(at - revokedAt)));
  return {
    scenario: name,
    calls,
    'failed calls': failed,
    'token requests': tokenRequests,
    'first success after the cut ms': since(firstSuccessAfterRevoke),
    'last failure after the cut ms': failed === 0 ? '-' : since(lastFailureAt),
  };
}

const NEW = 'bench-rotated-secret';
const OLD = fake.client.clientSecret;
const add = (secret: string) => fake.send({ cmd: 'addSecret', secret });
const revoke = (secret: string, revokeTokens: boolean) => fake.send({ cmd: 'revokeSecret', secret, revokeTokens });

const rows: Record<string, unknown>[] = [];
rows.push(await run('no rotation (baseline)', LIFETIME_S, []));
rows.push(
  await run('overlap', LIFETIME_S, [
    { atS: 2, run: async (mount) => void (await add(NEW), mount(NEW)) },
    { atS: 6, run: async () => void (await revoke(OLD, false)) },
  ]),
);
// Back to the first secret for the next run: the fake accepts it again.
await add(OLD);
await revoke(NEW, false);
rows.push(
  await run('revoke-first', 3600, [
    { atS: 2, run: async (mount) => void (await add(NEW), mount(NEW)) },
    // A token younger than 5 s is not blamed for a 401: revoke when it is older.
    { atS: 6, run: async () => void (await revoke(OLD, true)) },
  ]),
);
await add(OLD);
await revoke(NEW, false);
rows.push(
  await run('revoke before the mount', 3600, [
    { atS: 6, run: async () => void (await add(NEW), await revoke(OLD, true)) },
    { atS: 7, run: (mount) => Promise.resolve(mount(NEW)), measureFrom: true },
  ]),
);
await fake.stop();
const extra = (rows[1]!['token requests'] as number) - (rows[0]!['token requests'] as number);
report(
  'rotation',
  '13. Rotating the client secret under load',
  { callsPerS: CALLS_PER_S, runS: RUN_S, tokenLifetimeS: LIFETIME_S, revokeFirstLifetimeS: 3600 },
  rows,
  [
    `Token requests the overlap rotation cost beyond the baseline: ${extra} (the refused one, and the jitter of refresh points).`,
    'The cut is the revocation (revoke-first), or the new secret becoming readable (revoke before the mount).',
    'Targets: overlap, 0 failed calls and at most 2 extra token requests; revoke-first, the next call succeeds and calls succeed again within 1 s of the new secret being readable.',
  ],
);
