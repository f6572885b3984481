import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.ts';

/**
 * The tests Stryker runs against each mutant, per folder (MUTATION_SCOPE; `npm run mutation`
 * sets it). Stryker runs every test that covers a mutant, and nearly every test boots the
 * module (options, token service): the whole suite per mutant would take hours on this
 * machine. So each folder is measured by the tests that are about it, on the manual clock or
 * in one process. Child processes run the built package, not the mutant, and are left out.
 */
/** @type {Record<string, string[]>} */
const SCOPES = {
  options: [
    'test/options/options.spec.ts',
    'test/token/refresh-policy.spec.ts',
    'test/store/token-store.spec.ts',
    'test/token/token-request.spec.ts',
    'test/http/redaction.spec.ts',
    'test/config/config.spec.ts',
    'test/options/client-credentials.spec.ts',
  ],
  // Not token-lifecycle.real-clock.spec.ts: seconds of real time per mutant, for claims the
  // manual-clock suite makes too.
  token: [
    'test/token/refresh-policy.spec.ts',
    'test/token/token-response.spec.ts',
    'test/token/access-token.spec.ts',
    'test/token/token-request.spec.ts',
    'test/token/token-lifecycle.spec.ts',
    'test/token/token-timeline.spec.ts',
    'test/token/token-drain.spec.ts',
    'test/token/clock.spec.ts',
    'test/token/token-log.spec.ts',
    'test/token/attempt-gate.spec.ts',
    'test/token/token-waiters.spec.ts',
    'test/token/alarm.spec.ts',
    'test/token/held-token.spec.ts',
    'test/module/module.spec.ts',
    'test/health/health.spec.ts',
    'test/testing/testing-module.spec.ts',
    'test/http/rolling-deploy.spec.ts',
    'test/token/token-recovery.spec.ts',
    'test/token/token-endpoint-hostile.spec.ts',
    'test/token/tracing.spec.ts',
    'test/reliability/fault-matrix.spec.ts',
  ],
  store: [
    'test/store/token-store.spec.ts',
    'test/store/store-contract.spec.ts',
    'test/store/shared-token-source.spec.ts',
    'test/store/doorbell.spec.ts',
    'test/store/shared-store-edges.spec.ts',
    'test/store/store-faults.spec.ts',
  ],
  http: ['test/http/**/*.spec.ts'],
};
const scope = process.env.MUTATION_SCOPE ?? 'token';
const include = SCOPES[scope];
if (!include) throw new Error(`MUTATION_SCOPE must be one of ${Object.keys(SCOPES).join(', ')}`);

// mergeConfig would append to the base's include (every test): replace it instead.
const config = mergeConfig(base, defineConfig({}));
config.test = { ...config.test, include };
export default config;
