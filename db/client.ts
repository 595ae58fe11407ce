// One place that turns DATABASE_URL into a drizzle handle. Functions that write take the executor
// (the database or an open transaction) first, so they compose inside one transaction.
import '#server-only';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema';

export type Db = PostgresJsDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type Executor = Db | Tx;

export type Connection = { db: Db; sql: postgres.Sql; close: () => Promise<void> };

// After the database was unreachable (a restart, a failover) a pool reconnects within a second of its return: the
// driver's default backoff grows to 20 s per connection after a few refused attempts, and its default connect timeout
// is 30 s, both long enough for every request in between to fail or stall.
const reconnectBackoffSeconds = (retries: number) => Math.min(0.05 * 2 ** retries, 1);

export function connect(url: string, options: postgres.Options<Record<string, postgres.PostgresType>> = {}): Connection {
  const sql = postgres(url, { max: 10, connect_timeout: 10, backoff: reconnectBackoffSeconds, onnotice: () => {}, ...options });
  const db = drizzle(sql, { schema });
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: start Onhand with `npm start`, which provides it.');
  return url;
}

// The app process shares one pool; kept on globalThis so hot reload in dev does not open a new pool per edit.
const globalForDb = globalThis as unknown as { onhandConnection?: Connection };

export function getConnection(): Connection {
  globalForDb.onhandConnection ??= connect(databaseUrl(), { max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
  return globalForDb.onhandConnection;
}

export function getDb(): Db {
  return getConnection().db;
}
