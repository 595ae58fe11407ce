import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { masterDataChanges, products, purchaseOrders } from '@/db/schema';
import { makeWorld, testActor, testConnection, uid, type World } from '@/server/testing/fixtures';
import { purchaseOrderView } from '../read/purchase-orders';
import { alertDrilldown } from '../read/alert-drilldown';
import { cancelPurchaseOrder, closePurchaseOrder, createPurchaseOrder, draftFromSuggestions, markOrdered, setPurchaseOrderLine } from './purchase-orders';
import { receive } from './receive';
import { roundToTerms, saveProductSupplier, saveSupplier } from './suppliers';

const conn = testConnection();
const opts = { actor: testActor };
let w: World;
let supplierId: number;
const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  w = await makeWorld(conn, { products: 4 });
  const s = await saveSupplier(conn.db, { name: `Nordic ${uid()}`, leadTimeDays: 21, mode: 'create' }, opts);
  supplierId = s.id;
  // Pack of 12, minimum 24 for the first product; plain terms for the second.
  await saveProductSupplier(conn.db, { sku: w.skus[0], supplierId, packSize: 12, minOrderQty: 24, unitCost: 2.5 }, opts);
  await saveProductSupplier(conn.db, { sku: w.skus[1], supplierId, packSize: 1, minOrderQty: 1 }, opts);
});
afterAll(() => conn.close());

async function orderedPo(lines: { sku: string; qty: number }[]) {
  const po = await createPurchaseOrder(conn.db, { supplierId, warehouse: w.warehouse, lines }, opts);
  return markOrdered(conn.db, { reference: po.reference, expectedAt: tomorrow }, opts);
}
const receiveOn = (reference: string, sku: string, qty: number, note?: string) =>
  receive(conn.db, { sku, warehouse: w.warehouse, location: 'RECV', qty, purchaseOrder: reference, note }, opts);

describe('pack-size rounding', () => {
  it('rounds up to the minimum, then to whole packs, and says so', () => {
    expect(roundToTerms(5, { packSize: 12, minOrderQty: 24 })).toEqual({ qty: 24, note: '5 rounded up to 24 (packs of 12, minimum 24)' });
    expect(roundToTerms(25, { packSize: 12, minOrderQty: 24 })).toEqual({ qty: 36, note: '25 rounded up to 36 (packs of 12)' });
    expect(roundToTerms(36, { packSize: 12, minOrderQty: 24 })).toEqual({ qty: 36, note: null });
    expect(roundToTerms(7, null)).toEqual({ qty: 7, note: null });
  });

  it('a draft line takes the rounded quantity and the page shows the note', async () => {
    const po = await createPurchaseOrder(conn.db, { supplierId, warehouse: w.warehouse, lines: [{ sku: w.skus[0], qty: 30 }] }, opts);
    expect(po.lines).toEqual([{ sku: w.skus[0], asked: 30, qty: 36, note: '30 rounded up to 36 (packs of 12)' }]);
    const r = await setPurchaseOrderLine(conn.db, { reference: po.reference, sku: w.skus[1], qty: 7 }, opts);
    expect(r.line).toMatchObject({ qty: 7, note: null });
    const view = await purchaseOrderView(conn.db, po.reference);
    expect(Object.fromEntries(view.lines.map((l) => [l.sku, l.ordered]))).toEqual({ [w.skus[0]]: 36, [w.skus[1]]: 7 });
    await setPurchaseOrderLine(conn.db, { reference: po.reference, sku: w.skus[1], qty: 0 }, opts);
    expect((await purchaseOrderView(conn.db, po.reference)).lines).toHaveLength(1);
  });
});

