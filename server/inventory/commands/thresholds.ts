// Low-stock thresholds and reorder quantities: product defaults, and per-warehouse overrides that win over them.
// Settings, not stock changes, but a new threshold can open or resolve an alert at once, so each edit re-judges the
// product's alerts in its own transaction (runCommand: one transaction, retried on deadlock).
import '#server-only';
import { and, eq, inArray, ne } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '@/db/client';
import { alerts, locations, productWarehouseSettings, products, stockLevels } from '@/db/schema';
import { evaluateAlerts, type AlertPair } from '../kernel/alerts';
import type { CommandContext } from '../kernel/clock';
import { runCommand, type CommandOptions } from '../kernel/command';
import { InventoryError } from '../kernel/errors';
import { productBySku, warehouseByCode } from '../kernel/lookup';
import { sku, warehouseCode } from '../kernel/schemas';

const MAX_SETTING = 1_000_000;

// A blank form field means "not given" (coerce would read it as 0).
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const wholeNumber = (what: string) =>
  z.coerce
    .number({ error: `${what} must be a number` })
    .int(`${what} must be a whole number`)
    .min(0, `${what} cannot be negative`)
    .max(MAX_SETTING, `${what} is too large`);
// A whole number from a form field or JSON; a blank one is missing, never 0.
const count = (what: string) => z.preprocess(blankToUndefined, wholeNumber(what));
const optionalCount = (what: string) => z.preprocess(blankToUndefined, wholeNumber(what).optional());

export const setThresholdInput = z.object({
  sku,
  threshold: count('threshold'),
  reorderQty: optionalCount('reorder quantity'),
  leadTimeDays: z.preprocess(blankToUndefined, wholeNumber('lead time').max(365, 'lead time is at most 365 days').optional()),
});
export type SetThresholdInput = z.input<typeof setThresholdInput>;

// Sets the product's default threshold (and reorder quantity, lead time) for every warehouse without an override.
export function setThreshold(db: Db, input: SetThresholdInput, opts: CommandOptions) {
  return runCommand(db, { name: 'setThreshold', schema: setThresholdInput }, input, opts, async (tx, i, ctx) => {
    const [row] = await tx
      .update(products)
      .set({
        lowStockThreshold: i.threshold,
        ...(i.reorderQty === undefined ? {} : { reorderQty: i.reorderQty }),
        ...(i.leadTimeDays === undefined ? {} : { leadTimeDays: i.leadTimeDays }),
      })
      .where(eq(products.sku, i.sku))
      .returning({ id: products.id, sku: products.sku, threshold: products.lowStockThreshold, reorderQty: products.reorderQty, leadTimeDays: products.leadTimeDays });
    if (!row) throw new InventoryError('not_found', `No product matches SKU ${JSON.stringify(i.sku)}.`, { sku: i.sku, fields: { sku: ['no such product'] } });
    await rejudge(tx, [row.id], ctx);
    return { sku: row.sku, threshold: row.threshold, reorderQty: row.reorderQty, leadTimeDays: row.leadTimeDays };
  });
}

export const setWarehouseThresholdInput = z.object({
  sku,
  warehouse: warehouseCode,
  // Blank clears the override: the product's default applies again.
  threshold: optionalCount('threshold'),
  reorderQty: optionalCount('reorder quantity'),
});
export type SetWarehouseThresholdInput = z.input<typeof setWarehouseThresholdInput>;

export function setWarehouseThreshold(db: Db, input: SetWarehouseThresholdInput, opts: CommandOptions) {
  return runCommand(db, { name: 'setWarehouseThreshold', schema: setWarehouseThresholdInput }, input, opts, async (tx, i, ctx) => {
    const product = await productBySku(tx, i.sku);
    const warehouse = await warehouseByCode(tx, i.warehouse);
    const values = { lowStockThreshold: i.threshold ?? null, reorderQty: i.reorderQty ?? null };
    await writeOverride(tx, product.id, warehouse.id, values);
    await rejudge(tx, [product.id], ctx);
    return {
      sku: product.sku,
      warehouse: warehouse.code,
      threshold: values.lowStockThreshold ?? product.lowStockThreshold,
      reorderQty: values.reorderQty ?? product.reorderQty,
      overridden: values.lowStockThreshold !== null || values.reorderQty !== null,
    };
  });
}

