// Helpers for the domain core's tests: read levels, ledger rows and a fingerprint of everything a product has,
// so a test can assert both the figures a user sees and that a refused command wrote nothing.
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { inject } from 'vitest';
import { connect, type Connection } from '@/db/client';
import { migrateDatabase } from '@/db/migrate';
import { createDatabaseIfMissing, dropDatabase } from '@/db/provision';
import { testActor, type World } from '@/server/testing/fixtures';
import { receive } from './commands/receive';

export const opts = { actor: testActor };

export type Lvl = { onHand: number; reserved: number };

export async function levelsOf(conn: Connection, w: World, sku: string): Promise<Record<string, Lvl>> {
  const rows = (await conn.db.execute(sql`
    SELECT loc.code, s.on_hand, s.reserved FROM stock_levels s JOIN locations loc ON loc.id = s.location_id
    WHERE s.product_id = ${w.productIds[sku]} AND loc.warehouse_id = ${w.warehouseId}`)) as unknown as {
    code: string;
    on_hand: number;
    reserved: number;
  }[];
  return Object.fromEntries(rows.filter((r) => r.on_hand || r.reserved).map((r) => [r.code, { onHand: r.on_hand, reserved: r.reserved }]));
}

export type Move = { kind: string; location: string; onHand: number; reserved: number; reason: string | null };

export async function movesOf(conn: Connection, w: World, sku: string, afterId = 0): Promise<Move[]> {
  const rows = (await conn.db.execute(sql`
    SELECT m.kind, loc.code, m.on_hand_delta, m.reserved_delta, m.reason_code FROM stock_movements m
    JOIN locations loc ON loc.id = m.location_id
    WHERE m.product_id = ${w.productIds[sku]} AND m.id > ${afterId} ORDER BY m.id`)) as unknown as {
    kind: string;
    code: string;
    on_hand_delta: number;
    reserved_delta: number;
    reason_code: string | null;
  }[];
  return rows.map((r) => ({ kind: r.kind, location: r.code, onHand: r.on_hand_delta, reserved: r.reserved_delta, reason: r.reason_code }));
}

export async function lastMoveId(conn: Connection): Promise<number> {
  const [r] = (await conn.db.execute(sql`SELECT coalesce(max(id), 0)::bigint AS id FROM stock_movements`)) as unknown as { id: string }[];
  return Number(r.id);
}

// Everything the world's products and orders consist of: equal before and after means nothing was written.
export async function fingerprint(conn: Connection, w: World) {
  const ids = Object.values(w.productIds);
  const [r] = (await conn.db.execute(sql`
    SELECT (SELECT count(*) FROM stock_movements WHERE product_id IN ${ids})::int AS movements,
           (SELECT coalesce(string_agg(product_id || ':' || location_id || '=' || on_hand || '/' || reserved || '@' || version, ',' ORDER BY product_id, location_id), '')
              FROM stock_levels WHERE product_id IN ${ids}) AS levels,
           (SELECT coalesce(string_agg(id || status::text || qty, ',' ORDER BY id), '') FROM reservations WHERE product_id IN ${ids}) AS reservations,
           (SELECT coalesce(string_agg(ol.id || o.status::text || ol.picked_qty || '/' || ol.short_qty, ',' ORDER BY ol.id), '')
              FROM order_lines ol JOIN orders o ON o.id = ol.order_id WHERE ol.product_id IN ${ids}) AS orders,
           (SELECT count(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_lines ol WHERE ol.order_id = o.id))::int AS empty_orders`)) as unknown as Record<
    string,
    unknown
  >[];
  return r;
}

export async function stock(conn: Connection, w: World, sku: string, bins: Record<string, number>) {
  for (const [location, qty] of Object.entries(bins)) {
    await receive(conn.db, { sku, warehouse: w.warehouse, location, qty }, opts);
  }
}

// A fresh migrated database of its own, for tests that lock the whole ledger (TRUNCATE, ALTER TABLE) or need a
// database with nothing else in it: on the shared one they would stall, or deadlock with, other test files.
export async function scratchDatabase(): Promise<{ url: string; conn: Connection; drop: () => Promise<void> }> {
  const name = `onhand_scratch_${randomBytes(4).toString('hex')}`;
  const u = new URL(inject('databaseUrl'));
  u.pathname = '/postgres';
  const admin = u.toString();
  await createDatabaseIfMissing(admin, name);
  u.pathname = `/${name}`;
  const url = u.toString();
  await migrateDatabase(url);
  const conn = connect(url, { max: 3 });
  return {
    url,
    conn,
    drop: async () => {
      await conn.close();
      await dropDatabase(admin, name);
    },
  };
}