describe('lifecycle', () => {
  it('draft → ordered → partially received → received, by receipts in the same transaction', async () => {
    const po = await orderedPo([{ sku: w.skus[1], qty: 10 }]);
    expect(po.status).toBe('ordered');
    await receiveOn(po.reference, w.skus[1], 4);
    expect((await purchaseOrderView(conn.db, po.reference)).status).toBe('partially_received');
    await receiveOn(po.reference, w.skus[1], 6);
    const done = await purchaseOrderView(conn.db, po.reference);
    expect(done).toMatchObject({ status: 'received', lines: [{ ordered: 10, received: 10, remaining: 0 }] });
    const audit = await conn.db.select().from(masterDataChanges).where(eq(masterDataChanges.entityKey, po.reference));
    expect(audit.map((a) => a.action)).toEqual(['create', 'order']);
  });

  it('refuses every transition its state does not allow, saying why, and changes nothing', async () => {
    const draft = await createPurchaseOrder(conn.db, { supplierId, warehouse: w.warehouse, lines: [{ sku: w.skus[1], qty: 3 }] }, opts);
    const ref = draft.reference;
    await expect(closePurchaseOrder(conn.db, { reference: ref }, opts)).rejects.toMatchObject({
      type: 'invalid_state',
      message: `Purchase order ${ref} is draft: only an ordered or partially received purchase order can be closed.`,
    });
    await expect(receiveOn(ref, w.skus[1], 1)).rejects.toMatchObject({
      type: 'invalid_state',
      message: `Purchase order ${ref} is draft: only an ordered or partially received purchase order can receive stock.`,
    });
    await markOrdered(conn.db, { reference: ref, expectedAt: tomorrow }, opts);
    await expect(setPurchaseOrderLine(conn.db, { reference: ref, sku: w.skus[1], qty: 5 }, opts)).rejects.toMatchObject({
      message: `Purchase order ${ref} is ordered: only a draft’s lines can be changed.`,
    });
    await expect(markOrdered(conn.db, { reference: ref, expectedAt: tomorrow }, opts)).rejects.toMatchObject({
      message: `Purchase order ${ref} is ordered: only a draft can be ordered.`,
    });
    await receiveOn(ref, w.skus[1], 1);
    await expect(cancelPurchaseOrder(conn.db, { reference: ref }, opts)).rejects.toMatchObject({
      type: 'invalid_state',
      message: `Purchase order ${ref} is partially received: only a draft or an ordered purchase order with nothing received can be cancelled.`,
    });
    await receiveOn(ref, w.skus[1], 2);
    await expect(closePurchaseOrder(conn.db, { reference: ref }, opts)).rejects.toMatchObject({
      message: `Purchase order ${ref} was received in full: there is nothing short to close.`,
    });
    await expect(receiveOn(ref, w.skus[1], 1)).rejects.toMatchObject({
      message: `Purchase order ${ref} is received: only an ordered or partially received purchase order can receive stock.`,
    });
    const cancelled = await createPurchaseOrder(conn.db, { supplierId, warehouse: w.warehouse, lines: [{ sku: w.skus[1], qty: 3 }] }, opts);
    await cancelPurchaseOrder(conn.db, { reference: cancelled.reference }, opts);
    for (const attempt of [
      () => markOrdered(conn.db, { reference: cancelled.reference, expectedAt: tomorrow }, opts),
      () => cancelPurchaseOrder(conn.db, { reference: cancelled.reference }, opts),
      () => closePurchaseOrder(conn.db, { reference: cancelled.reference }, opts),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ type: 'invalid_state', message: expect.stringContaining(`${cancelled.reference} is cancelled`) });
    }
    expect((await purchaseOrderView(conn.db, cancelled.reference)).status).toBe('cancelled');
  });

  it('refuses to order an empty draft or one expected in the past, naming the field', async () => {
    const empty = await createPurchaseOrder(conn.db, { supplierId, warehouse: w.warehouse }, opts);
    await expect(markOrdered(conn.db, { reference: empty.reference, expectedAt: tomorrow }, opts)).rejects.toMatchObject({
      message: `Purchase order ${empty.reference} has no lines: add what to order first.`,
    });
    await setPurchaseOrderLine(conn.db, { reference: empty.reference, sku: w.skus[1], qty: 2 }, opts);
    await expect(markOrdered(conn.db, { reference: empty.reference, expectedAt: '2020-01-01' }, opts)).rejects.toMatchObject({
      details: { fields: { expectedAt: ['the expected date cannot be in the past'] } },
    });
    expect((await purchaseOrderView(conn.db, empty.reference)).status).toBe('draft');
  });

  it('over-receipt needs a reason in the note', async () => {
    const po = await orderedPo([{ sku: w.skus[1], qty: 2 }]);
    await expect(receiveOn(po.reference, w.skus[1], 5)).rejects.toMatchObject({
      type: 'validation_failed',
      details: { over: 3, fields: { note: ['3 over the ordered quantity: say why'] } },
    });
    expect((await purchaseOrderView(conn.db, po.reference)).lines[0].received).toBe(0);
    const r = await receiveOn(po.reference, w.skus[1], 5, 'supplier sent a full case');
    expect(r.purchaseOrderLine).toMatchObject({ received: 5, overReceived: 3 });
    expect((await purchaseOrderView(conn.db, po.reference)).status).toBe('received');
  });
});

