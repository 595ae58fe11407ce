import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname) } },
  test: {
    include: ['{server,db,lib,components,app}/**/*.test.ts'],
    globalSetup: ['server/testing/global-setup.ts'],
    setupFiles: ['server/testing/per-file.ts'],
    // Integration tests share one fresh database; each test makes its own products and bins.
    pool: 'forks',
    testTimeout: 60_000,
    // Request logs (pino, info) would bury the test output; warnings and errors still show.
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
    hookTimeout: 120_000,
  },
});
