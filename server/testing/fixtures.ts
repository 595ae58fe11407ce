// Test fixtures: each test makes its own warehouse, bins and products with unique codes, through the same
// core functions the product uses, so tests never depend on one another's data.
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { inject } from 'vitest';
import { connect, type Connection } from '@/db/client';
import { locations, products, warehouses, type Location } from '@/db/schema';
import { systemActor } from '@/server/inventory/kernel/actor';

export const testActor = systemActor('test');

export function testConnection(max = 10): Connection {
  return connect(inject('databaseUrl'), { max });
}

export const uid = () => randomBytes(4).toString('hex').toUpperCase();

// Polls until the check holds, or fails naming what it waited for.
export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export type World = {
  warehouse: string;
  warehouseId: number;
  bins: Record<string, Location>;
  skus: string[];
  productIds: Record<string, number>;
};

// A warehouse with the named bins (kind inferred from the name: RECV, SHIP, PICK-*, else storage) and products.
export async function makeWorld(conn: Connection, opts: { bins?: string[]; products?: number } = {}): Promise<World> {
  const { db } = conn;
  const code = `W${uid()}`;
  const [wh] = await db.insert(warehouses).values({ code, name: `Test ${code}` }).returning();
  const binCodes = opts.bins ?? ['RECV', 'A-01', 'A-02', 'PICK-01', 'SHIP'];
  const kindOf = (b: string): Location['kind'] =>
    b.startsWith('RECV') ? 'receiving' : b.startsWith('SHIP') ? 'shipping' : b.startsWith('PICK') ? 'pick' : b.startsWith('Q') ? 'quarantine' : 'storage';
  const locs = await db
    .insert(locations)
    .values(binCodes.map((b) => ({ warehouseId: wh.id, code: b, kind: kindOf(b), sellable: !['shipping', 'quarantine', 'receiving'].includes(kindOf(b)) })))
    .returning();
  const n = opts.products ?? 3;
  const skus = Array.from({ length: n }, (_, i) => `T-${uid()}-${i}`);
  const prods = await db
    .insert(products)
    .values(skus.map((s) => ({ sku: s, name: `Test product ${s}` })))
    .returning();
  return {
    warehouse: code,
    warehouseId: wh.id,
    bins: Object.fromEntries(locs.map((l) => [l.code, l])),
    skus,
    productIds: Object.fromEntries(prods.map((p) => [p.sku, p.id])),
  };
}

// Invariant 2 for the given products: Σ ledger deltas equals the level, for every (product, location).
export async function ledgerMismatches(conn: Connection, productIds?: number[]) {
  const filter = productIds?.length ? sql`WHERE coalesce(l.product_id, m.product_id) IN ${productIds}` : sql``;
  return (await conn.db.execute(sql`
    SELECT coalesce(l.product_id, m.product_id) AS product_id, coalesce(l.location_id, m.location_id) AS location_id,
           l.on_hand, l.reserved, m.on_hand_sum, m.reserved_sum
    FROM stock_levels l
    FULL JOIN (SELECT product_id, location_id, sum(on_hand_delta)::int AS on_hand_sum, sum(reserved_delta)::int AS reserved_sum
               FROM stock_movements GROUP BY product_id, location_id) m
      ON m.product_id = l.product_id AND m.location_id = l.location_id
    ${filter}
    ${productIds?.length ? sql`AND` : sql`WHERE`} (l.on_hand IS DISTINCT FROM m.on_hand_sum OR l.reserved IS DISTINCT FROM m.reserved_sum)`)) as unknown as unknown[];
}
