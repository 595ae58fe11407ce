// Stock rows (opening stock, count results): SKU, warehouse, bin, quantity. The level becomes that quantity through
// one ledger row with reason `import` carrying the difference, compare-and-set on the figure read (like a count);
// a row that already matches writes nothing, so importing the same file twice moves nothing the second time.
import '#server-only';
import { and, inArray } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { locations, stockLevels, warehouses } from '@/db/schema';
import { productsLike } from '../commands/products';
import type { CommandContext } from '../kernel/clock';
import { applyChangesTogether } from '../kernel/levels';
import { IMPORT_REASON, locationCode, MAX_QTY, sku as skuSchema, warehouseCode } from '../kernel/schemas';
import { checked, given, text, whole, type Reasons } from './cells';
import { refused, type Classified, type PendingRow, type RowKind } from './row-kind';

type StockWrite = { productId: number; locationId: number; from: number; to: number };

export function stockRows(reference: string | null): RowKind {
  const seen = new Map<string, number>();
  return {
    async classify(tx, batch) {
      const read = batch.map((row) => readRow(row, seen));
      const skus = [...new Set(read.flatMap((r) => (r.sku ? [r.sku] : [])))];
      const wanted = new Set(skus);
      const found = (await productsLike(tx, skus)).filter((p) => wanted.has(p.sku));
      const productOf = new Map(found.map((p) => [p.sku, p]));
      const whCodes = [...new Set(read.flatMap((r) => (r.warehouse ? [r.warehouse] : [])))];
      const whs = whCodes.length ? await tx.select().from(warehouses).where(inArray(warehouses.code, whCodes)) : [];
      const whOf = new Map(whs.map((w) => [w.code, w]));
      const bins = whs.length
        ? await tx
            .select()
            .from(locations)
            .where(and(inArray(locations.warehouseId, whs.map((w) => w.id)), inArray(locations.code, read.flatMap((r) => (r.bin ? [r.bin] : [])))))
        : [];
      const binAt = new Map(bins.map((b) => [`${b.warehouseId}:${b.code}`, b]));
      const levels = found.length && bins.length
        ? await tx
            .select()
            .from(stockLevels)
            .where(and(inArray(stockLevels.productId, found.map((p) => p.id)), inArray(stockLevels.locationId, bins.map((b) => b.id))))
        : [];
      const levelAt = new Map(levels.map((l) => [`${l.productId}:${l.locationId}`, l]));
      return read.map(({ line, sku, warehouse, bin, quantity, reasons }): Classified => {
        const key = sku && warehouse && bin ? `${sku} @ ${warehouse} ${bin}` : null;
        const product = sku ? productOf.get(sku) : undefined;
        const wh = warehouse ? whOf.get(warehouse) : undefined;
        const location = wh && bin ? binAt.get(`${wh.id}:${bin}`) : undefined;
        if (sku && !product) reasons.push(`unknown SKU ${sku}`);
        if (warehouse && !wh) reasons.push(`unknown warehouse ${warehouse}`);
        if (wh && bin && !location) reasons.push(`warehouse ${warehouse} has no bin ${bin}`);
        if (reasons.length || !key || !product || !location || !wh || quantity === undefined) return refused(line, key, reasons);
        const level = levelAt.get(`${product.id}:${location.id}`);
        const onHand = level?.onHand ?? 0;
        if (quantity === onHand) return { line, key, outcome: 'unchanged' };
        const refuse: string[] = [];
        if (quantity < (level?.reserved ?? 0)) refuse.push(`${level!.reserved} are reserved there for carts and orders; a quantity of ${quantity} is below that`);
        if (quantity > onHand && !wh.active) refuse.push(`warehouse ${warehouse} is deactivated: it takes no new stock`);
        if (quantity > onHand && !location.active) refuse.push(`bin ${bin} is deactivated: it takes no new stock`);
        if (quantity > onHand && !product.active) refuse.push(`${sku} is archived: restore it before stocking it`);
        if (refuse.length) return refused(line, key, refuse);
        const write: StockWrite = { productId: product.id, locationId: location.id, from: onHand, to: quantity };
        return level
          ? { line, key, outcome: 'changed', changes: [{ field: 'onHand', from: onHand, to: quantity }], write }
          : { line, key, outcome: 'new', values: { onHand: quantity }, write };
      });
    },
    async write(tx: Tx, ctx: CommandContext, rows) {
      const { refused } = await applyChangesTogether(
        tx,
        ctx,
        rows.map((r) => {
          const { productId, locationId, from, to } = r.write as StockWrite;
          return {
            productId,
            locationId,
            kind: 'adjustment',
            onHandDelta: to - from,
            reservedDelta: 0,
            reasonCode: IMPORT_REASON,
            referenceType: reference ? 'import' : null,
            referenceId: reference,
            expectOnHand: from,
          };
        }),
      );
      return refused.map(({ index, error }) => ({ line: rows[index].line, key: rows[index].key, reason: error.message }));
    },
  };
}

function readRow({ line, fields }: PendingRow, seen: Map<string, number>) {
  const reasons: Reasons = [];
  const sku = checked(skuSchema, text(fields.sku, 'SKU', reasons), 'SKU', reasons);
  const warehouse = checked(warehouseCode, text(fields.warehouse, 'warehouse', reasons), 'warehouse', reasons);
  const bin = checked(locationCode, text(fields.bin, 'bin', reasons), 'bin', reasons);
  for (const [k, label] of [['sku', 'SKU'], ['warehouse', 'warehouse'], ['bin', 'bin']] as const) if (given(fields[k]) === undefined) reasons.push(`${label} is empty`);
  let quantity = whole(fields.quantity, 'quantity', reasons);
  if (given(fields.quantity) === undefined) reasons.push('quantity is empty');
  if (quantity !== undefined && quantity < 0) {
    reasons.push(`quantity ${quantity} is negative`);
    quantity = undefined;
  } else if (quantity !== undefined && quantity > MAX_QTY) {
    reasons.push(`quantity is at most ${MAX_QTY.toLocaleString('en')}`);
    quantity = undefined;
  }
  if (sku && warehouse && bin) {
    const k = `${sku}\x1f${warehouse}\x1f${bin}`;
    const first = seen.get(k);
    if (first !== undefined) reasons.push(`duplicate row for ${sku} in ${warehouse} ${bin} (first at line ${first})`);
    else seen.set(k, line);
  }
  return { line, sku, warehouse, bin, quantity, reasons };
}
