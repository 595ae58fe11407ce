import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

// Applies the committed migrations. Refuses a server that cannot feed the realtime sidecar.
export async function migrateDatabase(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await assertLogicalReplication(sql);
    await migrate(drizzle(sql), { migrationsFolder });
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export async function assertLogicalReplication(sql: postgres.Sql): Promise<void> {
  const [{ wal_level: walLevel, server_version_num: version }] = await sql<
    { wal_level: string; server_version_num: string }[]
  >`SELECT current_setting('wal_level') AS wal_level, current_setting('server_version_num') AS server_version_num`;
  if (Number(version) < 150000) {
    throw new Error(`Onhand needs PostgreSQL 15 or newer; this server is ${version}.`);
  }
  if (walLevel !== 'logical') {
    throw new Error(
      `PostgreSQL has wal_level=${walLevel}, but Onhand's live updates follow the database through logical replication.\n` +
        `Run  ALTER SYSTEM SET wal_level = logical;  as a superuser, restart PostgreSQL, and start Onhand again.`,
    );
  }
}
