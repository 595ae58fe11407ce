// Purchase orders through their lifecycle:
//   draft → ordered (with an expected date) → partially_received → received   (receipts move these two, see receive.ts)
//   ordered | partially_received → closed, every short line with a reason (supplier_short, damaged, cancelled)
//   draft | ordered → cancelled, only while nothing has been received
// Every command locks the order's row first (SELECT … FOR UPDATE), as a receipt against it does: a close and a
// receipt that meet queue on that row, and the second sees what the first did (a closed order takes no receipt;
// a receipt bumps the version, so a close prepared before it is refused with the new figures). Each change writes
// its audit row (master_data_changes, entity 'purchase_order', keyed by reference) in the same transaction.
import '#server-only';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '@/db/client';
import { productSuppliers, products, purchaseOrderLines, purchaseOrderNumber, purchaseOrders, suppliers, type PurchaseOrder } from '@/db/schema';
import { PO_STATUS_LABEL, shortReason, type DraftFromSuggestionsResult, type DraftLineResult, type PoChangeResult, type PoStatus, type ShortReason } from '@/lib/contracts/purchasing';
import type { CommandContext } from '../kernel/clock';
import { runCommand, type CommandOptions } from '../kernel/command';
import { InventoryError, invalidInput } from '../kernel/errors';
import { productBySku, warehouseByCode } from '../kernel/lookup';
import { MAX_QTY, sku, warehouseCode } from '../kernel/schemas';
import { reviewBatches } from '../read/alert-review';
import { recordChange } from './purchasing-records';
import { roundToTerms } from './suppliers';

const poReference = z.string({ error: 'purchase order is required' }).trim().min(1, 'purchase order is required').max(200);
const version = z.number({ error: 'version must be a number' }).int().positive().optional();
const lineQty = z.number({ error: 'quantity must be a number' }).int('quantity must be a whole number').min(0, 'quantity cannot be negative').max(MAX_QTY, `quantity is at most ${MAX_QTY.toLocaleString('en')}`);

// Which states allow which change, and how a refusal says so. One table, so the page's buttons and the core agree.
export const PO_ACTIONS = {
  editLines: ['draft'],
  order: ['draft'],
  cancel: ['draft', 'ordered'],
  close: ['ordered', 'partially_received'],
  receive: ['ordered', 'partially_received'], // RECEIVABLE_PO_STATUSES, for the floor screens
} as const satisfies Record<string, readonly PoStatus[]>;
export type PoAction = keyof typeof PO_ACTIONS;
const ONLY: Record<PoAction, string> = {
  editLines: 'only a draft’s lines can be changed',
  order: 'only a draft can be ordered',
  cancel: 'only a draft or an ordered purchase order with nothing received can be cancelled',
  close: 'only an ordered or partially received purchase order can be closed',
  receive: 'only an ordered or partially received purchase order can receive stock',
};

// A receipt's part of the table, for the database's receive (onhand_receive, migration 0025): the states that take
// one, and how a refusal names the state.
export const receiveRule = { allowed: PO_ACTIONS.receive, labels: PO_STATUS_LABEL, only: ONLY.receive };

export const allows = (status: PoStatus, action: PoAction) => (PO_ACTIONS[action] as readonly PoStatus[]).includes(status);

export function refuseUnless(po: Pick<PurchaseOrder, 'reference' | 'status'>, action: PoAction) {
  if (allows(po.status, action)) return;
  throw new InventoryError('invalid_state', `Purchase order ${po.reference} is ${PO_STATUS_LABEL[po.status].toLowerCase()}: ${ONLY[action]}.`, {
    purchaseOrder: po.reference,
    status: po.status,
  });
}

// The order's row, locked: always the first lock a purchase-order command (or a receipt against one) takes.
export async function lockPurchaseOrder(tx: Tx, reference: string): Promise<PurchaseOrder> {
  const [row] = await tx.select().from(purchaseOrders).where(eq(purchaseOrders.reference, reference)).for('update');
  if (!row) throw new InventoryError('not_found', `No purchase order ${reference}.`, { purchaseOrder: reference });
  return row;
}

