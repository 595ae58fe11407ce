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
  // plan_cache_mode: a prepared statement is planned for its parameters on every execution. A generic plan, which
  // PostgreSQL otherwise settles on after five runs, is made from the statistics of that moment: one made while an
  // import's table was still empty kept scanning it whole at 100,000 rows (an import's batch lookup went from
  // milliseconds to minutes). Planning these statements costs far less than the round trip preparing saves.
  const sql = postgres(url, {
    max: 10,
    connect_timeout: 10,
    backoff: reconnectBackoffSeconds,
    onnotice: () => {},
    ...options,
    connection: { plan_cache_mode: 'force_custom_plan', ...options.connection },
  });
  const db = drizzle(preparing(sql), { schema });
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}

// Drizzle sends every query unprepared unless it is given a name: postgres.js then parses and describes it, waits for
// the answer, and only then binds and executes it, two round trips per statement. Prepared, a statement costs one
// round trip once its connection has seen it (postgres.js keeps them per connection, keyed by text and types, until
// the connection is recycled after max_lifetime). So every parameterised query drizzle sends, in or out of a
// transaction or savepoint, is prepared here. A query with no parameters goes as a simple query (one round trip
// anyway, and it may hold several statements); one with very many (a bulk insert) is not kept, since each row
// count would be a statement of its own on every connection.
const MAX_PREPARED_PARAMETERS = 100;

// The parts of a postgres.js client (the pool's, a transaction's or a savepoint's) that drizzle calls.
type Client = {
  unsafe: (query: string, args?: unknown[], options?: postgres.UnsafeQueryOptions) => unknown;
  begin?: (...a: unknown[]) => unknown;
  savepoint?: (...a: unknown[]) => unknown;
};

function preparing<T extends object>(client: T): T {
  const c = client as unknown as Client;
  const unsafe: Client['unsafe'] = (query, args, options) =>
    c.unsafe(query, args, args && args.length > 0 && args.length <= MAX_PREPARED_PARAMETERS ? { ...options, prepare: true } : options);
  // A transaction's and a savepoint's client are new objects, handed to the callback: they prepare too.
  const scoped = (open: (...a: unknown[]) => unknown) => (...a: unknown[]) =>
    open(...a.map((x) => (typeof x === 'function' ? (inner: object) => (x as (i: object) => unknown)(preparing(inner)) : x)));
  const begin = c.begin && scoped(c.begin);
  const savepoint = c.savepoint && scoped(c.savepoint);
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'unsafe') return unsafe;
      if (prop === 'begin' && begin) return begin;
      if (prop === 'savepoint' && savepoint) return savepoint;
      return Reflect.get(target, prop, receiver);
    },
  });
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
