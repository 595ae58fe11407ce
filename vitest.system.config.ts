import path from 'node:path';
import { defineConfig } from 'vitest/config';

// The system suite (server/testing/system/*.system.ts): built app processes, sidecars and an embedded PostgreSQL
// that the suite starts, faults and all. Run by `npm test` after the end-to-end tests, or `npm test -- --system`.
export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname) } },
  test: {
    include: ['server/testing/system/**/*.system.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 300_000,
  },
});