function refuseStaleOrder(po: PurchaseOrder, seen: number | undefined) {
  if (seen === undefined || seen === po.version) return;
  throw new InventoryError(
    'conflict',
    `Purchase order ${po.reference} changed since you opened it (version ${seen}, now ${po.version}; it is ${PO_STATUS_LABEL[po.status].toLowerCase()}). Review it and try again.`,
    { purchaseOrder: po.reference, status: po.status, version: po.version },
  );
}

const head = (po: PurchaseOrder) => ({ reference: po.reference, status: po.status, supplier: po.supplier, expectedAt: po.expectedAt, version: po.version });

async function bump(tx: Tx, ctx: CommandContext, before: PurchaseOrder, set: Partial<PurchaseOrder>, action: string, extra: object = {}) {
  const [row] = await tx
    .update(purchaseOrders)
    .set({ ...set, version: sql`${purchaseOrders.version} + 1` })
    .where(eq(purchaseOrders.id, before.id))
    .returning();
  await recordChange(tx, ctx, 'purchase_order', row.reference, action, head(before), { ...head(row), ...extra });
  return row;
}

export type { DraftLineResult, PoChangeResult };
const result = (po: PurchaseOrder): PoChangeResult => ({ reference: po.reference, status: po.status, version: po.version });

// ---------------------------------------------------------------- drafts

export const createPurchaseOrderInput = z.object({
  supplierId: z.number({ error: 'choose a supplier' }).int().positive('choose a supplier'),
  warehouse: warehouseCode,
  lines: z.array(z.object({ sku, qty: lineQty.min(1, 'quantity must be at least 1') })).max(500, 'at most 500 lines').default([]),
});
export type CreatePurchaseOrderInput = z.input<typeof createPurchaseOrderInput>;

export function createPurchaseOrder(db: Db, input: CreatePurchaseOrderInput, opts: CommandOptions): Promise<PoChangeResult & { lines: DraftLineResult[] }> {
  return runCommand(db, { name: 'createPurchaseOrder', schema: createPurchaseOrderInput }, input, opts, async (tx, i, ctx) => {
    const [supplier] = await tx.select().from(suppliers).where(eq(suppliers.id, i.supplierId));
    if (!supplier) throw new InventoryError('not_found', `No supplier ${i.supplierId}.`, { fields: { supplierId: ['no such supplier'] } });
    if (!supplier.active) throw new InventoryError('invalid_state', `${supplier.name} is deactivated.`, { fields: { supplierId: ['this supplier is deactivated'] } });
    const wh = await warehouseByCode(tx, i.warehouse);
    const po = await newDraft(tx, ctx, supplier, wh.id);
    const lines: DraftLineResult[] = [];
    for (const l of i.lines) lines.push(await putLine(tx, po, l.sku, l.qty));
    return { ...result(po), lines };
  });
}

async function newDraft(tx: Tx, ctx: CommandContext, supplier: { id: number; name: string }, warehouseId: number) {
  const [{ n }] = await tx.execute<{ n: string }>(sql`SELECT nextval(${purchaseOrderNumber.seqName!}) AS n`);
  const [po] = await tx
    .insert(purchaseOrders)
    .values({ reference: `PO-${n}`, warehouseId, supplier: supplier.name, supplierId: supplier.id, status: 'draft', createdBy: ctx.actor.label, createdAt: ctx.now })
    .returning();
  await recordChange(tx, ctx, 'purchase_order', po.reference, 'create', null, head(po));
  return po;
}