describe('closing with short lines', () => {
  it('needs a reason for every short line, then records them and closes', async () => {
    const po = await orderedPo([
      { sku: w.skus[0], qty: 24 },
      { sku: w.skus[1], qty: 5 },
    ]);
    await receiveOn(po.reference, w.skus[0], 20);
    await receiveOn(po.reference, w.skus[1], 5);
    await expect(closePurchaseOrder(conn.db, { reference: po.reference }, opts)).rejects.toMatchObject({
      type: 'validation_failed',
      message: `Give a reason for every short line: ${w.skus[0]} (4 short).`,
      details: { fields: { [`shortReasons.${w.skus[0]}`]: [`${w.skus[0]} is 4 short: give a reason`] } },
    });
    const r = await closePurchaseOrder(conn.db, { reference: po.reference, shortReasons: { [w.skus[0]]: 'damaged' } }, opts);
    expect(r).toMatchObject({ status: 'closed', short: [{ sku: w.skus[0], ordered: 24, received: 20, short: 4, reason: 'damaged' }] });
    const view = await purchaseOrderView(conn.db, po.reference);
    expect(Object.fromEntries(view.lines.map((l) => [l.sku, l.shortReason]))).toEqual({ [w.skus[0]]: 'damaged', [w.skus[1]]: null });
    // A closed order is no longer incoming.
    const drill = await alertDrilldown(conn.db, w.skus[0]);
    expect(drill.warehouses.find((x) => x.code === w.warehouse)?.incoming ?? 0).toBe(0);
  });

  it('refuses an unknown reason with the allowed ones', async () => {
    const po = await orderedPo([{ sku: w.skus[1], qty: 5 }]);
    await expect(closePurchaseOrder(conn.db, { reference: po.reference, shortReasons: { [w.skus[1]]: 'lost' as never } }, opts)).rejects.toMatchObject({
      details: { fields: { [`shortReasons.${w.skus[1]}`]: ['must be one of supplier_short, damaged, cancelled'] } },
    });
  });

  it('a close and a receipt that meet end consistently: one wins, the other is told', async () => {
    for (let round = 0; round < 6; round++) {
      const po = await orderedPo([{ sku: w.skus[1], qty: 10 }]);
      await receiveOn(po.reference, w.skus[1], 2);
      const seen = (await purchaseOrderView(conn.db, po.reference)).version;
      const [closed, received] = await Promise.allSettled([
        closePurchaseOrder(conn.db, { reference: po.reference, shortReasons: { [w.skus[1]]: 'supplier_short' }, version: seen }, opts),
        receiveOn(po.reference, w.skus[1], 3),
      ]);
      const view = await purchaseOrderView(conn.db, po.reference);
      const onLedger = await conn.db.execute<{ n: number }>(
        sql`SELECT coalesce(sum(on_hand_delta), 0)::int AS n FROM stock_movements WHERE reference_id = ${po.reference}`,
      );
      expect([closed.status, received.status].sort()).toEqual(['fulfilled', 'rejected']);
      if (closed.status === 'fulfilled') {
        expect(received).toMatchObject({ status: 'rejected', reason: { type: 'invalid_state', message: expect.stringContaining(`${po.reference} is closed`) } });
        expect(view).toMatchObject({ status: 'closed', lines: [{ received: 2, shortReason: 'supplier_short' }] });
      } else {
        expect(closed).toMatchObject({ status: 'rejected', reason: { type: 'conflict', message: expect.stringContaining(`${po.reference} changed since you opened it`) } });
        expect(view).toMatchObject({ status: 'partially_received', lines: [{ received: 5, shortReason: null }] });
      }
      // The line and the ledger agree whichever won.
      expect(onLedger[0].n).toBe(view.lines[0].received);
    }
  });
});

