import { defineConfig } from 'drizzle-kit';

// Migrations are generated from db/schema.ts, read, committed, and applied at start by db/migrate.ts.
export default defineConfig({
  schema: './db/schema.ts',
  out: './db/migrations',
  dialect: 'postgresql',
  dbCredentials: { url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
});
