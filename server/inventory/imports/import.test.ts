import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importMappings, locations, masterDataChanges, products, stockLevels, stockMovements } from '@/db/schema';
import type { ImportKind, ImportReport } from '@/lib/contracts/imports';
import { makeWorld, testConnection, uid, type World } from '@/server/testing/fixtures';
import { receive } from '../commands/receive';
import { verifyInventory } from '../read/verify';
import { opts } from '../test-support';
import { runImport, type ImportRequest } from './run-import';

const conn = testConnection();
let w: World;
beforeAll(async () => {
  w = await makeWorld(conn, { products: 2 });
});
afterAll(() => conn.close());

// A fresh valid EAN-13 (barcodes are unique across every product in the database).
function ean13(): string {
  const body = `2${String(Math.floor(Math.random() * 1e11)).padStart(11, '0')}`;
  const sum = [...body].reverse().reduce((t, d, i) => t + Number(d) * (i % 2 === 0 ? 3 : 1), 0);
  return body + ((10 - (sum % 10)) % 10);
}
// The sample files with this run's SKU prefix and fresh barcodes (fresh[original] is what replaced it).
const fresh: Record<string, string> = {};
const fixture = (name: string, prefix: string) =>
  fs
    .readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8')
    .replaceAll('OH-', `${prefix}-`)
    .replace(/\b\d{13}\b/g, (code) => (fresh[code] = ean13()));
const body = (text: string | Buffer) => Readable.from([typeof text === 'string' ? Buffer.from(text) : text]);
const run = (kind: ImportKind, text: string | Buffer, more: Partial<ImportRequest> = {}): Promise<ImportReport> =>
  runImport(conn.db, body(text), { kind, dryRun: true, ...more }, opts);
const apply = (kind: ImportKind, text: string | Buffer, more: Partial<ImportRequest> = {}) => run(kind, text, { dryRun: false, ...more });
// Everything an import could have written, to prove a refused file wrote nothing.
const fingerprint = async () => {
  const [r] = await conn.db.execute<{ p: string; l: string; m: string; a: string; s: string }>(sql`SELECT
    (SELECT count(*) FROM ${products})::text AS p, (SELECT count(*) FROM ${locations})::text AS l,
    (SELECT count(*) FROM ${stockMovements})::text AS m, (SELECT count(*) FROM ${masterDataChanges})::text AS a,
    (SELECT coalesce(sum(on_hand), 0) FROM ${stockLevels})::text AS s`);
  return r;
};