// Sets one line of a draft to the quantity asked, rounded up to the supplier's pack size and minimum; 0 removes it.
async function putLine(tx: Tx, po: PurchaseOrder, skuValue: string, asked: number): Promise<DraftLineResult> {
  const product = await productBySku(tx, skuValue);
  if (!product.active) throw new InventoryError('invalid_state', `${product.sku} is archived: it cannot be ordered.`, { sku: product.sku, fields: { sku: ['this product is archived'] } });
  const match = and(eq(purchaseOrderLines.purchaseOrderId, po.id), eq(purchaseOrderLines.productId, product.id));
  if (asked === 0) {
    await tx.delete(purchaseOrderLines).where(match);
    return { sku: product.sku, asked, qty: 0, note: null };
  }
  const [terms] = po.supplierId
    ? await tx
        .select({ packSize: productSuppliers.packSize, minOrderQty: productSuppliers.minOrderQty })
        .from(productSuppliers)
        .where(and(eq(productSuppliers.productId, product.id), eq(productSuppliers.supplierId, po.supplierId)))
    : [];
  const r = roundToTerms(asked, terms ?? null);
  if (r.qty > MAX_QTY) throw invalidInput({ qty: [`rounded up to ${r.qty}, over the most one line can hold (${MAX_QTY.toLocaleString('en')})`] });
  await tx
    .insert(purchaseOrderLines)
    .values({ purchaseOrderId: po.id, productId: product.id, qtyExpected: r.qty })
    .onConflictDoUpdate({ target: [purchaseOrderLines.purchaseOrderId, purchaseOrderLines.productId], set: { qtyExpected: r.qty } });
  return { sku: product.sku, asked, qty: r.qty, note: r.note };
}

export const setPurchaseOrderLineInput = z.object({ reference: poReference, sku, qty: lineQty, version });

export function setPurchaseOrderLine(db: Db, input: z.input<typeof setPurchaseOrderLineInput>, opts: CommandOptions): Promise<PoChangeResult & { line: DraftLineResult }> {
  return runCommand(db, { name: 'setPurchaseOrderLine', schema: setPurchaseOrderLineInput }, input, opts, async (tx, i, ctx) => {
    const po = await lockPurchaseOrder(tx, i.reference);
    refuseUnless(po, 'editLines');
    refuseStaleOrder(po, i.version);
    const line = await putLine(tx, po, i.sku, i.qty);
    const row = await bump(tx, ctx, po, {}, 'line', { line });
    return { ...result(row), line };
  });
}

// ---------------------------------------------------------------- placing, cancelling, closing

const isoDate = z.iso.date({ error: 'expected date must be a date (YYYY-MM-DD)' });
export const markOrderedInput = z.object({ reference: poReference, expectedAt: isoDate, version });

export function markOrdered(db: Db, input: z.input<typeof markOrderedInput>, opts: CommandOptions): Promise<PoChangeResult> {
  return runCommand(db, { name: 'markPurchaseOrderOrdered', schema: markOrderedInput }, input, opts, async (tx, i, ctx) => {
    const po = await lockPurchaseOrder(tx, i.reference);
    refuseUnless(po, 'order');
    refuseStaleOrder(po, i.version);
    if (i.expectedAt < ctx.now.toISOString().slice(0, 10)) throw invalidInput({ expectedAt: ['the expected date cannot be in the past'] });
    const lines = await tx.$count(purchaseOrderLines, eq(purchaseOrderLines.purchaseOrderId, po.id));
    if (!lines) throw new InventoryError('invalid_state', `Purchase order ${po.reference} has no lines: add what to order first.`, { purchaseOrder: po.reference, fields: { _: ['add at least one line'] } });
    return result(await bump(tx, ctx, po, { status: 'ordered', expectedAt: i.expectedAt, orderedAt: ctx.now }, 'order'));
  });
}

export const cancelPurchaseOrderInput = z.object({ reference: poReference, version });

