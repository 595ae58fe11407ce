// The rows of the CSV exports, read in batches by key (never one query holding the whole table): products, the
// ledger over a time range, and stock per bin as of an instant, summed from the ledger (invariant 2 makes the sum
// up to now equal to the current levels, so any earlier instant is read the same way).
import '#server-only';
import { and, asc, eq, gt, gte, lt, lte, sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { locations, products, stockMovements, warehouses } from '@/db/schema';
import type { Cell } from '@/lib/csv';

const BATCH = 1000;

export const productExportHeader = ['sku', 'name', 'barcodes', 'unit', 'lowStockThreshold', 'leadTimeDays', 'active'];

// The same columns an import of products reads, so an export edited in a spreadsheet imports back as it is.
export async function* productExportRows(db: Executor): AsyncGenerator<Cell[]> {
  let after: string | null = null;
  for (;;) {
    const rows = await db
      .select()
      .from(products)
      .where(after === null ? undefined : gt(products.sku, after))
      .orderBy(asc(products.sku))
      .limit(BATCH);
    for (const p of rows) yield [p.sku, p.name, p.barcodes.join('|'), p.unit, p.lowStockThreshold, p.leadTimeDays, p.active];
    if (rows.length < BATCH) return;
    after = rows[rows.length - 1].sku;
  }
}

export const ledgerExportHeader = ['id', 'at', 'sku', 'warehouse', 'bin', 'kind', 'on_hand_delta', 'reserved_delta', 'on_hand_after', 'reserved_after', 'reason', 'reference_type', 'reference', 'actor', 'note'];

// Movements with from <= created_at < to, in ledger order.
export async function* ledgerExportRows(db: Executor, range: { from: Date; to: Date; warehouse?: string }): AsyncGenerator<Cell[]> {
  let after = 0;
  for (;;) {
    const rows = await db
      .select({ m: stockMovements, sku: products.sku, warehouse: warehouses.code, bin: locations.code })
      .from(stockMovements)
      .innerJoin(products, eq(products.id, stockMovements.productId))
      .innerJoin(locations, eq(locations.id, stockMovements.locationId))
      .innerJoin(warehouses, eq(warehouses.id, locations.warehouseId))
      .where(
        and(
          gt(stockMovements.id, after),
          gte(stockMovements.createdAt, range.from),
          lt(stockMovements.createdAt, range.to),
          range.warehouse ? eq(warehouses.code, range.warehouse) : undefined,
        ),
      )
      .orderBy(asc(stockMovements.id))
      .limit(BATCH);
    for (const { m, sku, warehouse, bin } of rows) {
      yield [m.id, m.createdAt.toISOString(), sku, warehouse, bin, m.kind, m.onHandDelta, m.reservedDelta, m.onHandAfter, m.reservedAfter, m.reasonCode, m.referenceType, m.referenceId, m.actor, m.note];
    }
    if (rows.length < BATCH) return;
    after = rows[rows.length - 1].m.id;
  }
}

export const stockAsOfHeader = ['sku', 'name', 'warehouse', 'bin', 'on_hand', 'reserved', 'available'];

// Stock per bin as it stood at `asOf`: the ledger's movements up to that instant, summed per product and bin.
export async function* stockAsOfRows(db: Executor, q: { asOf: Date; warehouse?: string }): AsyncGenerator<Cell[]> {
  let after: { p: number; l: number } | null = null;
  for (;;) {
    const onHand = sql<number>`sum(${stockMovements.onHandDelta})::int`;
    const reserved = sql<number>`sum(${stockMovements.reservedDelta})::int`;
    const rows = await db
      .select({ p: stockMovements.productId, l: stockMovements.locationId, sku: products.sku, name: products.name, warehouse: warehouses.code, bin: locations.code, onHand, reserved })
      .from(stockMovements)
      .innerJoin(products, eq(products.id, stockMovements.productId))
      .innerJoin(locations, eq(locations.id, stockMovements.locationId))
      .innerJoin(warehouses, eq(warehouses.id, locations.warehouseId))
      .where(
        and(
          lte(stockMovements.createdAt, q.asOf),
          after === null ? undefined : sql`(${stockMovements.productId}, ${stockMovements.locationId}) > (${after.p}, ${after.l})`,
          q.warehouse ? eq(warehouses.code, q.warehouse) : undefined,
        ),
      )
      .groupBy(stockMovements.productId, stockMovements.locationId, products.sku, products.name, warehouses.code, locations.code)
      .having(sql`${onHand} <> 0 OR ${reserved} <> 0`)
      .orderBy(asc(stockMovements.productId), asc(stockMovements.locationId))
      .limit(BATCH);
    for (const r of rows) yield [r.sku, r.name, r.warehouse, r.bin, r.onHand, r.reserved, r.onHand - r.reserved];
    if (rows.length < BATCH) return;
    after = { p: rows[rows.length - 1].p, l: rows[rows.length - 1].l };
  }
}
