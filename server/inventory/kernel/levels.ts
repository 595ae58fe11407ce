// The one place that changes a stock level. Each change is a single conditional statement that updates the
// level and appends its ledger row together: the database decides whether there is enough, never a value
// read earlier by application code (Medusa's oversell, medusajs/medusa#16569).
import { sql } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import type { StockMovement } from '@/db/schema';
import { actorRef } from './actor';
import { commandTime, type CommandContext } from './clock';
import { InventoryError } from './errors';

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

type Row = { product_id: number; location_id: number; on_hand: number; reserved: number; version: number; movement_id: string; warehouse_id: number };

export async function applyChange(tx: Tx, ctx: CommandContext, c: LevelChange): Promise<LevelAfter> {
  const { productId: p, locationId: l, onHandDelta: dOn, reservedDelta: dRes } = c;
  // A change that can only add stock may create the level; anything that takes stock needs an existing row.
  const canCreate = dOn >= 0 && dRes >= 0 && dRes <= dOn && (c.expectOnHand === undefined || c.expectOnHand === 0);
  const casGuard = c.expectOnHand === undefined ? sql`` : sql` AND stock_levels.on_hand = ${c.expectOnHand}`;
  const level = canCreate
    ? sql`INSERT INTO stock_levels AS stock_levels (product_id, location_id, on_hand, reserved, version, updated_at)
          VALUES (${p}, ${l}, ${dOn}, ${dRes}, 1, now())
          ON CONFLICT (product_id, location_id) DO UPDATE
            SET on_hand = stock_levels.on_hand + EXCLUDED.on_hand,
                reserved = stock_levels.reserved + EXCLUDED.reserved,
                version = stock_levels.version + 1,
                updated_at = now()
            WHERE true${casGuard}
          RETURNING product_id, location_id, on_hand, reserved, version`
    : sql`UPDATE stock_levels
          SET on_hand = on_hand + ${dOn}, reserved = reserved + ${dRes}, version = version + 1, updated_at = now()
          WHERE product_id = ${p} AND location_id = ${l}
            AND on_hand + ${dOn} >= 0 AND reserved + ${dRes} >= 0 AND reserved + ${dRes} <= on_hand + ${dOn}${casGuard}
          RETURNING product_id, location_id, on_hand, reserved, version`;
  const rows = (await tx.execute(sql`
    WITH lvl AS (${level}),
    mv AS (
      INSERT INTO stock_movements (product_id, location_id, kind, on_hand_delta, reserved_delta, on_hand_after,
        reserved_after, version, reason_code, reference_type, reference_id, note, actor, command_id, created_at)
      SELECT product_id, location_id, ${c.kind}, ${dOn}, ${dRes}, on_hand, reserved, version,
        ${c.reasonCode ?? null}, ${c.referenceType ?? null}, ${c.referenceId ?? null}, ${c.note ?? null},
        ${actorRef(ctx.actor)}, ${ctx.commandId}, ${commandTime(ctx)}
      FROM lvl
      RETURNING id
    )
    SELECT lvl.*, (SELECT id FROM mv) AS movement_id,
      (SELECT warehouse_id FROM locations WHERE locations.id = lvl.location_id) AS warehouse_id
    FROM lvl`)) as unknown as Row[];
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

// Several levels in one command are changed in one fixed order (product id, location id), so two commands
// can never hold each other's rows and wait (Saleor's deadlock, saleor/saleor#17123).
export async function applyChanges(tx: Tx, ctx: CommandContext, changes: LevelChange[]): Promise<LevelAfter[]> {
  const order = changes.map((c, i) => ({ c, i })).sort((a, b) => a.c.productId - b.c.productId || a.c.locationId - b.c.locationId);
  const out: LevelAfter[] = new Array(changes.length);
  for (const { c, i } of order) out[i] = await applyChange(tx, ctx, c);
  return out;
}

// Explains a refused change with the figures as they are now (read only to word the error).
async function refusal(tx: Tx, c: LevelChange): Promise<InventoryError> {
  const rows = (await tx.execute(sql`
    SELECT p.sku, loc.code AS location, coalesce(s.on_hand, 0) AS on_hand, coalesce(s.reserved, 0) AS reserved
    FROM products p CROSS JOIN locations loc
    LEFT JOIN stock_levels s ON s.product_id = p.id AND s.location_id = loc.id
    WHERE p.id = ${c.productId} AND loc.id = ${c.locationId}`)) as unknown as {
    sku: string;
    location: string;
    on_hand: number;
    reserved: number;
  }[];
  const r = rows[0] ?? { sku: String(c.productId), location: String(c.locationId), on_hand: 0, reserved: 0 };
  const available = r.on_hand - r.reserved;
  if (c.expectOnHand !== undefined && r.on_hand !== c.expectOnHand) {
    return new InventoryError(
      'conflict',
      `${r.sku} in ${r.location} changed since it was counted: on hand is now ${r.on_hand}, not ${c.expectOnHand}. Confirm or recount.`,
      { sku: r.sku, location: r.location, current: r.on_hand, expected: c.expectOnHand },
    );
  }
  if (c.onHandDelta + r.on_hand >= 0 && r.reserved + c.reservedDelta < 0) {
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
    { sku: r.sku, location: r.location, available: Math.max(available, 0), onHand: r.on_hand, reserved: r.reserved, requested: wanted },
  );
}
