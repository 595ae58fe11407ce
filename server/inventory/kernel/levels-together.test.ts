// Many level changes in one statement (an opening-stock import): the guards and compare-and-set of one change,
// a ledger row per change applied, each refused change named by its position with applyChange's wording.
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, testConnection, type World } from '@/server/testing/fixtures';
import { receive } from '../commands/receive';
import { levelsOf, movesOf, opts } from '../test-support';
import { runCommand } from './command';
import { applyChangesTogether, type LevelChange } from './levels';

const conn = testConnection();
let w: World;
beforeAll(async () => {
  w = await makeWorld(conn, { products: 3 });
});
afterAll(() => conn.close());

const together = (changes: LevelChange[]) =>
  runCommand(conn.db, { name: 'changeTogether', schema: z.null() }, null, opts, (tx, _i, ctx) => applyChangesTogether(tx, ctx, changes));
const count = (sku: string, bin: string, from: number, to: number): LevelChange => ({
  productId: w.productIds[sku],
  locationId: w.bins[bin].id,
  kind: 'adjustment',
  onHandDelta: to - from,
  reservedDelta: 0,
  reasonCode: 'import',
  expectOnHand: from,
});

describe('applyChangesTogether', () => {
  it('creates and changes levels with one ledger row each, and refuses a change whose level moved since it was read', async () => {
    const [a, b, c] = w.skus;
    await receive(conn.db, { sku: b, warehouse: w.warehouse, location: 'A-01', qty: 5 }, opts);
    const r = await together([count(a, 'A-01', 0, 7), count(b, 'A-01', 5, 2), count(c, 'A-02', 0, 4)]);
    expect(r.refused).toEqual([]);
    expect(r.after.map((l) => l.onHand)).toEqual([7, 2, 4]);
    expect(await levelsOf(conn, w, a)).toEqual({ 'A-01': { onHand: 7, reserved: 0 } });
    expect(await levelsOf(conn, w, b)).toEqual({ 'A-01': { onHand: 2, reserved: 0 } });
    expect((await movesOf(conn, w, b)).at(-1)).toEqual({ kind: 'adjustment', location: 'A-01', onHand: -3, reserved: 0, reason: 'import' });

    const stale = await together([count(a, 'A-01', 7, 9), count(b, 'A-01', 5, 1)]);
    expect(stale.refused.map((x) => [x.index, x.error.message])).toEqual([
      [1, `${b} in A-01 changed since it was counted: on hand is now 2, not 5. Confirm or recount.`],
    ]);
    expect(stale.after[0].onHand).toBe(9);
  });
});
