// Gives the integration tests a fresh, migrated database: a new database on DATABASE_URL's server, or an
// embedded PostgreSQL started for this run. Tests read its address with inject('databaseUrl').
import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { migrateDatabase } from '@/db/migrate';
import { createDatabaseIfMissing, databaseUrl, dropDatabase, scratchServer } from '@/db/provision';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const name = `onhand_test_${randomBytes(4).toString('hex')}`;
  const server = await scratchServer(`.data/test-pg-${process.pid}`);
  await createDatabaseIfMissing(server.adminUrl, name);
  const url = databaseUrl(server.adminUrl, name);
  await migrateDatabase(url);
  project.provide('databaseUrl', url);
  return async () => {
    await dropDatabase(server.adminUrl, name);
    await server.stop();
  };
}
