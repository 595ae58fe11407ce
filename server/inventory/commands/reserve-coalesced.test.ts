import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerMismatches, makeWorld, testConnection, type World } from '@/server/testing/fixtures';
import { InventoryError } from '../kernel/errors';
import { release } from './release';
import { reserve } from './reserve';
import { createReserveCoalescer } from './reserve-coalesced';
import { opts, stock } from '../test-support';

const conn = testConnection();
let w: World;
beforeAll(async () => {
  w = await makeWorld(conn, { bins: ['RECV', 'A-01', 'PICK-01', 'SHIP'], products: 3 });
});
afterAll(() => conn.close());

describe('coalesced holds', () => {
  it('a crowd on one SKU gets exactly the stock, in batches, with a ledger row and a version per hold', async () => {
    const sku = w.skus[0];
    await stock(conn, w, sku, { 'PICK-01': 40, 'A-01': 20 });
    const c = createReserveCoalescer(conn.db);
    const results = await Promise.allSettled(Array.from({ length: 100 }, () => c.reserve({ sku, qty: 1 }, { ...opts, idempotencyKey: randomUUID() })));
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    expect(ok).toHaveLength(60);
    expect(refused.every((r) => (r as PromiseRejectedResult).reason instanceof InventoryError && (r as PromiseRejectedResult).reason.type === 'insufficient_stock')).toBe(true);
    expect(c.stats().batches).toBeLessThan(100);
    expect(await ledgerMismatches(conn, [w.productIds[sku]])).toEqual([]);
    // Versions along the ledger go up by one per row, with no gap and no repeat.
    const rows = (await conn.db.execute(sql`
      SELECT location_id, array_agg(version ORDER BY id) AS versions, array_agg(reserved_after ORDER BY id) AS after
      FROM stock_movements WHERE product_id = ${w.productIds[sku]} GROUP BY location_id`)) as unknown as { versions: number[]; after: number[] }[];
    for (const r of rows) {
      expect(r.versions).toEqual(r.versions.map((_, i) => r.versions[0] + i));
      expect(r.after.slice(1)).toEqual(r.after.slice(1).map((_, i) => r.after[1] + i));
    }
    // Each hold is a hold like any other: it releases.
    const first = (ok[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof reserve>>>).value;
    await expect(release(conn.db, { id: first.id }, opts)).resolves.toMatchObject({ status: 'released' });
    expect(await ledgerMismatches(conn, [w.productIds[sku]])).toEqual([]);
  });

  it('a replayed key returns the first answer, and a refusal is stored like reserve stores it', async () => {
    const sku = w.skus[1];
    await stock(conn, w, sku, { 'PICK-01': 1 });
    const c = createReserveCoalescer(conn.db);
    const key = randomUUID();
    const [a, b] = await Promise.all([c.reserve({ sku, qty: 1 }, { ...opts, idempotencyKey: key }), c.reserve({ sku, qty: 1 }, { ...opts, idempotencyKey: key })]);
    expect(b).toEqual(a);
    expect(await reserve(conn.db, { sku, qty: 1 }, { ...opts, idempotencyKey: key })).toEqual(a);
    const refusedKey = randomUUID();
    await expect(c.reserve({ sku, qty: 1 }, { ...opts, idempotencyKey: refusedKey })).rejects.toMatchObject({ type: 'insufficient_stock' });
    await expect(reserve(conn.db, { sku, qty: 1 }, { ...opts, idempotencyKey: refusedKey })).rejects.toMatchObject({ type: 'insufficient_stock' });
    await expect(c.reserve({ sku, qty: 2 }, { ...opts, idempotencyKey: key })).rejects.toMatchObject({ type: 'idempotency_mismatch' });
    await expect(c.reserve({ sku: 'NOPE-404', qty: 1 }, opts)).rejects.toMatchObject({ type: 'not_found' });
  });

  it('a batch that fails as a whole is retried hold by hold: only the request that breaks it fails', async () => {
    const sku = w.skus[2];
    await stock(conn, w, sku, { 'PICK-01': 10 });
    // A fault no check foresees (here a trigger) on one request's hold row: the batch's transaction fails as a whole.
    const fn = `boom_${randomUUID().replaceAll('-', '')}`;
    await conn.sql.unsafe(`CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk on fire'; END $$`);
    await conn.sql.unsafe(`CREATE TRIGGER ${fn} BEFORE INSERT ON reservations FOR EACH ROW WHEN (NEW.product_id = ${w.productIds[sku]} AND NEW.qty = 3) EXECUTE FUNCTION ${fn}()`);
    try {
      const c = createReserveCoalescer(conn.db);
      const results = await Promise.allSettled([1, 1, 3, 1, 2].map((qty) => c.reserve({ sku, qty }, { ...opts, idempotencyKey: randomUUID() })));
      expect(c.stats().largest).toBeGreaterThan(1);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      const reason = (results[2] as PromiseRejectedResult).reason as Error;
      expect(String(reason.cause ?? reason)).toContain('disk on fire');
      const [level] = await conn.sql<{ reserved: number }[]>`SELECT sum(reserved)::int AS reserved FROM stock_levels WHERE product_id = ${w.productIds[sku]}`;
      expect(level.reserved).toBe(5);
      expect(await ledgerMismatches(conn, [w.productIds[sku]])).toEqual([]);
    } finally {
      await conn.sql.unsafe(`DROP TRIGGER ${fn} ON reservations; DROP FUNCTION ${fn}()`);
    }
  });
});
