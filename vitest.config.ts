import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// Nest's dependency injection reads `design:paramtypes`, which vite's own TypeScript
// transform does not emit; SWC does, with the same legacy-decorator semantics as tsc.
export default defineConfig({
  plugins: [swc.vite({ module: { type: 'es6' } })],
  test: {
    include: ['test/**/*.spec.ts'],
    environment: 'node',
    setupFiles: ['test/support/no-unhandled-errors.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
