import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // the SDK's sources, so the tests need no build of clients/js first
    alias: { '@chat-central/client': fileURLToPath(new URL('../js/src/index.ts', import.meta.url)) },
  },
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    environment: 'jsdom',
    testTimeout: 10_000,
  },
});
