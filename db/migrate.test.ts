import fs from 'node:fs';
import postgres from 'postgres';
import { expect, inject, it } from 'vitest';
import { assertLogicalReplication, migrateDatabase } from './migrate';
import { passwordFileOf, startEmbedded } from './provision';

it('accepts the test server, which runs with wal_level=logical, and publishes the change feed', async () => {
  const sql = postgres(inject('databaseUrl'), { max: 1 });
  try {
    await expect(assertLogicalReplication(sql)).resolves.toBeUndefined();
    const tables = await sql`SELECT tablename FROM pg_publication_tables WHERE pubname = 'onhand' ORDER BY 1`;
    expect(tables.map((t) => t.tablename)).toEqual(expect.arrayContaining(['alerts', 'stock_levels']));
  } finally {
    await sql.end();
  }
});

it('refuses to start on a server without logical replication, says what to change, and creates nothing', async () => {
  const dataDir = `.data/test-replica-${process.pid}`;
  fs.rmSync(dataDir, { recursive: true, force: true });
  const pg = await startEmbedded({ dataDir, database: 'onhand', durable: false, walLevel: 'replica' });
  try {
    await expect(migrateDatabase(pg.url)).rejects.toThrow(/wal_level=replica.*\n.*ALTER SYSTEM SET wal_level = logical/);
    const sql = postgres(pg.url, { max: 1 });
    const [{ n }] = await sql`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`;
    await sql.end();
    expect(n).toBe(0);
  } finally {
    await pg.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(passwordFileOf(dataDir), { force: true });
  }
});