export const bulkThresholdsInput = z.object({
  // No warehouse: the products' defaults. A warehouse: overrides there.
  warehouse: warehouseCode.optional(),
  items: z
    .array(z.object({ sku, threshold: count('threshold'), reorderQty: count('reorder quantity').optional() }))
    .min(1, 'give at least one product')
    .max(1000, 'at most 1,000 products at once'),
});
export type BulkThresholdsInput = z.input<typeof bulkThresholdsInput>;

// All or nothing: an unknown SKU refuses the whole edit, naming every one.
export function bulkSetThresholds(db: Db, input: BulkThresholdsInput, opts: CommandOptions) {
  return runCommand(db, { name: 'bulkSetThresholds', schema: bulkThresholdsInput }, input, opts, async (tx, i, ctx) => {
    const bySku = new Map(i.items.map((it) => [it.sku, it]));
    const found = await tx.select().from(products).where(inArray(products.sku, [...bySku.keys()])).orderBy(products.id);
    const missing = [...bySku.keys()].filter((s) => !found.some((p) => p.sku === s));
    if (missing.length) {
      throw new InventoryError('not_found', `No product matches ${missing.map((s) => JSON.stringify(s)).join(', ')}. Nothing was changed.`, { skus: missing });
    }
    const warehouse = i.warehouse ? await warehouseByCode(tx, i.warehouse) : null;
    // Rows in product id order, like every other multi-row write.
    for (const p of found) {
      const it = bySku.get(p.sku)!;
      if (warehouse) {
        await writeOverride(tx, p.id, warehouse.id, { lowStockThreshold: it.threshold, reorderQty: it.reorderQty ?? null });
      } else {
        await tx
          .update(products)
          .set({ lowStockThreshold: it.threshold, ...(it.reorderQty === undefined ? {} : { reorderQty: it.reorderQty }) })
          .where(eq(products.id, p.id));
      }
    }
    await rejudge(tx, found.map((p) => p.id), ctx);
    return { updated: found.length, warehouse: warehouse?.code ?? null };
  });
}

async function writeOverride(tx: Tx, productId: number, warehouseId: number, v: { lowStockThreshold: number | null; reorderQty: number | null }) {
  if (v.lowStockThreshold === null && v.reorderQty === null) {
    await tx
      .delete(productWarehouseSettings)
      .where(and(eq(productWarehouseSettings.productId, productId), eq(productWarehouseSettings.warehouseId, warehouseId)));
    return;
  }
  await tx
    .insert(productWarehouseSettings)
    .values({ productId, warehouseId, ...v })
    .onConflictDoUpdate({ target: [productWarehouseSettings.productId, productWarehouseSettings.warehouseId], set: v });
}

// Every warehouse the products have levels in (or an open alert in) is judged again against its new threshold.
export async function rejudge(tx: Tx, productIds: number[], ctx: CommandContext) {
  const pairs: AlertPair[] = await tx
    .selectDistinct({ productId: stockLevels.productId, warehouseId: locations.warehouseId })
    .from(stockLevels)
    .innerJoin(locations, eq(locations.id, stockLevels.locationId))
    .where(inArray(stockLevels.productId, productIds))
    .union(
      tx
        .select({ productId: alerts.productId, warehouseId: alerts.warehouseId })
        .from(alerts)
        .where(and(inArray(alerts.productId, productIds), ne(alerts.status, 'resolved'))),
    );
  await evaluateAlerts(tx, pairs, ctx);
}
