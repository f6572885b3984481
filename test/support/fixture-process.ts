import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FAKE_DINTERO_CLIENT, type FakeDinteroServer } from '../../lib/fake-dintero/index.js';

/** The child-process fixtures run the built package, as a user's process would; `npm test` builds first. */
export const BUILT = existsSync(fileURLToPath(new URL('../../dist/redis/index.js', import.meta.url)));
if (!BUILT) console.warn('SKIPPED: the child-process tests need a build; run npm run build');

/** Runs `test/fixtures/<name>` against `fake`, with the fake client's credentials and an IPC channel. */
export function forkFixture(name: string, fake: FakeDinteroServer, env: Record<string, string> = {}): ChildProcess {
  return fork(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url)), {
    env: {
      ...process.env,
      ACCOUNT_ID: FAKE_DINTERO_CLIENT.accountId,
      CLIENT_ID: FAKE_DINTERO_CLIENT.clientId,
      CLIENT_SECRET: FAKE_DINTERO_CLIENT.clientSecret,
      BASE_URL: fake.baseUrl,
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}
