import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * The tests Stryker runs against each mutant of lib/token, lib/options, lib/store and lib/http:
 * the ones that exercise that code on the manual clock or in one process. Child processes
 * (which run the built package, not the mutant), the sample app, the soak and the
 * real-time load tests are left out: they would not see the mutant or would cost minutes each.
 */
export default mergeConfig(
  base,
  defineConfig({
    test: {
      include: [
        'test/*.spec.ts',
        'test/reliability/fault-matrix.spec.ts',
        'test/store/*.spec.ts',
        'test/http/**/*.spec.ts',
        'test/accounts/accounts.spec.ts',
        'test/accounts/accounts-eviction.spec.ts',
      ],
      exclude: ['test/rolling-deploy.spec.ts', 'test/store/shared-store.spec.ts', 'test/compat/**', 'test/sample-app/**'],
    },
  }),
);
