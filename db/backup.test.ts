// npm run backup / restore: a seeded shop, backed up while a write lands, restored into an empty database, holds
// the same rows, balances (verifyInventory, as `npm run verify`), and keeps numbering ids after the highest.
import fs from 'node:fs';
import { gzipSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { connect } from '@/db/client';
import { products } from '@/db/schema';
import { seedDemo } from '@/server/cli/demo/seed';
import { verifyInventory } from '@/server/inventory/read/verify';
import { backupDatabase, restoreDatabase } from './backup';
import { migrateDatabase } from './migrate';
import { createDatabaseIfMissing, databaseUrl, dropDatabase } from './provision';

const admin = databaseUrl(inject('databaseUrl'), 'postgres');
const names = [`onhand_bk_src_${randomBytes(3).toString('hex')}`, `onhand_bk_dst_${randomBytes(3).toString('hex')}`];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onhand-backup-'));
afterAll(async () => {
  for (const n of names) await dropDatabase(admin, n);
  fs.rmSync(dir, { recursive: true, force: true });
});

const counts = (url: string) => {
  const conn = connect(url, { max: 1 });
  return conn.db
    .execute<{ t: string; n: number }>(
      sql`SELECT 'products' AS t, count(*)::int AS n FROM products UNION ALL SELECT 'stock_movements', count(*)::int FROM stock_movements
          UNION ALL SELECT 'stock_levels', count(*)::int FROM stock_levels UNION ALL SELECT 'users', count(*)::int FROM users
          UNION ALL SELECT 'reservations', count(*)::int FROM reservations UNION ALL SELECT 'alert_events', count(*)::int FROM alert_events`,
    )
    .finally(() => conn.close());
};

describe('backup and restore', () => {
  it('round-trips a shop: same rows, a balanced ledger, and new ids after the restored ones', async () => {
    const [src, dst] = names.map((n) => databaseUrl(admin, n));
    await createDatabaseIfMissing(admin, names[0]);
    await migrateDatabase(src);
    const conn = connect(src, { max: 2 });
    await seedDemo(conn.db, { products: 30 });
    await conn.close();

    const file = path.join(dir, 'shop.backup.gz');
    const header = await backupDatabase(src, file);
    expect(header.tables.find((t) => t.name === 'stock_movements')!.rows).toBeGreaterThan(0);
    expect(fs.existsSync(`${file}.partial`)).toBe(false);

    await createDatabaseIfMissing(admin, names[1]);
    const journal = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'migrations/meta/_journal.json'), 'utf8')) as { entries: unknown[] };
    await restoreDatabase(dst, file, { currentMigrations: journal.entries.length });
    expect(await counts(dst)).toEqual(await counts(src));

    const restored = connect(dst, { max: 2 });
    try {
      expect((await verifyInventory(restored.db)).ok).toBe(true);
      // Ledger guards are back on after the load: history cannot be rewritten in the restored database either.
      const refused = await restored.db.execute(sql`DELETE FROM stock_movements`).then(() => null, (e: Error) => String(e.cause ?? e));
      expect(refused).toMatch(/append-only/);
      const [row] = await restored.db.insert(products).values({ sku: 'AFTER-RESTORE', name: 'New after restore' }).returning();
      const [{ max }] = await restored.db.execute<{ max: number }>(sql`SELECT max(id)::int AS max FROM products WHERE sku <> 'AFTER-RESTORE'`);
      expect(row.id).toBeGreaterThan(max);
    } finally {
      await restored.close();
    }

    // Restoring again on top of data is refused, not merged.
    await expect(restoreDatabase(dst, file, { currentMigrations: journal.entries.length })).rejects.toThrow('already holds Onhand data');
    // A backup from a newer schema is refused before anything is written.
    await expect(restoreDatabase(dst, file, { currentMigrations: 1 })).rejects.toThrow(/made by a newer Onhand/);
    // Two databases migrated and a shop seeded: minutes on a busy two-core machine.
  }, 240_000);

  it('refuses a damaged file and writes nothing', async () => {
    const name = `onhand_bk_bad_${randomBytes(3).toString('hex')}`;
    names.push(name);
    await createDatabaseIfMissing(admin, name);
    const url = databaseUrl(admin, name);
    const journal = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'migrations/meta/_journal.json'), 'utf8')) as { entries: unknown[] };
    const write = (file: string, lines: string[]) => fs.writeFileSync(file, gzipSync(lines.join('\n') + '\n'));
    const header = (rows: number) =>
      JSON.stringify({ format: 'onhand-backup', version: 1, createdAt: new Date().toISOString(), migrations: 1, tables: [{ name: 'warehouses', columns: ['id', 'code', 'name'], rows }] });

    const garbled = path.join(dir, 'garbled.backup.gz');
    write(garbled, [header(1), '1\tMAIN', '\\.']); // a row missing its name
    await expect(restoreDatabase(url, garbled, { currentMigrations: journal.entries.length })).rejects.toThrow(/missing data for column "name"/);

    const cut = path.join(dir, 'cut.backup.gz');
    write(cut, [header(2), '1\tMAIN\tMain']); // the file ends inside the table
    await expect(restoreDatabase(url, cut, { currentMigrations: journal.entries.length })).rejects.toThrow('the file is incomplete');

    const conn = connect(url, { max: 1 });
    try {
      expect(await conn.db.execute(sql`SELECT * FROM warehouses`)).toHaveLength(0);
    } finally {
      await conn.close();
    }
    fs.writeFileSync(path.join(dir, 'not.gz'), 'hello');
    await expect(restoreDatabase(url, path.join(dir, 'not.gz'), { currentMigrations: 9 })).rejects.toThrow();
  });
});