describe('products', () => {
  it('dry run shows new, changed field by field, unchanged and refused rows, and writes nothing; apply writes; the same file again changes nothing', async () => {
    const p = `P${uid()}`;
    const existing = w.skus[0];
    const code = ean13();
    const csv = [
      'sku,name,barcodes,unit,threshold,lead time,active',
      `${p}-1,Blue Mug,${code},each,5,10,true`,
      `${existing},Renamed product,,,7,,`,
      `${p}-2,Red Mug,4006381333932,,,,`,
      `${p}-1,Again,,,,,`,
      `${p}-3,"=HYPERLINK(""x"")",,,,,`,
      `${p}-4,,,,,,`,
      `${p}-5,Extra,,,,,,surprise`,
    ].join('\n');
    const before = await fingerprint();
    const dry = await run('products', csv);
    expect(dry.fatal).toBeNull();
    expect(dry.counts).toEqual({ new: 1, changed: 1, unchanged: 0, refused: 5, ignored: 0 });
    expect(dry.new[0]).toMatchObject({ line: 2, key: `${p}-1`, values: { name: 'Blue Mug', barcodes: [`0${code}`], lowStockThreshold: 5, leadTimeDays: 10 } });
    expect(dry.changed[0]).toMatchObject({ line: 3, key: existing, changes: [{ field: 'name', from: `Test product ${existing}`, to: 'Renamed product' }, { field: 'lowStockThreshold', from: 0, to: 7 }] });
    const reasons = Object.fromEntries(dry.refused.map((r) => [r.line, r.reason]));
    expect(reasons[4]).toMatch(/check digit is wrong/);
    expect(reasons[5]).toMatch(`duplicate SKU ${p}-1 in the file (first at line 2)`);
    expect(reasons[6]).toMatch(/looks like a spreadsheet formula/);
    expect(reasons[7]).toMatch(/name is required for a new product/);
    expect(reasons[8]).toMatch(/has 8 cells where the header row has 7 \(extra columns\)/);
    expect(await fingerprint()).toEqual(before);

    const refusedApply = await apply('products', csv);
    expect(refusedApply.applied).toBe(false);
    expect(await fingerprint()).toEqual(before);

    const good = csv.split('\n').slice(0, 3).join('\n');
    const applied = await apply('products', good);
    expect(applied).toMatchObject({ applied: true, counts: { new: 1, changed: 1, refused: 0 } });
    const [made] = await conn.db.select().from(products).where(eq(products.sku, `${p}-1`));
    expect(made).toMatchObject({ name: 'Blue Mug', barcodes: [`0${code}`], lowStockThreshold: 5, leadTimeDays: 10 });
    const audit = await conn.db.$count(masterDataChanges, and(eq(masterDataChanges.entity, 'product'), eq(masterDataChanges.entityKey, `${p}-1`)));
    expect(audit).toBe(1);

    const after = await fingerprint();
    const again = await apply('products', good);
    expect(again).toMatchObject({ applied: true, counts: { new: 0, changed: 0, unchanged: 2, refused: 0 } });
    expect(await fingerprint()).toEqual(after);
  });

  it('a file that cannot be read is refused whole, with a clear reason, and writes nothing', async () => {
    const before = await fingerprint();
    const cases: [string, string | Buffer, RegExp][] = [
      ['not UTF-8', Buffer.concat([Buffer.from('sku,name\nA1,Caf'), Buffer.from([0xe9]), Buffer.from('\n')]), /not UTF-8/],
      ['open quote', 'sku,name\nA1,"Blue mug\nA2,Red', /never closed/],
      ['missing column', 'name,unit\nMug,each\n', /Missing required column: SKU/],
      ['empty', '', /empty/],
      ['header only', 'sku,name\n', /no rows/],
    ];
    for (const [what, text, reason] of cases) {
      const r = await apply('products', text);
      expect(r.fatal, what).toMatch(reason);
      expect(r.applied, what).toBe(false);
    }
    const tooBig = await apply('products', `sku,name\n${'A,B\n'.repeat(1000)}`, { maxBytes: 1024 });
    expect(tooBig.fatal).toMatch(/larger than/);
    expect(await fingerprint()).toEqual(before);
  });

  it('two SKUs of one file that differ only in letter case are refused as a duplicate', async () => {
    const p = `C${uid()}`;
    const r = await apply('products', `sku,name\n${p}-abc,One\n${p}-ABC,Two\n`);
    expect(r.applied).toBe(false);
    expect(r.refused).toEqual([{ line: 3, key: `${p}-ABC`, reason: `duplicate SKU ${p}-ABC in the file (first at line 2, as ${p}-abc)` }]);
    expect(await conn.db.$count(products, eq(products.sku, `${p}-abc`))).toBe(0);
  });

  it('a row the catalogue refuses as the batch is written (archiving a product with stock) is refused by its line; nothing is written', async () => {
    const p = `S${uid()}`;
    expect((await apply('products', `sku,name\n${p}-1,Kept\n${p}-2,Stocked\n`)).applied).toBe(true);
    await receive(conn.db, { sku: `${p}-2`, warehouse: w.warehouse, location: 'A-01', qty: 3 }, opts);
    const before = await fingerprint();
    const r = await apply('products', `sku,name,active\n${p}-1,Renamed,true\n${p}-2,Stocked,false\n${p}-3,New,true\n`);
    expect(r.applied).toBe(false);
    expect(r.refused).toEqual([
      { line: 3, key: `${p}-2`, reason: `${p}-2 still has 3 on hand and 0 open holds (0 units reserved): move, adjust or release them before archiving.` },
    ]);
    expect(await fingerprint()).toEqual(before);
    expect(await conn.db.$count(products, eq(products.name, 'Renamed'))).toBe(0);
  });

  it('a mapping chosen for a file shape is remembered for the next file of that shape', async () => {
    const p = `M${uid()}`;
    const csv = `Artikel,Bezeichnung\n${p},Tasse\n`;
    const first = await run('products', csv);
    expect(first.fatal).toMatch(/Missing required column/);
    const mapped = await apply('products', csv, { mapping: { columns: { sku: 'Artikel', name: 'Bezeichnung' }, fixed: {} } });
    expect(mapped.applied).toBe(true);
    const [kept] = await conn.db.select().from(importMappings).where(eq(importMappings.headerHash, mapped.headerHash));
    expect(kept.mapping).toEqual({ columns: { sku: 'Artikel', name: 'Bezeichnung' }, fixed: {} });
    const next = await run('products', `Artikel,Bezeichnung\n${p},Tasse gross\n`);
    expect(next.changed[0]).toMatchObject({ key: p, changes: [{ field: 'name', from: 'Tasse', to: 'Tasse gross' }] });
  });
});

