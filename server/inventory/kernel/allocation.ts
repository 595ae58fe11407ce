// ALLOCATION RULE: where reserve, allocateOrder and a short pick's re-allocation hold stock.
//   1. Sellable locations only (availability-rule.ts: flagged sellable and kind pick or storage). Never shipping,
//      receiving or quarantine, whatever their flag says.
//   2. Pick locations first, then the other sellable locations.
//   3. Within each group, the location with the most available (on_hand - reserved) first; ties by location id.
//   4. Take what each location has available, in that order, until the quantity is covered (a hold may split).
//   5. Placed for a storefront channel: only the channel's warehouses, and never the channel's last `buffer` units
//      of the product (afterBuffer over the Σ available of its locked candidates), as its badge shows them.
// The candidate levels are locked first (their products' product_stock rows, then SELECT ... ORDER BY product_id,
// location_id FOR UPDATE: the same order applyChanges uses), so the figures the choice is made on cannot move before
// the changes apply; applyChanges still guards each change with its conditional statement.
import '#server-only';
import { and, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { channels, channelWarehouses, locations, products, stockLevels, warehouses, type Location } from '@/db/schema';
import { afterBuffer, isSellable, sellableSql } from './availability-rule';
import { InventoryError } from './errors';
import { together } from './together';
import { lockProductStock, type LevelChange, type MovementKind } from './levels';
import { warehouseByCode } from './lookup';

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

// Where a hold or an order may take stock: a warehouse the caller names, a storefront channel's warehouses (and
// its buffer), or everywhere. `where` finishes the refusal's sentence ("Only 3 of X available to hold …").
export type WriteScope = {
  // null: every warehouse.
  warehouseIds: number[] | null;
  warehouseCodes: string[] | null;
  buffer: number;
  channel: string | null;
  where: string;
};

// `channel` names a storefront channel (channels.key). A reservation's channel must be one (requireChannel); an
// order's channel also namespaces its reference, so one that names no storefront channel leaves stock unscoped.
// The channel row is read FOR SHARE: an admin's change to its warehouses or buffer waits for this command.
export async function writeScope(tx: Tx, o: { warehouse?: string; channel?: string; requireChannel?: boolean }): Promise<WriteScope> {
  const warehouse = o.warehouse ? await warehouseByCode(tx, o.warehouse) : undefined;
  const [channel] = o.channel ? await tx.select().from(channels).where(eq(channels.key, o.channel)).for('share') : [];
  if (o.channel && !channel && o.requireChannel) {
    throw new InventoryError('not_found', `No storefront channel ${JSON.stringify(o.channel)}.`, { channel: o.channel, fields: { channel: ['no such channel'] } });
  }
  const links = channel
    ? await tx
        .select({ id: warehouses.id, code: warehouses.code })
        .from(channelWarehouses)
        .innerJoin(warehouses, eq(warehouses.id, channelWarehouses.warehouseId))
        .where(eq(channelWarehouses.channelId, channel.id))
        .orderBy(warehouses.id)
    : [];
  if (warehouse && links.length && !links.some((l) => l.id === warehouse.id)) {
    throw new InventoryError('validation_failed', `Warehouse ${warehouse.code} is not one of channel ${channel!.key}'s warehouses (${links.map((l) => l.code).join(', ')}).`, {
      fields: { warehouse: [`not a warehouse of channel ${channel!.key}`] },
    });
  }
  const only = warehouse ? [warehouse] : links.length ? links : null;
  const where = [warehouse ? `in warehouse ${warehouse.code}` : 'in sellable locations', channel ? `for channel ${channel.key}` : ''].filter(Boolean).join(' ');
  return {
    warehouseIds: only && only.map((w) => w.id),
    warehouseCodes: only && only.map((w) => w.code),
    buffer: channel?.buffer ?? 0,
    channel: channel?.key ?? null,
    where,
  };
}

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

// The rule's order, as a comparator: pick first, then most available, then location id.
export function byAllocationRule(a: Candidate, b: Candidate): number {
  const group = (c: Candidate) => (c.kind === 'pick' ? 0 : 1);
  return group(a) - group(b) || b.available - a.available || a.locationId - b.locationId;
}

// Chooses where qty of one product comes from. Fills as far as it can: the caller decides whether short is refused.
// buffer: units kept back (a channel's); takenOver: units among the candidates' available that are already the
// caller's (cart holds an order takes over), which the buffer does not apply to.
export function planAllocation(
  candidates: Candidate[],
  productId: number,
  qty: number,
  opts: { exclude?: number[]; buffer?: number; takenOver?: number } = {},
): Plan {
  const usable = candidates
    .filter((c) => c.productId === productId && c.eligible && c.available > 0 && !opts.exclude?.includes(c.locationId))
    .sort(byAllocationRule);
  const total = usable.reduce((s, c) => s + c.available, 0);
  const takenOver = Math.min(opts.takenOver ?? 0, total);
  const available = afterBuffer(total - takenOver, opts.buffer ?? 0) + takenOver;
  const want = Math.min(qty, available);
  const picks: Planned[] = [];
  let filled = 0;
  for (const c of usable) {
    if (filled === want) break;
    const take = Math.min(c.available, want - filled);
    picks.push({ candidate: c, qty: take });
    filled += take;
  }
  return { picks, filled, available };
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
