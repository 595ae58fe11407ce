import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reservations } from '@/db/schema';
import { ledgerMismatches, makeWorld, waitFor, type World } from '@/server/testing/fixtures';
import { startHoldSweeper } from './hold-sweeper';
import { reserve } from './reserve';
import type { SweepResult } from './sweep';
import { levelsOf, opts, scratchDatabase, stock } from '../test-support';

// A database of its own: other test files sweep the shared one with a `now` in the future, which would take this
// file's holds before (or instead of) the sweeper under test.
let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
let w: World;
beforeAll(async () => {
  scratch = await scratchDatabase();
  w = await makeWorld(scratch.conn, { bins: ['A-01'], products: 1 });
});
afterAll(() => scratch?.drop());

const statusOf = async (holdId: string) =>
  (await scratch.conn.db.select({ status: reservations.status }).from(reservations).where(eq(reservations.holdId, holdId)))[0].status;

describe('the hold sweeper', () => {
  it('gives an expired cart hold back on its own, leaves a live one, and stops when told', async () => {
    const { conn } = scratch;
    const sku = w.skus[0];
    await stock(conn, w, sku, { 'A-01': 5 });
    const swept: SweepResult[] = [];
    const errors: unknown[] = [];
    const sweeper = startHoldSweeper(conn.db, { everyMs: 100, onSwept: (r) => swept.push(r), onError: (e) => errors.push(e) });
    try {
      const short = await reserve(conn.db, { sku, qty: 3, ttlSeconds: 1 }, opts);
      const long = await reserve(conn.db, { sku, qty: 1, ttlSeconds: 3600 }, opts);
      expect(await levelsOf(conn, w, sku)).toEqual({ 'A-01': { onHand: 5, reserved: 4 } });
      await waitFor(async () => (await statusOf(short.id)) === 'expired', 'the short hold to be swept');
      expect(await levelsOf(conn, w, sku)).toEqual({ 'A-01': { onHand: 5, reserved: 1 } });
      expect(await statusOf(long.id)).toBe('active');
      expect(swept).toEqual([{ released: 1, holds: 1, units: 3 }]);
      expect(errors).toEqual([]);
    } finally {
      await sweeper.stop();
    }
    // Stopped: a hold that expires now stays held.
    const after = await reserve(conn.db, { sku, qty: 1, ttlSeconds: 1 }, opts);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await statusOf(after.id)).toBe('active');
    expect(swept).toHaveLength(1);
    expect(await ledgerMismatches(conn, [w.productIds[sku]])).toEqual([]);
  });
});