describe('presets', () => {
  it("Shopify's product export: variants become products by SKU; image rows ignored, empty SKUs and duplicate handles refused", async () => {
    const p = `S${uid()}`;
    const r = await run('products', fixture('shopify-products.csv', p));
    expect(r.preset).toBe('shopify-products');
    expect(r.fatal).toBeNull();
    expect(r.counts).toMatchObject({ new: 4, refused: 2, ignored: 1 });
    expect(r.new.map((n) => [n.key, n.values.name])).toEqual([
      [`${p}-TEE-RED-S`, 'Classic Tee - Red / S'],
      [`${p}-TEE-RED-M`, 'Classic Tee - Red / M'],
      [`${p}-MUG`, 'Enamel Mug'],
      [`${p}-CAP`, 'Old Cap'],
    ]);
    expect(r.new[3].values.active).toBe(false);
    expect(r.new[0].values.barcodes).toEqual([`0${fresh['4006381333931']}`]);
    // The first product's HTML description spans lines 2 to 6: its variants are on lines 7 and 8.
    expect(r.refused).toEqual([
      { line: 8, key: null, reason: 'line 8 variant of classic-tee has an empty Variant SKU' },
      { line: 12, key: null, reason: 'line 12 duplicate handle enamel-mug (first at line 10)' },
    ]);
  });

  it("Shopify's inventory export sets stock per location, with the bin given once for the file", async () => {
    const p = `I${uid()}`;
    const csv = fixture('shopify-inventory.csv', p).replaceAll(',WH,', `,${w.warehouse},`);
    const missingBin = await run('stock', csv);
    expect(missingBin.preset).toBe('shopify-inventory');
    expect(missingBin.fatal).toMatch(/Missing required column: Bin code/);
    const r = await run('stock', csv, { mapping: { columns: { sku: 'SKU', warehouse: 'Location', quantity: 'On hand' }, fixed: { bin: 'A-01' } } });
    expect(r.counts.refused).toBe(3);
    expect(r.refused[0].reason).toBe(`unknown SKU ${p}-TEE-RED-S`);
  });

  it("WooCommerce's product export: variations become products, parents are ignored, an empty SKU is refused", async () => {
    const p = `W${uid()}`;
    const r = await run('products', fixture('woocommerce-products.csv', p));
    expect(r.preset).toBe('woocommerce-products');
    expect(r.counts).toMatchObject({ new: 4, refused: 1, ignored: 1 });
    expect(r.new.map((n) => [n.key, n.values.name, n.values.lowStockThreshold ?? null, n.values.active ?? null])).toEqual([
      [`${p}-HOODIE-GREY`, 'Hoodie - Grey', 3, true],
      [`${p}-HOODIE-NAVY`, 'Hoodie - Navy', 3, true],
      [`${p}-BEANIE`, 'Beanie', 5, true],
      [`${p}-SCARF`, 'Scarf', null, false],
    ]);
    expect(r.refused[0]).toMatchObject({ line: 7, reason: expect.stringMatching(/simple "Gift wrap" has an empty SKU/) });
  });
});