describe('suggested order → drafts', () => {
  it('groups by preferred supplier, rounds to packs, lists products with no supplier, and is idempotent', async () => {
    const v = await makeWorld(conn, { products: 3 });
    const other = await saveSupplier(conn.db, { name: `Harbour ${uid()}`, leadTimeDays: 5, mode: 'create' }, opts);
    await saveProductSupplier(conn.db, { sku: v.skus[0], supplierId, packSize: 12, minOrderQty: 1 }, opts);
    await saveProductSupplier(conn.db, { sku: v.skus[1], supplierId: other.id, packSize: 10, minOrderQty: 30 }, opts);
    // Each at 2 on hand under a threshold of 10 with a reorder quantity of 25: an alert, suggesting 25.
    for (const s of v.skus) {
      await conn.db.update(products).set({ lowStockThreshold: 10, reorderQty: 25 }).where(eq(products.sku, s));
      await receive(conn.db, { sku: s, warehouse: v.warehouse, location: 'A-01', qty: 2 }, opts);
    }
    const key = `drafts-${uid()}`;
    const r = await draftFromSuggestions(conn.db, { warehouse: v.warehouse }, { ...opts, idempotencyKey: key });
    expect(r.drafts.map((d) => [d.supplier, d.created, d.lines.map((l) => [l.sku, l.qty])])).toEqual(
      [
        [other.name, true, [[v.skus[1], 30]]],
        [expect.stringContaining('Nordic'), true, [[v.skus[0], 36]]],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    expect(r.needsSupplier).toEqual([{ sku: v.skus[2], warehouse: v.warehouse, suggested: 25 }]);
    // The same key: the same answer, no second set of drafts.
    const again = await draftFromSuggestions(conn.db, { warehouse: v.warehouse }, { ...opts, idempotencyKey: key });
    expect(again).toEqual(r);
    const drafts = await conn.db.select().from(purchaseOrders).where(eq(purchaseOrders.warehouseId, v.warehouseId));
    expect(drafts).toHaveLength(2);
    // A new key joins the open drafts instead of opening more.
    const third = await draftFromSuggestions(conn.db, { warehouse: v.warehouse, skus: [v.skus[0]] }, { ...opts, idempotencyKey: `${key}-2` });
    expect(third).toMatchObject({ drafts: [{ created: false, lines: [] }], alreadyDrafted: [{ sku: v.skus[0] }] });
    expect(await conn.db.$count(purchaseOrders, eq(purchaseOrders.warehouseId, v.warehouseId))).toBe(2);
  });

  it('refuses SKUs with no suggestion, naming the field', async () => {
    await expect(draftFromSuggestions(conn.db, { warehouse: w.warehouse, skus: [w.skus[3]] }, opts)).rejects.toMatchObject({
      details: { fields: { skus: ['none of these products has a suggested order'] } },
    });
  });
});

describe('suppliers', () => {
  it('the preferred supplier’s lead time drives the forecast; one preferred per product', async () => {
    expect((await alertDrilldown(conn.db, w.skus[0])).product.leadTimeDays).toBe(21);
    const quick = await saveSupplier(conn.db, { name: `Quick ${uid()}`, leadTimeDays: 3, mode: 'create' }, opts);
    await saveProductSupplier(conn.db, { sku: w.skus[0], supplierId: quick.id, preferred: true }, opts);
    expect((await alertDrilldown(conn.db, w.skus[0])).product.leadTimeDays).toBe(3);
    const prefs = await conn.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM product_suppliers WHERE product_id = ${w.productIds[w.skus[0]]} AND preferred`);
    expect(prefs[0].n).toBe(1);
    // Without supplier terms the product's own lead time (7 by default) counts.
    expect((await alertDrilldown(conn.db, w.skus[3])).product.leadTimeDays).toBe(7);
  });

  it('refuses a duplicate name in any letter case and a stale edit, with field messages', async () => {
    const s = await saveSupplier(conn.db, { name: `Kiln ${uid()}`, mode: 'create' }, opts);
    await expect(saveSupplier(conn.db, { name: s.name.toUpperCase(), mode: 'create' }, opts)).rejects.toMatchObject({
      type: 'conflict',
      details: { fields: { name: [`${s.name} already exists`] } },
    });
    await saveSupplier(conn.db, { id: s.id, leadTimeDays: 9, version: s.version, mode: 'update' }, opts);
    await expect(saveSupplier(conn.db, { id: s.id, leadTimeDays: 4, version: s.version, mode: 'update' }, opts)).rejects.toMatchObject({
      type: 'conflict',
      details: { fields: { leadTimeDays: ['changed meanwhile to 9'] } },
    });
    await expect(saveSupplier(conn.db, { name: 'X', email: 'not-an-email', phone: 'call me', leadTimeDays: -1, mode: 'create' }, opts)).rejects.toMatchObject({
      details: { fields: { email: ['email must look like name@example.com'], phone: ['phone may contain digits, spaces and + ( ) - . only'], leadTimeDays: ['lead time cannot be negative'] } },
    });
  });

  it('refuses bad terms field by field, and an upsert by name finds the supplier in any letter case', async () => {
    await expect(saveProductSupplier(conn.db, { sku: w.skus[2], supplierId, packSize: 0, minOrderQty: 1.5, unitCost: 1.234 }, opts)).rejects.toMatchObject({
      type: 'validation_failed',
      details: { fields: { packSize: ['pack size must be at least 1'], minOrderQty: ['minimum order must be a whole number'], unitCost: ['unit cost has at most 2 decimals'] } },
    });
    await expect(saveProductSupplier(conn.db, { sku: w.skus[2], supplierId: 2 ** 31 - 1 }, opts)).rejects.toMatchObject({
      type: 'not_found',
      details: { fields: { supplierId: ['no such supplier'] } },
    });
    const s = await saveSupplier(conn.db, { name: `Upsert ${uid()}`, leadTimeDays: 4 }, opts);
    const again = await saveSupplier(conn.db, { name: s.name.toLowerCase(), leadTimeDays: 6 }, opts);
    expect(again).toMatchObject({ id: s.id, name: s.name.toLowerCase(), leadTimeDays: 6, created: false, changed: true });
  });
});
