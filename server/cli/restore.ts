// `npm run restore -- FILE [--replace]`: loads a backup made by `npm run backup` into an empty Onhand database,
// then checks the ledger as `npm run verify` does. The embedded database must not be in use (stop `npm start`
// first); --replace drops the embedded database's current data first. On DATABASE_URL the database must be empty.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { restoreDatabase, RestoreRefused } from '@/db/backup';
import { connect } from '@/db/client';
import { createDatabaseIfMissing, databaseUrl, dropDatabase, embeddedIsRunning, provisionDatabase } from '@/db/provision';
import { verifyInventory } from '@/server/inventory/read/verify';

const { values, positionals } = parseArgs({ options: { replace: { type: 'boolean' } }, allowPositionals: true });
const file = positionals[0];
function fail(message: string): never {
  console.error(`restore: ${message}`);
  process.exit(1);
}
if (!file) fail('name the backup file: npm run restore -- .data/backups/onhand-….backup.gz');
if (!fs.existsSync(file)) fail(`no such file: ${file}`);
if (!process.env.DATABASE_URL && embeddedIsRunning()) fail('the embedded database is in use: stop `npm start` first');
if (process.env.DATABASE_URL && values.replace) fail('--replace is for the embedded database only; restore into an empty DATABASE_URL');

const journal = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../db/migrations/meta/_journal.json');
const currentMigrations = (JSON.parse(fs.readFileSync(journal, 'utf8')) as { entries: unknown[] }).entries.length;

const db = await provisionDatabase();
let problem: string | null = null;
try {
  if (values.replace && db.embedded) {
    const admin = databaseUrl(db.url, 'postgres');
    const name = new URL(db.url).pathname.slice(1);
    await dropDatabase(admin, name);
    await createDatabaseIfMissing(admin, name);
  }
  const h = await restoreDatabase(db.url, file, { currentMigrations });
  console.log(`Restored ${h.tables.reduce((n, t) => n + t.rows, 0).toLocaleString('en')} rows from the backup of ${h.createdAt}.`);
  const conn = connect(db.url, { max: 1 });
  try {
    const report = await verifyInventory(conn.db);
    const failed = report.checks.filter((c) => c.issues.length);
    if (failed.length) problem = `the restored ledger does not balance: ${failed.map((c) => c.name).join(', ')}; run npm run verify for the details`;
    else console.log('Ledger verified: every level matches its movements.');
  } finally {
    await conn.close();
  }
} catch (e) {
  if (!(e instanceof RestoreRefused)) throw e;
  problem = `${e.message}${db.embedded && !values.replace ? ' (--replace drops the embedded data first)' : ''}`;
} finally {
  // Before any exit: an embedded server started here must not outlive the command.
  await db.stop();
}
if (problem) fail(problem);
