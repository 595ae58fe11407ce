// The catalogue's batch save (what an import writes through): the same rules as one save, checked for the whole
// batch before anything is written, each refused row named by its position, an audit row per product.
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { masterDataChanges, products } from '@/db/schema';
import { gtinCheckDigit } from '@/lib/scan';
import { makeWorld, testConnection, uid, type World } from '@/server/testing/fixtures';
import { runCommand } from '../kernel/command';
import { opts } from '../test-support';
import { ProductsRefused, saveProductInput, saveProductsIn, type SaveProductInput } from './products';

const conn = testConnection();
let w: World;
beforeAll(async () => {
  w = await makeWorld(conn, { products: 1 });
});
afterAll(() => conn.close());

const gtin = () => {
  const body = `2${String(Math.floor(Math.random() * 1e11)).padStart(11, '0')}`;
  return `0${body}${gtinCheckDigit(body)}`;
};
const saveAll = (rows: SaveProductInput[]) =>
  runCommand(conn.db, { name: 'saveProducts', schema: saveProductInput.array() }, rows, opts, (tx, i, ctx) => saveProductsIn(tx, i, ctx));
const audited = (skus: string[]) => conn.db.$count(masterDataChanges, inArray(masterDataChanges.entityKey, skus));

describe('saveProductsIn', () => {
  it('creates and updates a batch with one audit row per product, and answers unchanged rows as unchanged', async () => {
    const p = `B${uid()}`;
    const [a, b] = [`${p}-A`, `${p}-B`];
    const first = await saveAll([
      { sku: a, name: 'Oak shelf', barcodes: [gtin()] },
      { sku: b, name: 'Pine shelf', lowStockThreshold: 4 },
    ]);
    expect(first.map((r) => [r.sku, r.created, r.version])).toEqual([
      [a, true, 1],
      [b, true, 1],
    ]);
    const again = await saveAll([
      { sku: a, name: 'Oak shelf' },
      { sku: b, name: 'Pine shelf, wide', mode: 'update' },
    ]);
    expect(again.map((r) => [r.sku, r.changed, r.version, r.name])).toEqual([
      [a, false, 1, 'Oak shelf'],
      [b, true, 2, 'Pine shelf, wide'],
    ]);
    const rows = await conn.db.select({ key: masterDataChanges.entityKey, action: masterDataChanges.action }).from(masterDataChanges).where(inArray(masterDataChanges.entityKey, [a, b])).orderBy(masterDataChanges.id);
    expect(rows).toEqual([
      { key: a, action: 'create' },
      { key: b, action: 'create' },
      { key: b, action: 'update' },
    ]);
  });

  it("refuses a row whose barcode another product holds, by its position, and writes none of the batch", async () => {
    const p = `B${uid()}`;
    const [held] = await conn.db.select({ barcodes: products.barcodes }).from(products).where(eq(products.sku, w.skus[0]));
    const code = gtin();
    await saveAll([{ sku: w.skus[0], barcodes: [...held.barcodes, code] }]);
    const batch = [
      { sku: `${p}-1`, name: 'Fine' },
      { sku: `${p}-2`, name: 'Clash', barcodes: [code] },
      { sku: `${p}-3`, name: 'Also fine' },
    ];
    const e = await saveAll(batch).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ProductsRefused);
    expect((e as ProductsRefused).refusals.map((r) => [r.index, r.error.message])).toEqual([[1, `Barcode ${code} already belongs to ${w.skus[0]}.`]]);
    expect(await conn.db.$count(products, inArray(products.sku, batch.map((r) => r.sku)))).toBe(0);
    expect(await audited(batch.map((r) => r.sku))).toBe(0);
  });

  it('refuses a barcode given twice in one batch and a SKU that differs from another of the batch only in letter case', async () => {
    const p = `B${uid()}`;
    const code = gtin();
    const e = (await saveAll([
      { sku: `${p}-a`, name: 'First', barcodes: [code] },
      { sku: `${p}-b`, name: 'Second', barcodes: [code] },
      { sku: `${p}-A`, name: 'Twin' },
    ]).catch((x: unknown) => x)) as ProductsRefused;
    expect(e.refusals.map((r) => [r.index, r.error.message])).toEqual([
      [1, `Barcode ${code} already belongs to ${p}-a.`],
      [2, `SKU ${p}-A differs from the existing ${p}-a only in letter case.`],
    ]);
    expect(await conn.db.$count(products, inArray(products.sku, [`${p}-a`, `${p}-b`, `${p}-A`]))).toBe(0);
  });

  it('lets two products of one batch swap their barcodes: codes are unique in the state the batch leaves', async () => {
    const p = `B${uid()}`;
    const [x, y] = [gtin(), gtin()];
    await saveAll([
      { sku: `${p}-1`, name: 'One', barcodes: [x] },
      { sku: `${p}-2`, name: 'Two', barcodes: [y] },
    ]);
    const swapped = await saveAll([
      { sku: `${p}-1`, barcodes: [y] },
      { sku: `${p}-2`, barcodes: [x] },
    ]);
    expect(swapped.map((r) => r.barcodes)).toEqual([[y], [x]]);
  });
});
