import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locations, masterDataChanges, warehouses } from '@/db/schema';
import { MAX_PATTERN_BINS } from '@/lib/bin-pattern';
import { makeWorld, testActor, testConnection, uid, type World } from '@/server/testing/fixtures';
import { opts, stock } from '../test-support';
import { warehouseBins, warehouseSummaries } from '../read/places';
import { allocateOrder } from './allocate-order';
import { createBinsByPattern, previewBinPattern, saveLocation } from './locations';
import { receive } from './receive';
import { reserve } from './reserve';
import { transfer } from './transfer';
import { saveWarehouse } from './warehouses';
import { pickList } from '../read/pick-list';

const conn = testConnection();
let w: World;
beforeAll(async () => {
  w = await makeWorld(conn, { products: 3 });
});
afterAll(() => conn.close());

const newWarehouse = async () => (await saveWarehouse(conn.db, { code: `WH${uid()}`, name: 'North', mode: 'create' }, opts)).code;
const binCount = async (warehouse: string) =>
  conn.db.$count(locations, eq(locations.warehouseId, (await conn.db.select().from(warehouses).where(eq(warehouses.code, warehouse)))[0].id));
const changes = (entity: string, key: string) =>
  conn.db.select().from(masterDataChanges).where(and(eq(masterDataChanges.entity, entity), like(masterDataChanges.entityKey, key))).orderBy(masterDataChanges.id);

describe('warehouses', () => {
  it('creates, renames and audits a warehouse; a taken code, even in another letter case, is refused', async () => {
    const code = await newWarehouse();
    const renamed = await saveWarehouse(conn.db, { code, name: 'North hall', version: 1, mode: 'update' }, opts);
    expect(renamed).toMatchObject({ code, name: 'North hall', active: true, version: 2, changed: true });
    await expect(saveWarehouse(conn.db, { code, name: 'Again', mode: 'create' }, opts)).rejects.toMatchObject({
      type: 'conflict',
      details: { fields: { code: ['this code is already in use'] } },
    });
    await expect(saveWarehouse(conn.db, { code: code.toLowerCase(), name: 'Twin', mode: 'create' }, opts)).rejects.toMatchObject({
      type: 'conflict',
      details: { fields: { code: [`differs from the existing code ${code} only in letter case`] } },
    });
    expect((await changes('warehouse', code)).map((c) => [c.action, (c.before as { name?: string } | null)?.name ?? null, (c.after as { name: string }).name])).toEqual([
      ['create', null, 'North'],
      ['update', 'North', 'North hall'],
    ]);
  });

  it('a rename on an old version is refused with what changed, and nothing is overwritten', async () => {
    const code = await newWarehouse();
    await saveWarehouse(conn.db, { code, name: 'First rename', version: 1 }, opts);
    await expect(saveWarehouse(conn.db, { code, name: 'Mine', version: 1 }, opts)).rejects.toMatchObject({
      type: 'conflict',
      message: expect.stringContaining('changed by someone else'),
      details: { fields: { name: ['changed meanwhile to "First rename"'] } },
    });
    expect((await warehouseSummaries(conn.db)).find((x) => x.code === code)).toMatchObject({ name: 'First rename', version: 2 });
  });

  it('deactivating a warehouse whose bins hold stock is refused naming bins, SKUs and quantities; empty, it deactivates', async () => {
    const code = await newWarehouse();
    await saveLocation(conn.db, { warehouse: code, code: 'S-1', kind: 'storage' }, opts);
    const sku = w.skus[0];
    await receive(conn.db, { sku, warehouse: code, location: 'S-1', qty: 4 }, opts);
    await expect(saveWarehouse(conn.db, { code, active: false }, opts)).rejects.toMatchObject({
      type: 'invalid_state',
      message: `Warehouse ${code} still holds stock: S-1: ${sku} × 4. Move, adjust or release it before deactivating.`,
    });
    await transfer(conn.db, { sku, qty: 4, from: { warehouse: code, location: 'S-1' }, to: { warehouse: w.warehouse, location: 'A-01' } }, opts);
    expect(await saveWarehouse(conn.db, { code, active: false }, opts)).toMatchObject({ active: false });
    // No new stock, no new bins in a deactivated warehouse.
    await expect(receive(conn.db, { sku, warehouse: code, location: 'S-1', qty: 1 }, opts)).rejects.toMatchObject({
      type: 'invalid_state',
      message: `Warehouse ${code} is deactivated: it takes no new stock.`,
    });
    await expect(saveLocation(conn.db, { warehouse: code, code: 'S-2', kind: 'storage' }, opts)).rejects.toMatchObject({ type: 'invalid_state' });
  });
});

