// ALLOCATION RULE: where reserve, allocateOrder and a short pick's re-allocation hold stock. It is written once, in
// SQL (onhand_allocation, migration 0023), which every one of them calls; this is what it says:
//   1. Sellable locations only (availability-rule.ts: flagged sellable and kind pick or storage). Never shipping,
//      receiving or quarantine, whatever their flag says.
//   2. Pick locations first, then the other sellable locations.
//   3. Within each group, the location with the most available (on_hand - reserved) first; ties by location id.
//   4. Take what each location has available, in that order, until the quantity is covered (a hold may split).
//   5. Placed for a storefront channel: only the channel's warehouses, and never the channel's last `buffer` units
//      of the product (the Σ available of its candidates less the buffer, never below 0), as its badge shows them.
// The candidate levels are locked first (their products' product_stock rows, then SELECT ... ORDER BY product_id,
// location_id FOR UPDATE: the same order applyChanges uses), so the figures the choice is made on cannot move before
// the changes apply; applyChanges still guards each change with its conditional statement.
import '#server-only';
import { and, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { locations, products, stockLevels, warehouses, type Location } from '@/db/schema';
import { isSellable, sellableSql } from './availability-rule';
import { together } from './together';
import { lockProductStock, type LevelChange, type MovementKind } from './levels';

export type Candidate = {
  productId: number;
  locationId: number;
  warehouseId: number;
  warehouse: string;
  location: string;
  kind: Location['kind'];
  onHand: number;
  reserved: number;
  available: number;
  // False for a row locked only because the command also changes it (a short pick's bin in a non-sellable place).
  eligible: boolean;
};

export type Allocation = { warehouse: string; location: string; qty: number };
export type Planned = { candidate: Candidate; qty: number };
export type Plan = { picks: Planned[]; filled: number; available: number };

// Locks every candidate level of these products (and the extra locations named), in the global lock order.
// Products are named by id, or by SKU when the caller sends this with the product's own lookup (one round trip).
export async function lockCandidates(
  tx: Tx,
  productIds: number[] | { skus: string[] },
  opts: { warehouseIds?: number[] | null; alsoLockLocationIds?: number[] } = {},
): Promise<Candidate[]> {
  if (Array.isArray(productIds) ? !productIds.length : !productIds.skus.length) return [];
  const ids = Array.isArray(productIds) ? productIds : tx.select({ id: products.id }).from(products).where(inArray(products.sku, productIds.skus));
  const only = opts.warehouseIds ?? null;
  const sellable: SQL | undefined = and(sellableSql(), only === null ? undefined : only.length ? inArray(locations.warehouseId, only) : sql`false`);
  const extra = opts.alsoLockLocationIds?.length ? inArray(stockLevels.locationId, opts.alsoLockLocationIds) : undefined;
  // The products' totals rows before their levels: the lock order of levels.ts.
  // Sent together: one round trip, the totals rows locked first.
  const [, rows] = await together(
    lockProductStock(tx, productIds),
    tx
    .select({
      productId: stockLevels.productId,
      locationId: stockLevels.locationId,
      onHand: stockLevels.onHand,
      reserved: stockLevels.reserved,
      warehouseId: locations.warehouseId,
      warehouse: warehouses.code,
      location: locations.code,
      kind: locations.kind,
      sellable: locations.sellable,
    })
    .from(stockLevels)
    .innerJoin(locations, eq(locations.id, stockLevels.locationId))
    .innerJoin(warehouses, eq(warehouses.id, locations.warehouseId))
    .where(and(inArray(stockLevels.productId, ids), extra ? or(sellable, extra) : sellable))
      .orderBy(stockLevels.productId, stockLevels.locationId)
      .for('update', { of: stockLevels }),
  );
  return rows.map(({ sellable, ...r }) => ({
    ...r,
    available: r.onHand - r.reserved,
    eligible: isSellable({ sellable, kind: r.kind }) && (only === null || only.includes(r.warehouseId)),
  }));
}

// Where qty of one product comes from, by the rule (onhand_allocation), from levels the caller has locked (or locks
// in the same round trip, sent before this). Fills as far as it can: the caller decides whether short is refused.
// buffer: units kept back (a channel's); takenOver: units among the available that are already the caller's (cart
// holds an order takes over), which the buffer does not apply to. Name the plan's places with `onCandidates`.
export async function allocationPlan(
  tx: Tx,
  productId: number,
  qty: number,
  opts: { warehouseIds?: number[] | null; exclude?: number[]; buffer?: number; takenOver?: number } = {},
): Promise<{ available: number; locationIds: number[]; takes: number[] }> {
  const whs = opts.warehouseIds ?? null;
  const [row] = await tx.execute<{ available: number; location_ids: number[]; takes: number[] }>(sql`
    SELECT * FROM onhand_allocation(${productId}::int, ${qty}::int, ${whs === null ? null : sql.param(whs)}::int[], ${opts.buffer ?? 0}::int,
      ${opts.takenOver ?? 0}::int, ${sql.param(opts.exclude ?? [])}::int[])`);
  return { available: row.available, locationIds: row.location_ids, takes: row.takes };
}

export function onCandidates(raw: { available: number; locationIds: number[]; takes: number[] }, candidates: Candidate[], productId: number): Plan {
  const picks = raw.locationIds.map((l, n) => ({ candidate: candidates.find((c) => c.productId === productId && c.locationId === l)!, qty: raw.takes[n] }));
  return { picks, filled: raw.takes.reduce((s, q) => s + q, 0), available: raw.available };
}

export function holdChanges(
  picks: Planned[],
  kind: MovementKind,
  ref: { referenceType: string; referenceId: string; reasonCode?: string },
): LevelChange[] {
  return picks.map((p) => ({
    productId: p.candidate.productId,
    locationId: p.candidate.locationId,
    kind,
    onHandDelta: 0,
    reservedDelta: p.qty,
    ...ref,
  }));
}

export const describePicks = (picks: Planned[]): Allocation[] =>
  picks.map((p) => ({ warehouse: p.candidate.warehouse, location: p.candidate.location, qty: p.qty }));
