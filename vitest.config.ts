import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname) } },
  test: {
    include: ['{server,db,lib,components,app}/**/*.test.ts'],
    globalSetup: ['server/testing/global-setup.ts'],
    // Integration tests share one fresh database; each test makes its own products and bins.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
