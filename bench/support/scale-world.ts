// Scenario 6's world, in bulk SQL (generate_series, not commands: seconds, not hours): N products in one warehouse,
// one in ten at or under its threshold of 20 with an open alert (a third of those out of stock), a tenth of the
// alerts acknowledged and a tenth snoozed, 20,000 resolved ones, about a million ledger rows (fast movers picked 63
// times in 90 days, the rest 3 or 4 times in a year), and 40 orders allocated through the core for the pick list.
// The pick rows are there for the reads (velocity, history); they do not balance the levels, so `verify` would
// report this database, which is a benchmark's and dropped after it.
import { randomUUID } from 'node:crypto';
import { hashPassword } from 'better-auth/crypto';
import type { Connection } from '@/db/client';
import { accounts, users } from '@/db/schema';
import { allocateOrder } from '@/server/inventory/commands/allocate-order';
import { systemActor } from '@/server/inventory/kernel/actor';
import { log } from './common';
import { makeWorld, type World } from './world';

export const THRESHOLD = 20;

export async function seedScale(conn: Connection, products: number): Promise<{ world: World; counts: { products: number; ledger: number; open: number } }> {
  log(`making ${products.toLocaleString('en')} products…`);
  const world = await makeWorld(conn.sql, {
    products,
    stock: (i) => (i % 10 === 0 ? (i % 30 === 0 ? 0 : 1 + (i % 19)) : 40 + (i % 300)),
    names: (i) => `${['Linen Shirt', 'Wool Scarf', 'Desk Lamp', 'Coffee Mug', 'Oak Shelf'][i % 5]} no. ${i}`,
  });
  await conn.sql`UPDATE products SET low_stock_threshold = ${THRESHOLD}, reorder_qty = 50, lead_time_days = 7 + id % 21`;
  log('writing the ledger: picks over the last year (fast movers: the last 90 days)…');
  await conn.sql`
    INSERT INTO stock_movements (product_id, location_id, kind, on_hand_delta, reserved_delta, on_hand_after, reserved_after, version,
      reference_type, reference_id, actor, command_id, created_at)
    SELECT p.id, ${world.pickBinId}, 'pick', -(1 + g % 3), 0, 0, 0, 1, 'order', 'bench', 'system:bench', gen_random_uuid(),
      now() - make_interval(secs => ((p.id::bigint * 7919 + g * 104729) % (CASE WHEN fast THEN 90 ELSE 365 END * 86400))::int)
    FROM (SELECT p.id, coalesce(s.on_hand, 0) <= ${THRESHOLD} AS fast FROM products p
          LEFT JOIN stock_levels s ON s.product_id = p.id AND s.location_id = ${world.pickBinId}) p,
      generate_series(1, CASE WHEN fast THEN 63 ELSE 3 + (p.id % 3 = 0)::int END) g`;
  log('opening the alerts: one per product at or under its threshold; a tenth acknowledged, a tenth snoozed; 20,000 resolved…');
  await conn.sql`
    INSERT INTO alerts (product_id, warehouse_id, kind, status, available, threshold, opened_at, acknowledged_at, acknowledged_by, snoozed_until)
    SELECT p.id, ${world.warehouseId}, (CASE WHEN a = 0 THEN 'out_of_stock' ELSE 'low_stock' END)::alert_kind,
      (CASE WHEN p.id % 10 = 3 THEN 'acknowledged' ELSE 'open' END)::alert_status, a, ${THRESHOLD}, now() - make_interval(hours => p.id % 500),
      CASE WHEN p.id % 10 = 3 THEN now() END, CASE WHEN p.id % 10 = 3 THEN 'user:bench' END, CASE WHEN p.id % 10 = 5 THEN now() + interval '1 day' END
    FROM (SELECT p.id, coalesce(s.on_hand, 0) AS a FROM products p LEFT JOIN stock_levels s ON s.product_id = p.id) p
    WHERE a <= ${THRESHOLD}`;
  await conn.sql`
    INSERT INTO alerts (product_id, warehouse_id, kind, status, available, threshold, opened_at, resolved_at)
    SELECT id, ${world.warehouseId}, 'low_stock', 'resolved', 25, ${THRESHOLD}, now() - make_interval(days => 60 + id % 30), now() - make_interval(days => id % 60)
    FROM products WHERE id % 5 = 1`;
  // Something to pick: 40 orders of 3 lines of well-stocked products, allocated through the core.
  const actor = { actor: systemActor('bench') };
  for (let o = 0; o < 40; o++) {
    const lines = [1, 2, 3].map((k) => ({ sku: world.skus[(o * 97 + k * 13) * 10 + 1], qty: 1 }));
    await allocateOrder(conn.db, { reference: `BENCH-${o}`, lines }, actor);
  }
  // What autovacuum would have done by the time a shop has a million ledger rows: statistics, and the visibility map
  // that lets the picks index answer without visiting the table.
  await conn.sql`VACUUM ANALYZE`;
  const [counts] = await conn.sql<{ products: number; ledger: number; open: number }[]>`
    SELECT (SELECT count(*) FROM products)::int AS products, (SELECT count(*) FROM stock_movements)::int AS ledger,
      (SELECT count(*) FROM alerts WHERE status <> 'resolved')::int AS open`;
  return { world, counts };
}

// A manager who signs in through the page, as a person would.
export async function createManager(conn: Connection, email: string, password: string) {
  const id = randomUUID();
  await conn.db.insert(users).values({ id, email, name: 'Bench manager', role: 'manager', emailVerified: true });
  await conn.db.insert(accounts).values({ id: randomUUID(), accountId: id, providerId: 'credential', userId: id, password: await hashPassword(password) });
}
