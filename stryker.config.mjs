// Mutation testing: `npm run mutation` (all four folders), or one folder at a time with
// `npm run mutation -- --mutate 'lib/token/**/*.ts'`. Not run in CI: it takes a long while.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  mutate: ['lib/token/**/*.ts', 'lib/options/**/*.ts', 'lib/store/**/*.ts', 'lib/http/**/*.ts'],
  coverageAnalysis: 'perTest',
  // The machine is small and shared; the tests use real HTTP and Redis, and must not race.
  concurrency: 1,
  timeoutMS: 10_000,
  incremental: true,
  incrementalFile: '.scratch/stryker/incremental.json',
  tempDirName: '.scratch/stryker/tmp',
  reporters: ['clear-text', 'progress-append-only', 'json'],
  jsonReporter: { fileName: '.scratch/stryker/mutation.json' },
  thresholds: { high: 90, low: 85, break: null },
  cleanTempDir: 'always',
};
