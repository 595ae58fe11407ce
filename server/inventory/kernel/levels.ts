// The one place that changes a stock level. Each change is a single conditional statement that updates the
// level and appends its ledger row together: the database decides whether there is enough, never a value
// read earlier by application code (Medusa's oversell, medusajs/medusa#16569).
import '#server-only';
import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { locations, productStock, products, stockLevels, stockMovements, type StockMovement } from '@/db/schema';
import { actorRef } from './actor';
import { bareColumns } from './column-names';
import { commandTime, type CommandContext } from './clock';
import { InventoryError } from './errors';
import { together } from './together';

export type MovementKind = StockMovement['kind'];

export type LevelChange = {
  productId: number;
  locationId: number;
  kind: MovementKind;
  onHandDelta: number;
  reservedDelta: number;
  reasonCode?: string | null;
  referenceType?: string | null;
  referenceId?: string | null;
  note?: string | null;
  // Compare-and-set for counts: the change applies only if on_hand is still what the counter saw.
  expectOnHand?: number;
};

export type LevelAfter = {
  productId: number;
  locationId: number;
  onHand: number;
  reserved: number;
  available: number;
  version: number;
  movementId: number;
};

// The level after the change and its ledger row's id, as the statement in applyChange names them.
type Row = { product_id: number; location_id: number; on_hand: number; reserved: number; version: number; movement_id: string; warehouse_id: number };

const lv = bareColumns(stockLevels);
const ledger = bareColumns(stockMovements);
const levelAfter = sql`RETURNING ${stockLevels.productId} AS product_id, ${stockLevels.locationId} AS location_id,
  ${stockLevels.onHand} AS on_hand, ${stockLevels.reserved} AS reserved, ${stockLevels.version} AS version`;

// LOCK ORDER: a product's product_stock row first, then its levels by location id; products by id. The database keeps
// product_stock (and pick_history) in step with the levels and the ledger by triggers in the changing statement
// (migration 0018); taking the product's row before its levels means those triggers never wait on another command
// while holding a level, and two commands changing different bins of one product queue on that row, not deadlock.
// Products by id, or by SKU when the caller sends this together with the product's own lookup.
export async function lockProductStock(tx: Tx, productIds: number[] | { skus: string[] }): Promise<void> {
  if (!Array.isArray(productIds)) {
    if (!productIds.skus.length) return;
    await tx.execute(sql`SELECT 1 FROM ${productStock} WHERE ${productStock.productId} IN (SELECT ${products.id} FROM ${products} WHERE ${products.sku} IN ${productIds.skus})
      ORDER BY ${productStock.productId} FOR NO KEY UPDATE`);
    return;
  }
  const ids = [...new Set(productIds)].sort((a, b) => a - b);
  if (!ids.length) return;
  await tx.execute(sql`SELECT 1 FROM ${productStock} WHERE ${productStock.productId} IN ${ids}
    ORDER BY ${productStock.productId} FOR NO KEY UPDATE`);
}

// The totals row's lock and the level's change are sent together: PostgreSQL runs them in that order, one round trip.
export async function applyChange(tx: Tx, ctx: CommandContext, c: LevelChange): Promise<LevelAfter> {
  const [, after] = await together(lockProductStock(tx, [c.productId]), changeLevel(tx, ctx, c));
  return after;
}

