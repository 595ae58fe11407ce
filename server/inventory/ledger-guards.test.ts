import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '@/db/client';
import { makeWorld, type World } from '@/server/testing/fixtures';
import { sqlState } from './kernel/command';
import { levelsOf, movesOf, scratchDatabase, stock } from './test-support';

// A database of its own: TRUNCATE locks the whole ledger, which on the shared database would stall other files.
let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
let conn: Connection;
let w: World;
let sku: string;
beforeAll(async () => {
  scratch = await scratchDatabase();
  conn = scratch.conn;
  w = await makeWorld(conn, { products: 1 });
  sku = w.skus[0];
  await stock(conn, w, sku, { 'A-01': 5 });
});
afterAll(() => scratch.drop());

const ROLLBACK = new Error('rollback');

// Runs the statement in a transaction that never commits: if a guard were missing, the ledger still survives.
const refusal = async (q: ReturnType<typeof sql>) => {
  try {
    await conn.db.transaction(async (tx) => {
      await tx.execute(q);
      throw ROLLBACK;
    });
  } catch (e) {
    if (e === ROLLBACK) return null;
    return { state: sqlState(e), message: String((e as { cause?: Error }).cause?.message ?? (e as Error).message) };
  }
  return null;
};

describe('the database guards the ledger and the levels', () => {
  it('refuses UPDATE, DELETE and TRUNCATE on stock_movements', async () => {
    const pid = w.productIds[sku];
    const update = await refusal(sql`UPDATE stock_movements SET on_hand_delta = 500 WHERE product_id = ${pid}`);
    expect(update).toMatchObject({ state: '42501', message: expect.stringContaining('append-only') });
    const del = await refusal(sql`DELETE FROM stock_movements WHERE product_id = ${pid}`);
    expect(del).toMatchObject({ state: '42501', message: expect.stringContaining('DELETE') });
    const truncate = await refusal(sql`TRUNCATE stock_movements CASCADE`);
    expect(truncate).toMatchObject({ state: '42501', message: expect.stringContaining('TRUNCATE') });
    expect(await movesOf(conn, w, sku)).toEqual([{ kind: 'receipt', location: 'A-01', onHand: 5, reserved: 0, reason: 'received' }]);
  });

  it('refuses a negative level and reserved above on hand with CHECK constraints', async () => {
    const pid = w.productIds[sku];
    const where = sql`product_id = ${pid} AND location_id = ${w.bins['A-01'].id}`;
    expect(await refusal(sql`UPDATE stock_levels SET on_hand = -1 WHERE ${where}`)).toMatchObject({
      state: '23514',
      message: expect.stringContaining('stock_levels_on_hand_nonneg'),
    });
    expect(await refusal(sql`UPDATE stock_levels SET reserved = -1 WHERE ${where}`)).toMatchObject({ state: '23514' });
    expect(await refusal(sql`UPDATE stock_levels SET reserved = 6 WHERE ${where}`)).toMatchObject({
      state: '23514',
      message: expect.stringContaining('stock_levels_reserved_le_on_hand'),
    });
    expect(await levelsOf(conn, w, sku)).toEqual({ 'A-01': { onHand: 5, reserved: 0 } });
  });
});
