// `npm run migrate`: applies the schema migrations to DATABASE_URL and nothing else (no demo data, no accounts).
// A production deployment runs it once per release, before starting the new app processes.
import { databaseUrl } from '@/db/client';
import { migrateDatabase } from '@/db/migrate';

try {
  await migrateDatabase(databaseUrl());
  console.log('migrations applied');
} catch (e) {
  console.error(`migrate: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
}
