import fs from 'node:fs';
import { defineConfig, devices } from '@playwright/test';

// The Chromium `npm test` found or provided (server/cli/test-prerequisites.ts), else Debian's where present (no
// browser downloads on CI machines), else Playwright's own.
const debianChromium = '/usr/bin/chromium';
const chromium = process.env.ONHAND_CHROMIUM ?? (fs.existsSync(debianChromium) ? debianChromium : undefined);

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: true,
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  reporter: [['list']],
  timeout: 30_000,
  // The app, its database and the browser share two cores in CI.
  expect: { timeout: 10_000 },
  use: {
    baseURL: process.env.E2E_BASE_URL ?? 'http://localhost:3000',
    trace: 'retain-on-failure',
    ...devices['Desktop Chrome'],
    launchOptions: {
      executablePath: chromium,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
});
