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
    'test/options.spec.ts',
    'test/refresh-policy.spec.ts',
    'test/store/token-store.spec.ts',
    'test/token-request.spec.ts',
    'test/redaction.spec.ts',
    'test/config.spec.ts',
    'test/client-credentials.spec.ts',
  ],
  // Not token-lifecycle.real-clock.spec.ts: seconds of real time per mutant, for claims the
  // manual-clock suite makes too.
  token: [
    'test/refresh-policy.spec.ts',
    'test/token-response.spec.ts',
    'test/access-token.spec.ts',
    'test/token-request.spec.ts',
    'test/token-lifecycle.spec.ts',
    'test/token-timeline.spec.ts',
    'test/token-drain.spec.ts',
    'test/clock.spec.ts',
    'test/token-log.spec.ts',
    'test/module.spec.ts',
    'test/health.spec.ts',
    'test/testing-module.spec.ts',
    'test/http/rolling-deploy.spec.ts',
    'test/token-recovery.spec.ts',
    'test/token-endpoint-hostile.spec.ts',
    'test/tracing.spec.ts',
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
  http: ['test/interceptor.spec.ts', 'test/redaction.spec.ts', 'test/request-url.spec.ts', 'test/http/**/*.spec.ts'],
};
const scope = process.env.MUTATION_SCOPE ?? 'token';
const include = SCOPES[scope];
if (!include) throw new Error(`MUTATION_SCOPE must be one of ${Object.keys(SCOPES).join(', ')}`);

// mergeConfig would append to the base's include (every test): replace it instead.
const config = mergeConfig(base, defineConfig({}));
config.test = { ...config.test, include };
export default config;
