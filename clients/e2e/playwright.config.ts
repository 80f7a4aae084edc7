import { defineConfig } from '@playwright/test';

/**
 * The console in Debian's Chromium against a running stack (bin/stack, or the one system-tests'
 * ConsoleBrowserTest starts): Playwright's own browser builds are not downloaded. The scenarios share the stack and
 * one of them restarts its gateway, so they run one at a time.
 */
export default defineConfig({
  testDir: 'tests',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // the gateway's restart alone takes up to a minute on a busy two-core machine
  timeout: 150_000,
  expect: { timeout: 15_000 },
  outputDir: process.env.E2E_OUTPUT_DIR ?? 'test-results',
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      chromiumSandbox: false,
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      // Playwright adds --headless and a fresh --user-data-dir; the rest keeps Chromium from calling home
      args: [
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    viewport: { width: 1280, height: 800 },
    locale: 'pt-BR',
    actionTimeout: 15_000,
    screenshot: 'only-on-failure',
  },
});
