// Mutation testing, one folder at a time (the whole at once takes too long on a small machine):
//   npm run mutation                           lib/token
//   MUTATION_SCOPE=options npm run mutation    lib/options (or store, http)
// Not run in CI. Results: .scratch/stryker/<folder>.json and the clear-text report.
const scope = process.env.MUTATION_SCOPE ?? 'token';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.mjs' },
  mutate: [`lib/${scope}/**/*.ts`],
  coverageAnalysis: 'perTest',
  // One at a time by default: the store tests share one Redis. The token and http folders use
  // only loopback ports, and an idle machine can run them two at a time (MUTATION_CONCURRENCY=2).
  concurrency: Number(process.env.MUTATION_CONCURRENCY ?? 1),
  timeoutMS: 10_000,
  incremental: true,
  incrementalFile: `.scratch/stryker/${scope}-incremental.json`,
  // Per folder, so two folders can be measured side by side.
  tempDirName: `.scratch/stryker/tmp-${scope}`,
  reporters: ['clear-text', 'progress-append-only', 'json'],
  jsonReporter: { fileName: `.scratch/stryker/${scope}.json` },
  thresholds: { high: 90, low: 85, break: null },
  cleanTempDir: 'always',
};