async function changeLevel(tx: Tx, ctx: CommandContext, c: LevelChange): Promise<LevelAfter> {
  const { productId: p, locationId: l, onHandDelta: dOn, reservedDelta: dRes } = c;
  // A change that can only add stock may create the level; anything that takes stock needs an existing row.
  const canCreate = dOn >= 0 && dRes >= 0 && dRes <= dOn && (c.expectOnHand === undefined || c.expectOnHand === 0);
  const casGuard = c.expectOnHand === undefined ? sql`` : sql` AND ${stockLevels.onHand} = ${c.expectOnHand}`;
  const level = canCreate
    ? sql`INSERT INTO ${stockLevels} (${lv.productId}, ${lv.locationId}, ${lv.onHand}, ${lv.reserved}, ${lv.version}, ${lv.updatedAt})
          VALUES (${p}, ${l}, ${dOn}, ${dRes}, 1, now())
          ON CONFLICT (${lv.productId}, ${lv.locationId}) DO UPDATE
            SET ${lv.onHand} = ${stockLevels.onHand} + EXCLUDED.${lv.onHand},
                ${lv.reserved} = ${stockLevels.reserved} + EXCLUDED.${lv.reserved},
                ${lv.version} = ${stockLevels.version} + 1,
                ${lv.updatedAt} = now()
            WHERE true${casGuard}
          ${levelAfter}`
    : sql`UPDATE ${stockLevels}
          SET ${lv.onHand} = ${lv.onHand} + ${dOn}, ${lv.reserved} = ${lv.reserved} + ${dRes}, ${lv.version} = ${lv.version} + 1, ${lv.updatedAt} = now()
          WHERE ${lv.productId} = ${p} AND ${lv.locationId} = ${l}
            AND ${lv.onHand} + ${dOn} >= 0 AND ${lv.reserved} + ${dRes} >= 0 AND ${lv.reserved} + ${dRes} <= ${lv.onHand} + ${dOn}${casGuard}
          ${levelAfter}`;
  const rows = await tx.execute<Row>(sql`
    WITH lvl AS (${level}),
    mv AS (
      INSERT INTO ${stockMovements} (${ledger.productId}, ${ledger.locationId}, ${ledger.kind}, ${ledger.onHandDelta}, ${ledger.reservedDelta},
        ${ledger.onHandAfter}, ${ledger.reservedAfter}, ${ledger.version}, ${ledger.reasonCode}, ${ledger.referenceType}, ${ledger.referenceId},
        ${ledger.note}, ${ledger.actor}, ${ledger.commandId}, ${ledger.createdAt})
      SELECT product_id, location_id, ${c.kind}, ${dOn}, ${dRes}, on_hand, reserved, version,
        ${c.reasonCode ?? null}, ${c.referenceType ?? null}, ${c.referenceId ?? null}, ${c.note ?? null},
        ${actorRef(ctx.actor)}, ${ctx.commandId}, ${commandTime(ctx)}
      FROM lvl
      RETURNING ${stockMovements.id} AS id
    )
    SELECT lvl.*, (SELECT id FROM mv) AS movement_id,
      (SELECT ${locations.warehouseId} FROM ${locations} WHERE ${locations.id} = lvl.location_id) AS warehouse_id
    FROM lvl`);
  const row = rows[0];
  if (!row) throw await refusal(tx, c);
  // The level's warehouse comes back with the change, so the alert step that follows needs no lookup of its own.
  ctx.touched.push({ productId: p, locationId: l, warehouseId: row.warehouse_id });
  return {
    productId: row.product_id,
    locationId: row.location_id,
    onHand: row.on_hand,
    reserved: row.reserved,
    available: row.on_hand - row.reserved,
    version: row.version,
    movementId: Number(row.movement_id),
  };
}

// Several levels in one command are changed in one fixed order (product id, location id), their products' rows
// locked first, so two commands can never hold each other's rows and wait (Saleor's deadlock, saleor/saleor#17123).
export async function applyChanges(tx: Tx, ctx: CommandContext, changes: LevelChange[]): Promise<LevelAfter[]> {
  const order = changes.map((c, i) => ({ c, i })).sort((a, b) => a.c.productId - b.c.productId || a.c.locationId - b.c.locationId);
  const out: LevelAfter[] = new Array(changes.length);
  if (!order.length) return out;
  const [, first] = await together(lockProductStock(tx, changes.map((c) => c.productId)), changeLevel(tx, ctx, order[0].c));
  out[order[0].i] = first;
  for (const { c, i } of order.slice(1)) out[i] = await changeLevel(tx, ctx, c);
  return out;
}

// Explains a refused change with the figures as they are now (read only to word the error).
async function refusal(tx: Tx, c: LevelChange): Promise<InventoryError> {
  const [found] = await tx
    .select({
      sku: products.sku,
      location: locations.code,
      onHand: sql<number>`coalesce(${stockLevels.onHand}, 0)`,
      reserved: sql<number>`coalesce(${stockLevels.reserved}, 0)`,
    })
    .from(products)
    .crossJoin(locations)
    .leftJoin(stockLevels, and(eq(stockLevels.productId, products.id), eq(stockLevels.locationId, locations.id)))
    .where(and(eq(products.id, c.productId), eq(locations.id, c.locationId)));
  const r = found ?? { sku: String(c.productId), location: String(c.locationId), onHand: 0, reserved: 0 };
  const available = r.onHand - r.reserved;
  if (c.expectOnHand !== undefined && r.onHand !== c.expectOnHand) {
    return new InventoryError(
      'conflict',
      `${r.sku} in ${r.location} changed since it was counted: on hand is now ${r.onHand}, not ${c.expectOnHand}. Confirm or recount.`,
      { sku: r.sku, location: r.location, current: r.onHand, expected: c.expectOnHand },
    );
  }
  if (c.onHandDelta + r.onHand >= 0 && r.reserved + c.reservedDelta < 0) {
    return new InventoryError(
      'invalid_state',
      `${r.sku} in ${r.location} has only ${r.reserved} reserved; cannot release ${-c.reservedDelta}.`,
      { sku: r.sku, location: r.location, reserved: r.reserved },
    );
  }
  const wanted = Math.max(-c.onHandDelta, c.reservedDelta - c.onHandDelta, 0);
  return new InventoryError(
    'insufficient_stock',
    `Only ${Math.max(available, 0)} of ${r.sku} available in ${r.location}; ${wanted} requested.`,
    { sku: r.sku, location: r.location, available: Math.max(available, 0), onHand: r.onHand, reserved: r.reserved, requested: wanted },
  );
}
