// "Move everything" against the real database: every product's free units go to the other bin in one command,
// reserved units stay, and a receipt or a hold racing it ends with the ledger matching the levels.
import { afterAll, describe, expect, it } from 'vitest';
import { ledgerMismatches, makeWorld, testActor, testConnection, type World } from '@/server/testing/fixtures';
import { fingerprint, levelsOf, movesOf } from '../test-support';
import { receive } from './receive';
import { reserve } from './reserve';
import { transfer } from './transfer';
import { transferAll } from './transfer-all';

const conn = testConnection();
const opts = { actor: testActor };
afterAll(() => conn.close());

async function binWith(w: World, figures: number[], bin = 'A-01') {
  for (const [n, qty] of figures.entries()) await receive(conn.db, { sku: w.skus[n], warehouse: w.warehouse, location: bin, qty }, opts);
}
const ids = (w: World) => Object.values(w.productIds);
const move = (w: World) => ({ from: { warehouse: w.warehouse, location: 'A-01' }, to: { warehouse: w.warehouse, location: 'A-02' } });

describe('transferAll', () => {
  it('moves every product’s free units, leaves reserved ones, one ledger pair per product in one command', async () => {
    const w = await makeWorld(conn);
    await binWith(w, [4, 7, 2]);
    await reserve(conn.db, { sku: w.skus[1], qty: 3, warehouse: w.warehouse }, opts);
    const r = await transferAll(conn.db, move(w), opts);
    expect(r.lines.map((l) => [l.sku, l.qty, l.reservedLeft])).toEqual([
      [w.skus[0], 4, 0],
      [w.skus[1], 4, 3],
      [w.skus[2], 2, 0],
    ]);
    expect(await levelsOf(conn, w, w.skus[0])).toEqual({ 'A-02': { onHand: 4, reserved: 0 } });
    expect(await levelsOf(conn, w, w.skus[1])).toEqual({ 'A-01': { onHand: 3, reserved: 3 }, 'A-02': { onHand: 4, reserved: 0 } });
    for (const [n, sku] of w.skus.entries()) {
      const moves = (await movesOf(conn, w, sku)).filter((m) => m.kind.startsWith('transfer'));
      const qty = r.lines[n].qty;
      expect(moves.map((m) => [m.kind, m.location, m.onHand])).toEqual([
        ['transfer_out', 'A-01', -qty],
        ['transfer_in', 'A-02', qty],
      ]);
    }
    const [{ n }] = await conn.sql`SELECT count(DISTINCT command_id)::int AS n FROM stock_movements WHERE kind IN ('transfer_in', 'transfer_out') AND product_id = ANY(${ids(w)})`;
    expect(n).toBe(1);
    expect(await ledgerMismatches(conn, ids(w))).toEqual([]);
  });

  it('refuses an empty bin, the same bin, and an unknown destination, and writes nothing', async () => {
    const w = await makeWorld(conn);
    await expect(transferAll(conn.db, move(w), opts)).rejects.toMatchObject({ type: 'insufficient_stock', message: 'Nothing is free to move in A-01.' });
    await binWith(w, [2]);
    const before = await fingerprint(conn, w);
    await expect(transferAll(conn.db, { ...move(w), to: move(w).from }, opts)).rejects.toMatchObject({ type: 'validation_failed', details: { fields: { to: expect.any(Array) } } });
    await expect(transferAll(conn.db, { ...move(w), to: { warehouse: w.warehouse, location: 'NOPE' } }, opts)).rejects.toMatchObject({ type: 'not_found' });
    expect(await fingerprint(conn, w)).toEqual(before);
  });

  it('a receipt racing the move ends consistently: its units are moved with the rest or stay behind, exactly', async () => {
    for (let round = 0; round < 12; round++) {
      const w = await makeWorld(conn, { products: 2 });
      await binWith(w, [5, 6]);
      const [moved, received] = await Promise.allSettled([
        transferAll(conn.db, move(w), opts),
        receive(conn.db, { sku: w.skus[1], warehouse: w.warehouse, location: 'A-01', qty: 2 }, opts),
      ]);
      expect(moved.status).toBe('fulfilled');
      expect(received.status).toBe('fulfilled');
      const qty = (moved as PromiseFulfilledResult<Awaited<ReturnType<typeof transferAll>>>).value.lines.find((l) => l.sku === w.skus[1])!.qty;
      expect([6, 8]).toContain(qty);
      const b = await levelsOf(conn, w, w.skus[1]);
      expect(b['A-02']).toEqual({ onHand: qty, reserved: 0 });
      expect(b['A-01']?.onHand ?? 0).toBe(8 - qty);
      expect(await ledgerMismatches(conn, ids(w))).toEqual([]);
    }
  });

  it('a hold or single transfer racing the move: one wins, the other is refused whole or applies exactly, no deadlock', async () => {
    for (let round = 0; round < 12; round++) {
      const w = await makeWorld(conn, { products: 2 });
      await binWith(w, [5, 6]);
      // The opposite direction on the destination too: the global lock order keeps the two from waiting on each other.
      await binWith(w, [1, 1], 'A-02');
      const [moved, back] = await Promise.allSettled([
        transferAll(conn.db, move(w), opts),
        transfer(conn.db, { sku: w.skus[1], qty: 1, from: { warehouse: w.warehouse, location: 'A-02' }, to: { warehouse: w.warehouse, location: 'A-01' } }, opts),
        reserve(conn.db, { sku: w.skus[0], qty: 1, warehouse: w.warehouse }, opts),
      ]);
      expect(back.status).toBe('fulfilled');
      if (moved.status === 'rejected') expect(moved.reason).toMatchObject({ type: 'insufficient_stock' });
      expect(await ledgerMismatches(conn, ids(w))).toEqual([]);
      const total = (l: Record<string, { onHand: number }>) => Object.values(l).reduce((s, x) => s + x.onHand, 0);
      expect(total(await levelsOf(conn, w, w.skus[0]))).toBe(6);
      expect(total(await levelsOf(conn, w, w.skus[1]))).toBe(7);
    }
  });
});
