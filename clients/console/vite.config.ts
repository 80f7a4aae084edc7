import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// `npm run dev` serves the console itself and passes the rest to a gateway (bin/stack's by default)
const gateway = process.env.CONSOLE_GATEWAY ?? 'http://localhost:8080';

export default defineConfig({
  // the gateway serves the built files at /console/
  base: '/console/',
  plugins: [react()],
  resolve: {
    // the workspace packages' sources: the console builds and tests without building them first
    alias: {
      '@chat-central/client': source('../js/src/index.ts'),
      '@chat-central/react': source('../react/src/index.ts'),
    },
  },
  build: { outDir: 'dist', emptyOutDir: true },
  server: {
    proxy: {
      '/console/config.json': gateway,
      '/api': gateway,
      '/realtime': gateway,
      '/ws': { target: gateway, ws: true },
    },
  },
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    environment: 'jsdom',
    testTimeout: 10_000,
  },
});
