// Gives the integration tests a fresh, migrated database: a new database on DATABASE_URL's server, or an
// embedded PostgreSQL started for this run. Tests read its address with inject('databaseUrl').
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { TestProject } from 'vitest/node';
import { migrateDatabase } from '@/db/migrate';
import { createDatabaseIfMissing, dropDatabase, startEmbedded } from '@/db/provision';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const name = `onhand_test_${randomBytes(4).toString('hex')}`;
  let adminUrl: string;
  let stopServer = async () => {};
  if (process.env.DATABASE_URL) {
    const u = new URL(process.env.DATABASE_URL);
    u.pathname = '/postgres';
    adminUrl = u.toString();
  } else {
    const dataDir = `.data/test-pg-${process.pid}`;
    fs.rmSync(dataDir, { recursive: true, force: true });
    const pg = await startEmbedded({ dataDir, database: 'postgres', durable: false });
    adminUrl = pg.url;
    stopServer = async () => {
      await pg.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    };
  }
  await createDatabaseIfMissing(adminUrl, name);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await migrateDatabase(url.toString());
  project.provide('databaseUrl', url.toString());
  return async () => {
    await dropDatabase(adminUrl, name);
    await stopServer();
  };
}
