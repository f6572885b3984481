// `npm run test:contract`: the contract suite against Dintero's test environment. Without a test
// account it cannot check anything: it says so plainly and exits 1, so that a green run always
// means Dintero answered as the fake does.
import { spawnSync } from 'node:child_process';

const REQUIRED = ['DINTERO_ACCOUNT_ID', 'DINTERO_CLIENT_ID', 'DINTERO_CLIENT_SECRET', 'DINTERO_PROFILE_ID'];
const missing = REQUIRED.filter((name) => !process.env[name]);
const account = process.env.DINTERO_ACCOUNT_ID ?? '';
const problem =
  missing.length > 0
    ? `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set`
    : /^T\d{8}$/.test(account)
      ? undefined
      : 'DINTERO_ACCOUNT_ID is not a test account (T followed by 8 digits); the suite creates sessions';

if (problem) {
  console.error(
    [
      '',
      '  THE CONTRACT SUITE PROVED NOTHING: it ran no check against Dintero.',
      `  ${problem}.`,
      '  Set the four DINTERO_* variables of a Dintero test account (see the README, "The contract suite") and run it again.',
      '  (npm test runs the same assertions against the fake; that says nothing about Dintero.)',
      '',
    ].join('\n'),
  );
  process.exit(1);
}

const run = spawnSync('npx', ['vitest', 'run', '--config', 'test/contract/vitest.config.ts', ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(run.status ?? 1);
