// The one place that changes a stock level. Each change is a single conditional statement that updates the
// level and appends its ledger row together: the database decides whether there is enough, never a value
// read earlier by application code (Medusa's oversell, medusajs/medusa#16569).
import '#server-only';
import { and, sql } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { locations, productStock, products, stockLevels, stockMovements, type StockMovement } from '@/db/schema';
import { actorRef } from './actor';
import { bareColumns } from './column-names';
import { commandTime, type CommandContext } from './clock';
import { InventoryError, rethrowRefusal, type InventoryErrorType } from './errors';
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

// One level change: its product's totals row is locked by the change itself.
export function applyChange(tx: Tx, ctx: CommandContext, c: LevelChange): Promise<LevelAfter> {
  return changeLevel(tx, ctx, c);
}

// The change is the database's (onhand_change_level, migration 0024), the rule written once: it locks the product's
// totals row, changes the level under its guards with its ledger row, and raises the refusal with today's figures.
async function changeLevel(tx: Tx, ctx: CommandContext, c: LevelChange): Promise<LevelAfter> {
  const rows = await tx
    .execute<Row>(
      sql`SELECT * FROM onhand_change_level(${c.productId}::int, ${c.locationId}::int, ${c.kind}::movement_kind, ${c.onHandDelta}::int,
        ${c.reservedDelta}::int, ${c.expectOnHand ?? null}::int, ${c.reasonCode ?? null}, ${c.referenceType ?? null}, ${c.referenceId ?? null},
        ${c.note ?? null}, ${actorRef(ctx.actor)}, ${ctx.commandId}::uuid, ${ctx.backdated ? ctx.now.toISOString() : null}::timestamptz)`,
    )
    .catch(rethrowRefusal);
  const row = rows[0];
  // The level's warehouse comes back with the change, so the alert step that follows needs no lookup of its own.
  ctx.touched.push({ productId: c.productId, locationId: c.locationId, warehouseId: row.warehouse_id });
  return {
    productId: c.productId,
    locationId: c.locationId,
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

// Explains a refused change with the figures as they are now (onhand_refusal_of, the wording onhand_change_level uses).
async function refusal(tx: Tx, c: LevelChange): Promise<InventoryError> {
  const [{ r }] = await tx.execute<{ r: { type: InventoryErrorType; message: string; details: Record<string, unknown> } }>(
    sql`SELECT onhand_refusal_of(${c.productId}::int, ${c.locationId}::int, ${c.onHandDelta}::int, ${c.reservedDelta}::int, ${c.expectOnHand ?? null}::int) AS r`,
  );
  return new InventoryError(r.type, r.message, r.details);
}

// Many changes to distinct levels in one statement, under the same conditions as applyChange row by row (the
// guards, the compare-and-set, creating a level only by adding): an opening-stock file of 100,000 rows, where a
// statement per row took minutes. The levels are locked first in the fixed order above. A change whose guard fails
// is refused by its position, the error worded as applyChange words it; the others are applied, so the caller
// rolls its transaction back (as a file import does, whole). Two changes to one level in one batch are applied in
// turn by applyChanges instead (its first refusal throws).
export async function applyChangesTogether(tx: Tx, ctx: CommandContext, changes: LevelChange[]): Promise<{ after: LevelAfter[]; refused: { index: number; error: InventoryError }[] }> {
  if (!changes.length) return { after: [], refused: [] };
  if (new Set(changes.map((c) => `${c.productId}:${c.locationId}`)).size < changes.length) {
    return { after: await applyChanges(tx, ctx, changes), refused: [] };
  }
  const rows = JSON.stringify(
    changes.map((c, ord) => ({
      ord,
      product_id: c.productId,
      location_id: c.locationId,
      kind: c.kind,
      d_on: c.onHandDelta,
      d_res: c.reservedDelta,
      expect: c.expectOnHand ?? null,
      can_create: c.onHandDelta >= 0 && c.reservedDelta >= 0 && c.reservedDelta <= c.onHandDelta && (c.expectOnHand ?? 0) === 0,
      reason_code: c.reasonCode ?? null,
      reference_type: c.referenceType ?? null,
      reference_id: c.referenceId ?? null,
      note: c.note ?? null,
    })),
  );
  const v = sql`jsonb_to_recordset(${rows}::jsonb) AS v(ord integer, product_id integer, location_id integer, kind text, d_on integer, d_res integer,
    expect integer, can_create boolean, reason_code text, reference_type text, reference_id text, note text)`;
  await tx.execute(sql`SELECT 1 FROM ${stockLevels} JOIN ${v} ON v.product_id = ${stockLevels.productId} AND v.location_id = ${stockLevels.locationId}
    ORDER BY ${stockLevels.productId}, ${stockLevels.locationId} FOR UPDATE OF ${stockLevels}`);
  // An existing level is updated under the guards; a missing one is created when the change only adds. Both read
  // the statement's snapshot, so a level is either updated or created, never both.
  const out = await tx.execute<Row & { ord: number }>(sql`
    WITH v AS (SELECT * FROM ${v}),
    upd AS (
      UPDATE ${stockLevels} SET ${lv.onHand} = ${stockLevels.onHand} + v.d_on, ${lv.reserved} = ${stockLevels.reserved} + v.d_res,
        ${lv.version} = ${stockLevels.version} + 1, ${lv.updatedAt} = now()
      FROM v
      WHERE ${stockLevels.productId} = v.product_id AND ${stockLevels.locationId} = v.location_id
        AND ${stockLevels.onHand} + v.d_on >= 0 AND ${stockLevels.reserved} + v.d_res >= 0 AND ${stockLevels.reserved} + v.d_res <= ${stockLevels.onHand} + v.d_on
        AND (v.expect IS NULL OR ${stockLevels.onHand} = v.expect)
      RETURNING v.ord, ${stockLevels.productId} AS product_id, ${stockLevels.locationId} AS location_id, ${stockLevels.onHand} AS on_hand,
        ${stockLevels.reserved} AS reserved, ${stockLevels.version} AS version
    ),
    ins AS (
      INSERT INTO ${stockLevels} (${lv.productId}, ${lv.locationId}, ${lv.onHand}, ${lv.reserved}, ${lv.version}, ${lv.updatedAt})
      SELECT v.product_id, v.location_id, v.d_on, v.d_res, 1, now() FROM v
      WHERE v.can_create AND NOT EXISTS (SELECT 1 FROM ${stockLevels} s WHERE s.product_id = v.product_id AND s.location_id = v.location_id)
      ON CONFLICT DO NOTHING
      RETURNING ${lv.productId} AS product_id, ${lv.locationId} AS location_id, ${lv.onHand} AS on_hand, ${lv.reserved} AS reserved, ${lv.version} AS version
    ),
    lvl AS (
      SELECT * FROM upd
      UNION ALL SELECT v.ord, ins.* FROM ins JOIN v ON v.product_id = ins.product_id AND v.location_id = ins.location_id
    ),
    mv AS (
      INSERT INTO ${stockMovements} (${ledger.productId}, ${ledger.locationId}, ${ledger.kind}, ${ledger.onHandDelta}, ${ledger.reservedDelta},
        ${ledger.onHandAfter}, ${ledger.reservedAfter}, ${ledger.version}, ${ledger.reasonCode}, ${ledger.referenceType}, ${ledger.referenceId},
        ${ledger.note}, ${ledger.actor}, ${ledger.commandId}, ${ledger.createdAt})
      SELECT lvl.product_id, lvl.location_id, v.kind::movement_kind, v.d_on, v.d_res, lvl.on_hand, lvl.reserved, lvl.version,
        v.reason_code, v.reference_type, v.reference_id, v.note, ${actorRef(ctx.actor)}, ${ctx.commandId}, ${commandTime(ctx)}
      FROM lvl JOIN v ON v.ord = lvl.ord
      ORDER BY lvl.ord
      RETURNING ${stockMovements.id} AS id, ${stockMovements.productId} AS product_id, ${stockMovements.locationId} AS location_id
    )
    SELECT lvl.*, mv.id AS movement_id, ${locations.warehouseId} AS warehouse_id
    FROM lvl JOIN mv ON mv.product_id = lvl.product_id AND mv.location_id = lvl.location_id
      JOIN ${locations} ON ${locations.id} = lvl.location_id`);
  const after: LevelAfter[] = new Array(changes.length);
  for (const row of out) {
    ctx.touched.push({ productId: row.product_id, locationId: row.location_id, warehouseId: row.warehouse_id });
    after[row.ord] = {
      productId: row.product_id,
      locationId: row.location_id,
      onHand: row.on_hand,
      reserved: row.reserved,
      available: row.on_hand - row.reserved,
      version: row.version,
      movementId: Number(row.movement_id),
    };
  }
  const refused: { index: number; error: InventoryError }[] = [];
  for (const [index, c] of changes.entries()) if (!after[index]) refused.push({ index, error: await refusal(tx, c) });
  return { after, refused };
}
