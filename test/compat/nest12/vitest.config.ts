import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// Nest's dependency injection needs decorator metadata, which only a transform such as SWC emits.
export default defineConfig({
  plugins: [swc.vite()],
  test: { include: ['src/**/*.spec.ts'] },
});
