import { afterEach, expect } from 'vitest';

// Every test file runs with these listeners: an unhandled rejection or uncaught exception
// anywhere fails the test during which it surfaced.
const escaped: unknown[] = [];
process.on('unhandledRejection', (reason) => escaped.push(reason));
process.on('uncaughtException', (error) => escaped.push(error));

afterEach(async () => {
  // Let rejections created at the very end of the test reach the listener.
  await new Promise((resolve) => setImmediate(resolve));
  const found = escaped.splice(0);
  expect(found, 'unhandled rejections or uncaught exceptions').toEqual([]);
});
