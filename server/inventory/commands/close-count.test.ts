// Closing a bin's count against the real database: what was not scanned goes to 0 in one transaction, a change
// since the bin was scanned or a hold refuses it whole, and a staff close beyond the tolerance waits as one request.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/server/inventory';
import { makeUser } from '@/server/realtime/test-support';
import { ledgerMismatches, makeWorld, testActor, testConnection, type World } from '@/server/testing/fixtures';
import { fingerprint, levelsOf, movesOf } from '../test-support';
import { ApprovalRequired } from './approval-guard';
import { approveStockChange } from './approvals';
import { closeCount } from './close-count';
import { receive } from './receive';
import { reserve } from './reserve';

const conn = testConnection();
const opts = { actor: testActor };
let staff: Actor;
let manager: Actor;
beforeAll(async () => {
  staff = { kind: 'user', id: await makeUser(conn, 'staff'), label: 'sam@onhand.test' };
  manager = { kind: 'user', id: await makeUser(conn, 'manager'), label: 'mia@onhand.test' };
});
afterAll(() => conn.close());

async function binWith(w: World, figures: number[], bin = 'A-01') {
  for (const [n, qty] of figures.entries()) await receive(conn.db, { sku: w.skus[n], warehouse: w.warehouse, location: bin, qty }, opts);
}
const ids = (w: World) => Object.values(w.productIds);
// A level at 0 is not listed by levelsOf: it reads as 0 here.
const inBin = async (w: World, sku: string, bin = 'A-01') => (await levelsOf(conn, w, sku))[bin] ?? { onHand: 0, reserved: 0 };

