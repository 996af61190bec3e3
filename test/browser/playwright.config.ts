import { defineConfig } from '@playwright/test';
import { join } from 'node:path';

/**
 * Browser tests of the web console: Debian's Chromium (apt-get install chromium; `npx playwright
 * install` cannot download here), one worker against one server process started by global-setup.ts
 * (the simulator and the control plane in local mode). `npm run test:browser` builds first.
 */
export default defineConfig({
  testDir: __dirname,
  testMatch: '*.pw.ts',
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  expect: { timeout: 30_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  outputDir: join(__dirname, '..', '..', 'dist', 'browser-results'),
  globalSetup: process.env.NO_SETUP ? undefined : join(__dirname, 'global-setup.ts'),
  use: {
    viewport: { width: 1280, height: 860 },
    acceptDownloads: true,
    trace: 'off',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      // This machine's network is closed: no background calls home.
      args: ['--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    },
  },
});