describe('stock', () => {
  it('sets levels through ledger rows with reason import; the same file again writes no ledger row; the ledger stays whole', async () => {
    const [a, b] = w.skus;
    const csv = `sku,warehouse,bin,quantity\n${a},${w.warehouse},A-01,12\n${b},${w.warehouse},A-02,0\n${a},${w.warehouse},A-02,5\n`;
    const dry = await run('stock', csv);
    expect(dry.counts).toMatchObject({ new: 2, unchanged: 1, refused: 0 });
    const r = await apply('stock', csv, { reference: 'opening.csv' });
    expect(r.applied).toBe(true);
    const moves = await conn.db
      .select({ delta: stockMovements.onHandDelta, reason: stockMovements.reasonCode, ref: stockMovements.referenceId })
      .from(stockMovements)
      .where(eq(stockMovements.productId, w.productIds[a]));
    expect(moves).toEqual([
      { delta: 12, reason: 'import', ref: 'opening.csv' },
      { delta: 5, reason: 'import', ref: 'opening.csv' },
    ]);
    const count = await conn.db.$count(stockMovements, inArray(stockMovements.productId, [w.productIds[a], w.productIds[b]]));
    const recount = `sku,warehouse,bin,quantity\n${a},${w.warehouse},A-01,10\n${a},${w.warehouse},A-02,5\n`;
    const changed = await apply('stock', recount);
    expect(changed.changed).toEqual([{ line: 2, key: `${a} @ ${w.warehouse} A-01`, changes: [{ field: 'onHand', from: 12, to: 10 }] }]);
    const again = await apply('stock', recount);
    expect(again.counts).toMatchObject({ changed: 0, unchanged: 2 });
    expect(await conn.db.$count(stockMovements, inArray(stockMovements.productId, [w.productIds[a], w.productIds[b]]))).toBe(count + 1);
    const report = await verifyInventory(conn.db, { productIds: Object.values(w.productIds) });
    expect(report.checks.flatMap((c) => c.issues)).toEqual([]);
  });

  it('refuses unknown warehouses and bins, negative and fractional quantities, duplicates: nothing is written', async () => {
    const [a] = w.skus;
    const before = await fingerprint();
    const csv = [
      'sku,warehouse,bin,quantity',
      `${a},NOPE,A-01,1`,
      `${a},${w.warehouse},Z-99,1`,
      `${a},${w.warehouse},A-01,-3`,
      `${a},${w.warehouse},PICK-01,2.5`,
      `${a},${w.warehouse},SHIP,4`,
      `${a},${w.warehouse},SHIP,4`,
    ].join('\n');
    const r = await apply('stock', csv);
    expect(r.applied).toBe(false);
    expect(r.refused.map((x) => [x.line, x.reason])).toEqual([
      [2, 'unknown warehouse NOPE'],
      [3, `warehouse ${w.warehouse} has no bin Z-99`],
      [4, 'quantity -3 is negative'],
      [5, 'quantity "2.5" is not a whole number'],
      [7, `duplicate row for ${a} in ${w.warehouse} SHIP (first at line 6)`],
    ]);
    expect(await fingerprint()).toEqual(before);
  });
});

describe('locations', () => {
  it('creates and changes bins; unknown warehouses and kinds are refused', async () => {
    const csv = `warehouse,code,kind,sellable,pick order\n${w.warehouse},B-01,storage,yes,40\n${w.warehouse},A-01,,no,\nNOPE,X,storage,,\n${w.warehouse},B-02,shelf,,\n`;
    const dry = await run('locations', csv);
    expect(dry.counts).toMatchObject({ new: 1, changed: 1, refused: 2 });
    expect(dry.changed[0].changes).toEqual([{ field: 'sellable', from: true, to: false }]);
    expect(dry.refused.map((x) => x.reason)).toEqual(['unknown warehouse NOPE', 'kind "shelf" is not one of receiving, storage, pick, shipping, quarantine']);
    const ok = await apply('locations', csv.split('\n').slice(0, 3).join('\n'));
    expect(ok.applied).toBe(true);
    const [bin] = await conn.db.select().from(locations).where(and(eq(locations.warehouseId, w.warehouseId), eq(locations.code, 'B-01')));
    expect(bin).toMatchObject({ kind: 'storage', sellable: true, pickOrder: 40 });
  });
});
