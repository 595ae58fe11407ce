import { inArray, sql } from 'drizzle-orm';
import { afterAll, expect, it } from 'vitest';
import { locations, products, stockLevels, stockMovements, warehouses } from '@/db/schema';
import { demoProducts, ean13CheckDigit } from './seed-data';
import { seedDemo } from './seed';
import { ledgerMismatches, testConnection } from '@/server/testing/fixtures';

const conn = testConnection();
afterAll(() => conn.close());

it('seeds warehouses, bins and products whose ledger sums equal their levels', async () => {
  await seedDemo(conn.db, { products: 60 });
  const whs = await conn.db.select().from(warehouses).where(inArray(warehouses.code, ['MAIN', 'EAST']));
  expect(whs).toHaveLength(2);
  const bins = await conn.db.select().from(locations).where(inArray(locations.warehouseId, whs.map((w) => w.id)));
  expect(bins.length).toBe(60);
  expect(new Set(bins.map((b) => b.kind))).toEqual(new Set(['receiving', 'storage', 'pick', 'shipping', 'quarantine']));

  const skus = demoProducts(60).map((p) => p.sku);
  const seeded = await conn.db.select().from(products).where(inArray(products.sku, skus));
  expect(seeded).toHaveLength(60);
  const ids = seeded.map((p) => p.id);
  expect(await conn.db.$count(stockMovements, inArray(stockMovements.productId, ids))).toBeGreaterThan(60);
  expect(await conn.db.$count(stockLevels, inArray(stockLevels.productId, ids))).toBeGreaterThan(60);
  expect(await ledgerMismatches(conn, ids)).toEqual([]);

  // Some products start under their threshold, so alerts have something to show.
  const [{ low }] = (await conn.db.execute(sql`
    SELECT count(*)::int AS low FROM products p
    WHERE p.id IN ${ids} AND coalesce((SELECT sum(on_hand - reserved) FROM stock_levels s WHERE s.product_id = p.id), 0) <= p.low_stock_threshold`)) as unknown as { low: number }[];
  expect(low).toBeGreaterThan(0);
});

it('gives every demo product a valid, unique EAN-13 stored as a 14-digit GTIN', () => {
  const catalogue = demoProducts(500);
  expect(new Set(catalogue.map((p) => p.gtin)).size).toBe(500);
  for (const p of catalogue) {
    expect(p.gtin).toMatch(/^0\d{13}$/);
    const ean = p.gtin.slice(1);
    expect(Number(ean[12])).toBe(ean13CheckDigit(ean.slice(0, 12)));
  }
  expect(ean13CheckDigit('400638133393')).toBe(1); // a known EAN-13: 4006381333931
});
