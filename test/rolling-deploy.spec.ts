import { request } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FakeDinteroServer } from '../lib/testing/index.js';
import { BUILT, forkFixture } from './support/fixture-process.js';
import { startFake } from './support/token-app.js';

let fake: FakeDinteroServer;
beforeAll(async () => {
  fake = await startFake(3600);
});
afterAll(() => fake.stop());

const REQUESTS = 30;

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

it.skipIf(!BUILT)('a rolling deploy: requests in flight at app.close() still reach Dintero with a token, then the process exits', async () => {
  const child = forkFixture('rolling-deploy.mjs', fake, { REQUESTS: String(REQUESTS) });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const messages: unknown[] = [];
  const port = await new Promise<number>((resolve) =>
    child.on('message', (message) => {
      messages.push(message);
      if (typeof message === 'object' && message !== null && 'port' in message) resolve((message as { port: number }).port);
    }),
  );
  const answers = await Promise.all(Array.from({ length: REQUESTS }, () => get(port, '/pay')));
  expect(answers.map((answer) => answer.body)).toEqual(Array.from({ length: REQUESTS }, () => '404'));
  expect(answers.every((answer) => answer.status === 200)).toBe(true);
  const timer = setTimeout(() => child.kill(), 10_000);
  const code = await exited;
  clearTimeout(timer);
  expect(code, 'the process was still alive 10 s after app.close()').toBe(0);
  expect(messages).toContain('closed');
  expect(fake.anonymousApiRequestCount).toBe(0);
});
