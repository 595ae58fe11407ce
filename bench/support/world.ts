// A benchmark's world, made in bulk SQL (a receive per product would take minutes at 100,000 products): one
// warehouse with a sellable pick bin and a shipping bin, N products, and opening stock in the pick bin whose
// ledger rows agree with the levels (invariant 2), so `verify` and the oversell check hold from the first row.
// And the baseline: the SQL a reservation and a release write, driven directly on a postgres.js pool.
import { randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import { createApiKey, type ApiScope } from '@/server/auth/api-keys';
import type { Db } from '@/db/client';

export type World = { warehouse: string; warehouseId: number; pickBin: string; pickBinId: number; skus: string[]; productIds: number[] };

export async function makeWorld(sql: postgres.Sql, opts: { products: number; stock: number | ((i: number) => number); prefix?: string; names?: (i: number) => string; skus?: (i: number) => string; barcodes?: (i: number) => string }): Promise<World> {
  const prefix = opts.prefix ?? 'SKU';
  const [wh] = await sql`INSERT INTO warehouses (code, name) VALUES ('BENCH', 'Benchmark warehouse') RETURNING id`;
  const [pick] = await sql`INSERT INTO locations (warehouse_id, code, kind, sellable) VALUES (${wh.id}, 'P-01', 'pick', true) RETURNING id`;
  await sql`INSERT INTO locations (warehouse_id, code, kind, sellable) VALUES (${wh.id}, 'SHIP-01', 'shipping', false)`;
  const skus = Array.from({ length: opts.products }, (_, i) => opts.skus?.(i) ?? `${prefix}-${String(i + 1).padStart(6, '0')}`);
  const names = Array.from({ length: opts.products }, (_, i) => opts.names?.(i) ?? `Bench product ${i + 1}`);
  // EAN-13-like barcodes (not check-digit valid; search treats a non-GTIN as text).
  const barcodes = Array.from({ length: opts.products }, (_, i) => opts.barcodes?.(i) ?? `40${String(i + 1).padStart(11, '0')}`);
  for (let i = 0; i < skus.length; i += 20_000) {
    await sql`
      INSERT INTO products (sku, name, barcodes, low_stock_threshold)
      SELECT s, n, ARRAY[b], 0 FROM unnest(${skus.slice(i, i + 20_000)}::text[], ${names.slice(i, i + 20_000)}::text[], ${barcodes.slice(i, i + 20_000)}::text[]) AS u(s, n, b)`;
  }
  const stocks = skus.map((_, i) => (typeof opts.stock === 'number' ? opts.stock : opts.stock(i)));
  await sql`
    INSERT INTO stock_levels (product_id, location_id, on_hand, reserved, version, updated_at)
    SELECT p.id, ${pick.id}, u.q, 0, 1, now() FROM products p JOIN unnest(${skus}::text[], ${stocks}::int[]) AS u(s, q) ON u.s = p.sku WHERE u.q > 0`;
  await sql`
    INSERT INTO stock_movements (product_id, location_id, kind, on_hand_delta, reserved_delta, on_hand_after, reserved_after,
      version, reason_code, reference_type, reference_id, actor, command_id)
    SELECT product_id, location_id, 'receipt', on_hand, 0, on_hand, 0, 1, null, 'opening', 'bench', 'system:bench', gen_random_uuid() FROM stock_levels`;
  await sql`ANALYZE`;
  const rows = await sql<{ id: number; sku: string }[]>`SELECT id, sku FROM products ORDER BY sku`;
  return { warehouse: 'BENCH', warehouseId: wh.id, pickBin: 'P-01', pickBinId: pick.id, skus: rows.map((r) => r.sku), productIds: rows.map((r) => r.id) };
}

export async function makeApiKey(db: Db, scopes: ApiScope[]): Promise<{ secret: string; id: string; name: string }> {
  const key = await createApiKey(db, { name: 'Benchmark', scopes }, null);
  return { secret: key.secret, id: key.id, name: key.name };
}

// The baseline's reservation: the rows the core's reserve writes (the idempotency record, the level with its ledger
// row in one conditional statement, the hold, the stored answer), in one transaction, with the ids already known.
export async function directReserve(sql: postgres.Sql, w: { productId: number; locationId: number }, scope: string): Promise<string | null> {
  const key = randomUUID();
  const holdId = randomUUID();
  return sql.begin(async (tx) => {
    await tx`INSERT INTO idempotency_keys (scope, key, request_hash, response_status, response_body) VALUES (${scope}, ${key}, 'h', 0, 'null') ON CONFLICT DO NOTHING`;
    const lvl = await tx`
      WITH lvl AS (
        UPDATE stock_levels SET reserved = reserved + 1, version = version + 1, updated_at = now()
        WHERE product_id = ${w.productId} AND location_id = ${w.locationId} AND on_hand - reserved >= 1
        RETURNING product_id, location_id, on_hand, reserved, version),
      mv AS (
        INSERT INTO stock_movements (product_id, location_id, kind, on_hand_delta, reserved_delta, on_hand_after, reserved_after,
          version, reference_type, reference_id, actor, command_id)
        SELECT product_id, location_id, 'reservation', 0, 1, on_hand, reserved, version, 'hold', ${holdId}, 'system:bench', ${holdId} FROM lvl
        RETURNING id)
      SELECT lvl.version, (SELECT id FROM mv) AS movement_id FROM lvl`;
    if (!lvl.length) return null;
    await tx`INSERT INTO reservations (product_id, location_id, qty, hold_id, expires_at, created_by)
      VALUES (${w.productId}, ${w.locationId}, 1, ${holdId}, now() + interval '15 minutes', 'bench')`;
    await tx`UPDATE idempotency_keys SET response_status = 201, response_body = ${JSON.stringify({ ok: true, value: { id: holdId } })}
      WHERE scope = ${scope} AND key = ${key}`;
    return holdId;
  });
}

// The baseline's release: lock the hold, give the units back with their ledger row, close the hold.
export async function directRelease(sql: postgres.Sql, holdId: string): Promise<void> {
  await sql.begin(async (tx) => {
    const [r] = await tx<{ id: string; product_id: number; location_id: number; qty: number }[]>`
      SELECT id, product_id, location_id, qty FROM reservations WHERE hold_id = ${holdId} AND status = 'active' ORDER BY id FOR UPDATE`;
    if (!r) return;
    await tx`
      WITH lvl AS (
        UPDATE stock_levels SET reserved = reserved - ${r.qty}, version = version + 1, updated_at = now()
        WHERE product_id = ${r.product_id} AND location_id = ${r.location_id} AND reserved - ${r.qty} >= 0
        RETURNING product_id, location_id, on_hand, reserved, version),
      mv AS (
        INSERT INTO stock_movements (product_id, location_id, kind, on_hand_delta, reserved_delta, on_hand_after, reserved_after,
          version, reason_code, reference_type, reference_id, actor, command_id)
        SELECT product_id, location_id, 'release', 0, ${-r.qty}, on_hand, reserved, version, 'released', 'hold', ${holdId}, 'system:bench', ${holdId} FROM lvl
        RETURNING id)
      SELECT lvl.version FROM lvl`;
    await tx`UPDATE reservations SET status = 'released', closed_at = now() WHERE id = ${r.id}`;
  });
}

// Invariant 2 and the CHECKs for the products given: Σ ledger = level, reserved ≤ on_hand, and active holds = reserved.
export async function ledgerCheck(sql: postgres.Sql, productIds: number[]) {
  const rows = await sql<{ product_id: number; on_hand: number; reserved: number; ledger_on_hand: number; ledger_reserved: number; held: number }[]>`
    SELECT s.product_id, sum(s.on_hand)::int AS on_hand, sum(s.reserved)::int AS reserved,
      (SELECT coalesce(sum(on_hand_delta), 0)::int FROM stock_movements m WHERE m.product_id = s.product_id) AS ledger_on_hand,
      (SELECT coalesce(sum(reserved_delta), 0)::int FROM stock_movements m WHERE m.product_id = s.product_id) AS ledger_reserved,
      (SELECT coalesce(sum(qty), 0)::int FROM reservations r WHERE r.product_id = s.product_id AND r.status = 'active') AS held
    FROM stock_levels s WHERE s.product_id = ANY(${productIds}) GROUP BY s.product_id`;
  const bad = rows.filter((r) => r.on_hand !== r.ledger_on_hand || r.reserved !== r.ledger_reserved || r.reserved > r.on_hand || r.held !== r.reserved);
  return { rows, bad };
}