export function cancelPurchaseOrder(db: Db, input: z.input<typeof cancelPurchaseOrderInput>, opts: CommandOptions): Promise<PoChangeResult> {
  return runCommand(db, { name: 'cancelPurchaseOrder', schema: cancelPurchaseOrderInput }, input, opts, async (tx, i, ctx) => {
    const po = await lockPurchaseOrder(tx, i.reference);
    refuseUnless(po, 'cancel');
    refuseStaleOrder(po, i.version);
    const [got] = await tx
      .select({ n: sql<number>`coalesce(sum(${purchaseOrderLines.qtyReceived}), 0)::int` })
      .from(purchaseOrderLines)
      .where(eq(purchaseOrderLines.purchaseOrderId, po.id));
    if (got.n > 0) {
      throw new InventoryError('invalid_state', `Purchase order ${po.reference} has received ${got.n} units: close it with short lines instead of cancelling.`, { purchaseOrder: po.reference, received: got.n });
    }
    return result(await bump(tx, ctx, po, { status: 'cancelled', closedAt: ctx.now }, 'cancel'));
  });
}

export const closePurchaseOrderInput = z.object({
  reference: poReference,
  // A reason for every line received short, by SKU.
  shortReasons: z.record(sku, shortReason).default({}),
  version,
});
export type ClosePurchaseOrderInput = z.input<typeof closePurchaseOrderInput>;
export type ClosedLine = { sku: string; ordered: number; received: number; short: number; reason: ShortReason };

export function closePurchaseOrder(db: Db, input: ClosePurchaseOrderInput, opts: CommandOptions): Promise<PoChangeResult & { short: ClosedLine[] }> {
  return runCommand(db, { name: 'closePurchaseOrder', schema: closePurchaseOrderInput }, input, opts, async (tx, i, ctx) => {
    const po = await lockPurchaseOrder(tx, i.reference);
    if (po.status === 'received') {
      throw new InventoryError('invalid_state', `Purchase order ${po.reference} was received in full: there is nothing short to close.`, { purchaseOrder: po.reference, status: po.status });
    }
    refuseUnless(po, 'close');
    refuseStaleOrder(po, i.version);
    const lines = await tx
      .select({ id: purchaseOrderLines.id, sku: products.sku, ordered: purchaseOrderLines.qtyExpected, received: purchaseOrderLines.qtyReceived })
      .from(purchaseOrderLines)
      .innerJoin(products, eq(products.id, purchaseOrderLines.productId))
      .where(eq(purchaseOrderLines.purchaseOrderId, po.id))
      .orderBy(asc(products.sku));
    const shortLines = lines.filter((l) => l.received < l.ordered);
    const missing = shortLines.filter((l) => !i.shortReasons[l.sku]);
    if (missing.length) {
      throw invalidInput(
        Object.fromEntries(missing.map((l) => [`shortReasons.${l.sku}`, [`${l.sku} is ${l.ordered - l.received} short: give a reason`]])),
        `Give a reason for every short line: ${missing.map((l) => `${l.sku} (${l.ordered - l.received} short)`).join(', ')}.`,
      );
    }
    const short: ClosedLine[] = [];
    for (const l of shortLines) {
      const reason = i.shortReasons[l.sku]!;
      await tx.update(purchaseOrderLines).set({ shortReason: reason }).where(eq(purchaseOrderLines.id, l.id));
      short.push({ sku: l.sku, ordered: l.ordered, received: l.received, short: l.ordered - l.received, reason });
    }
    return { ...result(await bump(tx, ctx, po, { status: 'closed', closedAt: ctx.now }, 'close', { short })), short };
  });
}

// ---------------------------------------------------------------- the alert review's suggestion, as drafts

export const draftFromSuggestionsInput = z.object({
  // The SKUs to order; absent means every row of the review with a suggested quantity.
  skus: z.array(sku).min(1, 'choose at least one product').max(1000, 'at most 1,000 products at once').optional(),
  warehouse: warehouseCode.optional(),
  // The forecast's window and cover target, as the review on screen uses them (its defaults otherwise).
  windowDays: z.number().int().min(1).max(365).optional(),
  targetDays: z.number().int().min(0).max(365).optional(),
});
export type DraftFromSuggestionsInput = z.input<typeof draftFromSuggestionsInput>;
export type { DraftFromSuggestionsResult };

