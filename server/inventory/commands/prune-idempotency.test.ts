import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idempotencyKeys } from '@/db/schema';
import { makeWorld, type World } from '@/server/testing/fixtures';
import { adjust } from './adjust';
import { pruneIdempotencyKeys, retentionDaysFromEnv } from './prune-idempotency';
import { levelsOf, opts, scratchDatabase, stock } from '../test-support';

// A database of its own: pruning works on the whole table.
let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
let w: World;
beforeAll(async () => {
  scratch = await scratchDatabase();
  w = await makeWorld(scratch.conn, { bins: ['A-01'], products: 1 });
});
afterAll(() => scratch?.drop());

describe('idempotency records past their retention', () => {
  it('are forgotten after the window, so the same key then runs as a new command; newer ones still replay', async () => {
    const { conn } = scratch;
    const sku = w.skus[0];
    await stock(conn, w, sku, { 'A-01': 10 });
    const change = { sku, warehouse: w.warehouse, location: 'A-01', delta: -1, reason: 'damaged' as const };
    await adjust(conn.db, change, { ...opts, idempotencyKey: 'old-key' });
    await adjust(conn.db, change, { ...opts, idempotencyKey: 'new-key' });
    // The first was taken eight days ago, the second yesterday.
    const age = (key: string, days: number) =>
      conn.db.update(idempotencyKeys).set({ createdAt: sql`now() - make_interval(days => ${days})` }).where(eq(idempotencyKeys.key, key));
    await age('old-key', 8);
    await age('new-key', 1);

    expect(await pruneIdempotencyKeys(conn.db, { retentionDays: 7 })).toBe(1);
    expect(await pruneIdempotencyKeys(conn.db, { retentionDays: 7 })).toBe(0);

    await adjust(conn.db, change, { ...opts, idempotencyKey: 'new-key' }); // replayed: nothing changes
    expect(await levelsOf(conn, w, sku)).toEqual({ 'A-01': { onHand: 8, reserved: 0 } });
    await adjust(conn.db, change, { ...opts, idempotencyKey: 'old-key' }); // forgotten: runs again
    expect(await levelsOf(conn, w, sku)).toEqual({ 'A-01': { onHand: 7, reserved: 0 } });
  });

  it('keeps at least a day, and refuses a setting that is not a whole number of days', async () => {
    await expect(pruneIdempotencyKeys(scratch.conn.db, { retentionDays: 0 })).rejects.toThrow(/at least a day/);
    expect(retentionDaysFromEnv(undefined)).toBe(7);
    expect(retentionDaysFromEnv('30')).toBe(30);
    expect(() => retentionDaysFromEnv('7d')).toThrow('IDEMPOTENCY_RETENTION_DAYS must be a whole number of days, at least 1 (got "7d")');
  });
});
