import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { configDefaults, defineConfig } from 'vitest/config';

// Nest's dependency injection reads `design:paramtypes`, which vite's own TypeScript
// transform does not emit; SWC does, with the same legacy-decorator semantics as tsc.
export default defineConfig({
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: {
    // The sample app imports the package by name; under test that name means the source.
    alias: [
      { find: /^nestjs-dintero-auth\/testing$/, replacement: fileURLToPath(new URL('./lib/testing/index.ts', import.meta.url)) },
      {
        find: /^nestjs-dintero-auth\/fake-dintero$/,
        replacement: fileURLToPath(new URL('./lib/fake-dintero/index.ts', import.meta.url)),
      },
      { find: /^nestjs-dintero-auth\/health$/, replacement: fileURLToPath(new URL('./lib/health/index.ts', import.meta.url)) },
      { find: /^nestjs-dintero-auth\/redis$/, replacement: fileURLToPath(new URL('./lib/redis/index.ts', import.meta.url)) },
      { find: /^nestjs-dintero-auth\/config$/, replacement: fileURLToPath(new URL('./lib/config/index.ts', import.meta.url)) },
      { find: /^nestjs-dintero-auth$/, replacement: fileURLToPath(new URL('./lib/index.ts', import.meta.url)) },
    ],
  },
  test: {
    include: ['test/**/*.spec.ts'],
    // The compat apps' own tests (Jest, Vitest) run inside those apps, against the packed package.
    exclude: [...configDefaults.exclude, 'test/compat/**'],
    environment: 'node',
    setupFiles: ['test/support/no-unhandled-errors.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