// One draft per preferred supplier and warehouse; a draft already open for that pair gets the new lines instead
// of a second draft. Quantities are the review's suggestion, rounded up to the supplier's pack size and minimum.
export function draftFromSuggestions(db: Db, input: DraftFromSuggestionsInput, opts: CommandOptions): Promise<DraftFromSuggestionsResult> {
  return runCommand(db, { name: 'draftPurchaseOrdersFromSuggestions', schema: draftFromSuggestionsInput }, input, opts, async (tx, i, ctx) => {
    // Two managers pressing at once would otherwise both open a draft for the same supplier.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('onhand:po-drafts'))`);
    // Every suggestion under the filter, not one page of the review.
    const reviewed = [];
    for await (const batch of reviewBatches(tx, { warehouse: i.warehouse, windowDays: i.windowDays, targetDays: i.targetDays, asOf: ctx.now })) reviewed.push(...batch);
    const wanted = i.skus ? new Set(i.skus) : null;
    const rows = reviewed.filter((r) => r.forecast.suggestedQty > 0 && (!wanted || wanted.has(r.sku)));
    if (wanted && !rows.length) throw invalidInput({ skus: ['none of these products has a suggested order'] });
    const preferred = rows.length
      ? await tx
          .select({ productId: productSuppliers.productId, supplierId: suppliers.id, supplier: suppliers.name, active: suppliers.active })
          .from(productSuppliers)
          .innerJoin(suppliers, eq(suppliers.id, productSuppliers.supplierId))
          .where(and(inArray(productSuppliers.productId, [...new Set(rows.map((r) => r.productId))]), eq(productSuppliers.preferred, true)))
      : [];
    const byProduct = new Map(preferred.filter((p) => p.active).map((p) => [p.productId, p]));
    const out: DraftFromSuggestionsResult = { drafts: [], needsSupplier: [], alreadyDrafted: [] };
    const groups = new Map<string, { supplierId: number; supplier: string; warehouse: string; rows: typeof rows }>();
    for (const r of rows) {
      const s = byProduct.get(r.productId);
      if (!s) {
        out.needsSupplier.push({ sku: r.sku, warehouse: r.warehouse, suggested: r.forecast.suggestedQty });
        continue;
      }
      const key = `${s.supplierId}:${r.warehouse}`;
      if (!groups.has(key)) groups.set(key, { supplierId: s.supplierId, supplier: s.supplier, warehouse: r.warehouse, rows: [] });
      groups.get(key)!.rows.push(r);
    }
    for (const g of [...groups.values()].sort((a, b) => a.supplier.localeCompare(b.supplier) || a.warehouse.localeCompare(b.warehouse))) {
      const wh = await warehouseByCode(tx, g.warehouse);
      const [open] = await tx
        .select()
        .from(purchaseOrders)
        .where(and(eq(purchaseOrders.supplierId, g.supplierId), eq(purchaseOrders.warehouseId, wh.id), eq(purchaseOrders.status, 'draft')))
        .orderBy(asc(purchaseOrders.createdAt))
        .limit(1)
        .for('update');
      const po = open ?? (await newDraft(tx, ctx, { id: g.supplierId, name: g.supplier }, wh.id));
      const onDraft = new Set(
        (await tx.select({ productId: purchaseOrderLines.productId }).from(purchaseOrderLines).where(eq(purchaseOrderLines.purchaseOrderId, po.id))).map((l) => l.productId),
      );
      const lines: DraftLineResult[] = [];
      for (const r of g.rows.sort((a, b) => a.sku.localeCompare(b.sku))) {
        if (onDraft.has(r.productId)) out.alreadyDrafted.push({ sku: r.sku, reference: po.reference });
        else lines.push(await putLine(tx, po, r.sku, r.forecast.suggestedQty));
      }
      if (lines.length && open) await bump(tx, ctx, po, {}, 'lines', { lines });
      out.drafts.push({ reference: po.reference, supplier: g.supplier, warehouse: g.warehouse, created: !open, lines });
    }
    return out;
  });
}

