import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // the fake servers use fake timers; a test that hangs is a bug, not a slow machine
    testTimeout: 10_000,
  },
});