describe('closeCount', () => {
  it('sets every unscanned product to 0 with one count row each, in one command', async () => {
    const w = await makeWorld(conn);
    await binWith(w, [4, 7, 2]);
    const r = await closeCount(conn.db, { warehouse: w.warehouse, location: 'A-01', lines: [{ sku: w.skus[0], expected: 4 }, { sku: w.skus[1], expected: 7 }] }, opts);
    expect(r.lines.map((l) => [l.sku, l.delta, l.onHand])).toEqual([
      [w.skus[0], -4, 0],
      [w.skus[1], -7, 0],
    ]);
    expect((await inBin(w, w.skus[0]))).toEqual({ onHand: 0, reserved: 0 });
    expect((await inBin(w, w.skus[2]))).toEqual({ onHand: 2, reserved: 0 });
    for (const sku of w.skus.slice(0, 2)) {
      const counts = (await movesOf(conn, w, sku)).filter((m) => m.kind === 'count');
      expect(counts).toEqual([{ kind: 'count', location: 'A-01', onHand: counts[0].onHand, reserved: 0, reason: 'cycle_count' }]);
    }
    const [{ n }] = await conn.sql`SELECT count(DISTINCT command_id)::int AS n FROM stock_movements WHERE id = ANY(${r.lines.map((l) => l.movementId)})`;
    expect(n).toBe(1);
    expect(await ledgerMismatches(conn, ids(w))).toEqual([]);
  });

  it('refuses the whole close, naming what changed, when a product moved since the bin was scanned', async () => {
    const w = await makeWorld(conn);
    await binWith(w, [4, 7]);
    await receive(conn.db, { sku: w.skus[1], warehouse: w.warehouse, location: 'A-01', qty: 3 }, opts);
    const before = await fingerprint(conn, w);
    await expect(
      closeCount(conn.db, { warehouse: w.warehouse, location: 'A-01', lines: [{ sku: w.skus[0], expected: 4 }, { sku: w.skus[1], expected: 7 }] }, opts),
    ).rejects.toMatchObject({ type: 'conflict', message: expect.stringContaining(`${w.skus[1]} is now 10, not 7`), details: { changed: [{ sku: w.skus[1], expected: 7, current: 10 }] } });
    expect(await fingerprint(conn, w)).toEqual(before);
    expect((await inBin(w, w.skus[0]))).toEqual({ onHand: 4, reserved: 0 });
  });

  it('refuses to take a bin with held units to 0, with the reason, and writes nothing', async () => {
    const w = await makeWorld(conn);
    await binWith(w, [4, 5]);
    await reserve(conn.db, { sku: w.skus[1], qty: 2, warehouse: w.warehouse }, opts);
    const before = await fingerprint(conn, w);
    await expect(
      closeCount(conn.db, { warehouse: w.warehouse, location: 'A-01', lines: [{ sku: w.skus[0], expected: 4 }, { sku: w.skus[1], expected: 5 }] }, opts),
    ).rejects.toMatchObject({ type: 'invalid_state', message: expect.stringContaining(`${w.skus[1]} has 2 reserved`) });
    expect(await fingerprint(conn, w)).toEqual(before);
    expect((await inBin(w, w.skus[0]))).toEqual({ onHand: 4, reserved: 0 });
  });

  it('refuses bad input by field: no lines, a product twice', async () => {
    const w = await makeWorld(conn);
    await expect(closeCount(conn.db, { warehouse: w.warehouse, location: 'A-01', lines: [] }, opts)).rejects.toMatchObject({ type: 'validation_failed', details: { fields: { lines: expect.any(Array) } } });
    const twice = [{ sku: w.skus[0], expected: 1 }, { sku: w.skus[0], expected: 1 }];
    await expect(closeCount(conn.db, { warehouse: w.warehouse, location: 'A-01', lines: twice }, opts)).rejects.toMatchObject({ type: 'validation_failed' });
  });

  it('a staff close beyond the tolerance is one request; approving applies it whole, once', async () => {
    const w = await makeWorld(conn);
    await binWith(w, [3, 40]);
    const input = { warehouse: w.warehouse, location: 'A-01', lines: [{ sku: w.skus[0], expected: 3 }, { sku: w.skus[1], expected: 40 }] };
    const before = await fingerprint(conn, w);
    const held = await closeCount(conn.db, input, { actor: staff, idempotencyKey: randomUUID() }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(held).toBeInstanceOf(ApprovalRequired);
    expect((held as ApprovalRequired).message).toContain(`sets 2 unscanned products to 0, changing ${w.skus[1]} by 40 units; staff may change a level by 10 units`);
    expect(await fingerprint(conn, w)).toEqual(before);
    const id = (held as ApprovalRequired).requestId;
    const first = await approveStockChange(conn.db, id, manager);
    const again = await approveStockChange(conn.db, id, manager);
    expect(again.movementId).toBe(first.movementId);
    expect((await inBin(w, w.skus[1]))).toEqual({ onHand: 0, reserved: 0 });
    const counts = (await movesOf(conn, w, w.skus[1])).filter((m) => m.kind === 'count');
    expect(counts).toHaveLength(1);
    expect(await ledgerMismatches(conn, ids(w))).toEqual([]);
  });

  it('a staff close within the tolerance applies at once', async () => {
    const w = await makeWorld(conn);
    await binWith(w, [3]);
    const r = await closeCount(conn.db, { warehouse: w.warehouse, location: 'A-01', lines: [{ sku: w.skus[0], expected: 3 }] }, { actor: staff });
    expect(r.lines[0].onHand).toBe(0);
  });

  it('a receipt racing the close ends consistently: the close applies and the receipt lands after, or the close is refused whole', async () => {
    for (let round = 0; round < 12; round++) {
      const w = await makeWorld(conn, { products: 2 });
      await binWith(w, [5, 6]);
      const lines = [{ sku: w.skus[0], expected: 5 }, { sku: w.skus[1], expected: 6 }];
      const [closed, received] = await Promise.allSettled([
        closeCount(conn.db, { warehouse: w.warehouse, location: 'A-01', lines }, opts),
        receive(conn.db, { sku: w.skus[1], warehouse: w.warehouse, location: 'A-01', qty: 2 }, opts),
      ]);
      expect(received.status).toBe('fulfilled');
      const a = (await inBin(w, w.skus[0]));
      const b = (await inBin(w, w.skus[1]));
      if (closed.status === 'fulfilled') {
        expect([a.onHand, b.onHand]).toEqual([0, 2]);
      } else {
        expect(closed.reason).toMatchObject({ type: 'conflict', details: { changed: [{ sku: w.skus[1], current: 8 }] } });
        expect([a.onHand, b.onHand]).toEqual([5, 8]);
      }
      expect(await ledgerMismatches(conn, ids(w))).toEqual([]);
    }
  });
});
