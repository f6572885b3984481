import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import base from '../../vitest.config.js';

// `npm run test:contract`: only the suite against Dintero's test environment (it skips, saying
// why, without credentials). The same assertions run against the fake in `npm test`.
export default defineConfig({
  ...base,
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: { ...base.test, include: ['test/contract/dintero.contract.ts'], testTimeout: 30_000 },
});
