/**
 * Scenario 4, memory and handles: 100,000 requests through DinteroHttpService and 1,000 forced
 * refresh cycles; heap (after full GC) and active handles before and after. The same requests
 * through a static-header client give the noise floor.
 */
import axios, { type AxiosInstance } from 'axios';
import { FakeDinteroProcess } from './support/fake-dintero.client.js';
import { startOurClient } from './support/our-client.js';
import { report } from './support/report.js';
import { pool, round } from './support/stats.js';

const REQUESTS = 100_000;
const REFRESHES = 1_000;
const CONCURRENCY = 32;

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

async function settle(): Promise<{ heapMiB: number; handles: number }> {
  await new Promise((resolve) => setTimeout(resolve, 200));
  for (let i = 0; i < 3; i += 1) gc!();
  return { heapMiB: process.memoryUsage().heapUsed / 2 ** 20, handles: process.getActiveResourcesInfo().length };
}

async function hammer(client: AxiosInstance, path: string, requests = REQUESTS): Promise<void> {
  await pool(requests, CONCURRENCY, async () => void (await client.get(path)));
}

const fake = await FakeDinteroProcess.start();
const transactionId = await fake.send<string>({ cmd: 'transaction' });
const path = `/transactions/${transactionId}`;
const ours = await startOurClient(fake.baseUrl, fake.client);
const token = await ours.tokens.getAccessToken();
// The same defaults as the module's own instance (headers, timeout), with the header set by hand.
const defaults = ours.http.axiosRef.defaults;
const staticClient = axios.create({ ...defaults, headers: { ...defaults.headers, Authorization: `Bearer ${token}` } } as never);
// Warm-up: JIT, sockets, caches.
await hammer(staticClient, path, 5_000);
await hammer(ours.http.axiosRef, path, 5_000);

const rows: Record<string, unknown>[] = [];
const measure = async (name: string, work: () => Promise<void>) => {
  const before = await settle();
  const started = Date.now();
  await work();
  const after = await settle();
  rows.push({
    run: name,
    seconds: round((Date.now() - started) / 1000, 1),
    'heap before MiB': round(before.heapMiB),
    'heap after MiB': round(after.heapMiB),
    'heap growth MiB': round(after.heapMiB - before.heapMiB),
    'handles before': before.handles,
    'handles after': after.handles,
  });
};
await measure(`${REQUESTS} requests, static header (noise floor)`, () => hammer(staticClient, path));
await measure(`${REQUESTS} requests through DinteroHttpService`, () => hammer(ours.http.axiosRef, path));
// Refresh cycles twice: growth that repeats in the second pass would be a leak; one-off growth is warm-up.
for (const pass of ['', ' (again)']) {
  await measure(`${REFRESHES} forced refresh cycles${pass}`, async () => {
    for (let i = 0; i < REFRESHES; i += 1) await ours.tokens.refresh();
  });
}
await ours.app.close();
await fake.stop();
report('memory', '4. Memory and handles', { requests: REQUESTS, refreshes: REFRESHES, concurrency: CONCURRENCY }, rows, [
  'Target: flat: heap growth within the noise floor (about 1 MiB either way between full GCs), and the same handles before and after.',
]);