describe('bins', () => {
  it('creates one bin at the end of the pick path, sellable by kind; a taken code is refused', async () => {
    const code = await newWarehouse();
    const a = await saveLocation(conn.db, { warehouse: code, code: 'P-1', kind: 'pick', mode: 'create' }, opts);
    const r = await saveLocation(conn.db, { warehouse: code, code: 'RECV', kind: 'receiving', mode: 'create' }, opts);
    expect(a).toMatchObject({ code: 'P-1', kind: 'pick', sellable: true, pickOrder: 1, active: true, version: 1, created: true });
    expect(r).toMatchObject({ sellable: false, pickOrder: 2 });
    for (const dup of ['P-1', 'p-1']) {
      await expect(saveLocation(conn.db, { warehouse: code, code: dup, kind: 'pick', mode: 'create' }, opts)).rejects.toMatchObject({
        type: 'conflict',
        details: { fields: { code: [expect.stringContaining('P-1 already exists')] } },
      });
    }
    await expect(saveLocation(conn.db, { warehouse: code, code: 'X', mode: 'create' }, opts)).rejects.toMatchObject({ details: { fields: { kind: ['kind is required for a new bin'] } } });
    expect(await binCount(code)).toBe(2);
  });

  it('previews and creates bins by pattern: every combination, in path order, audited one row each', async () => {
    const code = await newWarehouse();
    const pattern = { warehouse: code, segments: ['A-C', '01-10', '1-4'], separator: '-' };
    const preview = await previewBinPattern(conn.db, pattern);
    expect(preview).toMatchObject({ clashes: [] });
    const codes = 'codes' in preview ? preview.codes : [];
    expect(codes).toHaveLength(120);
    expect(codes.slice(0, 5)).toEqual(['A-01-1', 'A-01-2', 'A-01-3', 'A-01-4', 'A-02-1']);
    expect(codes.at(-1)).toBe('C-10-4');
    const made = await createBinsByPattern(conn.db, { ...pattern, kind: 'storage' }, opts);
    expect(made.created).toEqual(codes);
    const bins = await warehouseBins(conn.db, code);
    expect(bins.map((b) => b.code)).toEqual(codes);
    expect(bins[0]).toMatchObject({ kind: 'storage', sellable: true, pickOrder: 1, active: true });
    expect(bins[119].pickOrder).toBe(120);
    expect(await changes('location', `${code}:%`)).toHaveLength(120);
  });

  it('a pattern any of whose codes exists (in any letter case) creates nothing, and the preview names the clashes', async () => {
    const code = await newWarehouse();
    await saveLocation(conn.db, { warehouse: code, code: 'b-02', kind: 'storage' }, opts);
    const pattern = { warehouse: code, segments: ['A-C', '01-03'], separator: '-' };
    expect(await previewBinPattern(conn.db, pattern)).toMatchObject({ clashes: ['b-02'] });
    await expect(createBinsByPattern(conn.db, { ...pattern, kind: 'storage' }, opts)).rejects.toMatchObject({
      type: 'conflict',
      message: `Warehouse ${code} already has bin b-02: no bin was created.`,
      details: { clashes: ['b-02'] },
    });
    expect(await binCount(code)).toBe(1);
    expect(await changes('location', `${code}:%`)).toHaveLength(1);
  });

  it('refuses patterns that cannot be read or are too large, naming the segment, and writes nothing', async () => {
    const code = await newWarehouse();
    const bad = [
      [['C-A'], 'segments.0', 'C-A runs backwards'],
      [['A-C', ''], null, null],
      [['A-Z', '1-100'], 'segments', `makes 2,600 bins; at most ${MAX_PATTERN_BINS.toLocaleString('en')} at once`],
      [['A+B'], 'segments.0', 'A+B is neither a range (A-C, 01-10) nor letters and digits'],
    ] as const;
    for (const [segments, field, message] of bad) {
      const p = { warehouse: code, segments: [...segments], separator: '-' };
      if (!field) {
        // A trailing blank segment is simply unused.
        expect(await previewBinPattern(conn.db, p)).toMatchObject({ codes: ['A', 'B', 'C'] });
        continue;
      }
      expect(await previewBinPattern(conn.db, p)).toMatchObject({ fields: { [field]: [message] } });
      await expect(createBinsByPattern(conn.db, { ...p, kind: 'pick' }, opts)).rejects.toMatchObject({ type: 'validation_failed', details: { fields: { [field]: [message] } } });
    }
    expect(await binCount(code)).toBe(0);
  });

  it('edits kind, sellable and pick order on the version read; a stale edit is refused with what changed', async () => {
    const code = await newWarehouse();
    await saveLocation(conn.db, { warehouse: code, code: 'E-1', kind: 'storage' }, opts);
    const edited = await saveLocation(conn.db, { warehouse: code, code: 'E-1', kind: 'pick', pickOrder: 7, version: 1, mode: 'update' }, opts);
    expect(edited).toMatchObject({ kind: 'pick', pickOrder: 7, version: 2 });
    await expect(saveLocation(conn.db, { warehouse: code, code: 'E-1', sellable: false, version: 1, mode: 'update' }, opts)).rejects.toMatchObject({
      type: 'conflict',
      details: { fields: { kind: ['changed meanwhile to "pick"'], pickOrder: ['changed meanwhile to 7'] } },
    });
    expect((await warehouseBins(conn.db, code))[0]).toMatchObject({ sellable: true, version: 2 });
    await expect(saveLocation(conn.db, { warehouse: code, code: 'E-1', pickOrder: -1, mode: 'update' }, opts)).rejects.toMatchObject({
      type: 'validation_failed',
      details: { fields: { pickOrder: ['pick order cannot be negative'] } },
    });
  });

  it('deactivating a bin with stock or holds is refused listing SKUs and quantities; emptied, it deactivates and takes no new stock', async () => {
    const [s0, s1] = w.skus;
    await stock(conn, w, s0, { 'PICK-01': 5 });
    await stock(conn, w, s1, { 'PICK-01': 2 });
    await reserve(conn.db, { sku: s0, qty: 2, warehouse: w.warehouse }, opts);
    await expect(saveLocation(conn.db, { warehouse: w.warehouse, code: 'PICK-01', active: false }, opts)).rejects.toMatchObject({
      type: 'invalid_state',
      message: `PICK-01 still holds ${[s0, s1].sort().map((s) => (s === s0 ? `${s0} × 5 (2 reserved), 1 open hold` : `${s1} × 2`)).join('; ')}: move, adjust or release it before deactivating.`,
      details: { fields: { active: [expect.stringContaining(`${s0} × 5`)] } },
    });
    // Emptying a new bin and deactivating it: no receipt or transfer may put stock there any more.
    await saveLocation(conn.db, { warehouse: w.warehouse, code: 'OLD-1', kind: 'storage' }, opts);
    await receive(conn.db, { sku: s1, warehouse: w.warehouse, location: 'OLD-1', qty: 1 }, opts);
    await transfer(conn.db, { sku: s1, qty: 1, from: { warehouse: w.warehouse, location: 'OLD-1' }, to: { warehouse: w.warehouse, location: 'A-02' } }, opts);
    expect(await saveLocation(conn.db, { warehouse: w.warehouse, code: 'OLD-1', active: false }, opts)).toMatchObject({ active: false, version: 2 });
    await expect(receive(conn.db, { sku: s1, warehouse: w.warehouse, location: 'OLD-1', qty: 1 }, opts)).rejects.toMatchObject({
      type: 'invalid_state',
      message: `Bin OLD-1 in ${w.warehouse} is deactivated: it takes no new stock. Choose another bin.`,
    });
    await expect(transfer(conn.db, { sku: s1, qty: 1, from: { warehouse: w.warehouse, location: 'A-02' }, to: { warehouse: w.warehouse, location: 'OLD-1' } }, opts)).rejects.toMatchObject({
      type: 'invalid_state',
      details: { fields: { to: ['OLD-1 is deactivated'] } },
    });
    // Its history stays: the bin is still listed, inactive, and reactivating it works.
    expect((await warehouseBins(conn.db, w.warehouse)).find((b) => b.code === 'OLD-1')).toMatchObject({ active: false, contents: [] });
    expect(await saveLocation(conn.db, { warehouse: w.warehouse, code: 'OLD-1', active: true }, opts)).toMatchObject({ active: true });
    expect((await changes('location', `${w.warehouse}:OLD-1`)).map((c) => c.action)).toEqual(['create', 'deactivate', 'reactivate']);
  });

  it('a receipt racing a deactivation: either the receipt lands and the deactivation is refused, or the receipt is refused', async () => {
    const code = await newWarehouse();
    await saveLocation(conn.db, { warehouse: code, code: 'R-1', kind: 'storage' }, opts);
    const [rec, deact] = await Promise.allSettled([
      receive(conn.db, { sku: w.skus[2], warehouse: code, location: 'R-1', qty: 3 }, opts),
      saveLocation(conn.db, { warehouse: code, code: 'R-1', active: false }, opts),
    ]);
    expect([rec.status, deact.status].sort()).toEqual(['fulfilled', 'rejected']);
    const bin = (await warehouseBins(conn.db, code))[0];
    expect(bin.active ? bin.contents : []).toEqual(bin.active ? [{ sku: w.skus[2], onHand: 3, reserved: 0 }] : []);
  });

  it('the pick list walks bins by pick order, then code', async () => {
    const world = await makeWorld(conn, { bins: ['Z-1', 'A-1'], products: 1 });
    const sku = world.skus[0];
    await stock(conn, world, sku, { 'Z-1': 1, 'A-1': 1 });
    await saveLocation(conn.db, { warehouse: world.warehouse, code: 'Z-1', pickOrder: 1 }, opts);
    await saveLocation(conn.db, { warehouse: world.warehouse, code: 'A-1', pickOrder: 2 }, opts);
    await allocateOrder(conn.db, { reference: `PO-${uid()}`, lines: [{ sku, qty: 2 }], warehouse: world.warehouse }, { actor: testActor });
    expect((await pickList(conn.db, world.warehouse)).tasks.map((t) => t.location)).toEqual(['Z-1', 'A-1']);
  });
});
