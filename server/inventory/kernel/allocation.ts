// ALLOCATION RULE: where reserve, allocateOrder and a short pick's re-allocation hold stock.
//   1. Sellable locations only (availability-rule.ts: flagged sellable and kind pick or storage). Never shipping,
//      receiving or quarantine, whatever their flag says.
//   2. Pick locations first, then the other sellable locations.
//   3. Within each group, the location with the most available (on_hand - reserved) first; ties by location id.
//   4. Take what each location has available, in that order, until the quantity is covered (a hold may split).
// The candidate levels are locked first (SELECT ... ORDER BY product_id, location_id FOR UPDATE, the same order
// applyChanges uses), so the figures the choice is made on cannot move before the changes apply; applyChanges
// still guards each change with its conditional statement.
import '#server-only';
import { and, eq, inArray, or, type SQL } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { locations, stockLevels, warehouses, type Location } from '@/db/schema';
import { isSellable, sellableSql } from './availability-rule';
import { InventoryError } from './errors';
import type { LevelChange, MovementKind } from './levels';

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
export async function lockCandidates(
  tx: Tx,
  productIds: number[],
  opts: { warehouseId?: number; alsoLockLocationIds?: number[] } = {},
): Promise<Candidate[]> {
  if (!productIds.length) return [];
  const sellable: SQL | undefined = and(sellableSql(), opts.warehouseId === undefined ? undefined : eq(locations.warehouseId, opts.warehouseId));
  const extra = opts.alsoLockLocationIds?.length ? inArray(stockLevels.locationId, opts.alsoLockLocationIds) : undefined;
  const rows = await tx
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
    .where(and(inArray(stockLevels.productId, productIds), extra ? or(sellable, extra) : sellable))
    .orderBy(stockLevels.productId, stockLevels.locationId)
    .for('update', { of: stockLevels });
  return rows.map(({ sellable, ...r }) => ({
    ...r,
    available: r.onHand - r.reserved,
    eligible: isSellable({ sellable, kind: r.kind }) && (opts.warehouseId === undefined || r.warehouseId === opts.warehouseId),
  }));
}

// The rule's order, as a comparator: pick first, then most available, then location id.
export function byAllocationRule(a: Candidate, b: Candidate): number {
  const group = (c: Candidate) => (c.kind === 'pick' ? 0 : 1);
  return group(a) - group(b) || b.available - a.available || a.locationId - b.locationId;
}

// Chooses where qty of one product comes from. Fills as far as it can: the caller decides whether short is refused.
export function planAllocation(candidates: Candidate[], productId: number, qty: number, excludeLocationIds: number[] = []): Plan {
  const usable = candidates
    .filter((c) => c.productId === productId && c.eligible && c.available > 0 && !excludeLocationIds.includes(c.locationId))
    .sort(byAllocationRule);
  const picks: Planned[] = [];
  let filled = 0;
  for (const c of usable) {
    if (filled === qty) break;
    const take = Math.min(c.available, qty - filled);
    picks.push({ candidate: c, qty: take });
    filled += take;
  }
  return { picks, filled, available: usable.reduce((s, c) => s + c.available, 0) };
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

export function notEnough(sku: string, requested: number, available: number, where: string): InventoryError {
  return new InventoryError(
    'insufficient_stock',
    `Only ${available} of ${sku} available to hold ${where}; ${requested} requested. Nothing was held.`,
    { sku, requested, available },
  );
}
