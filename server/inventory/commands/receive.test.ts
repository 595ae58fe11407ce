import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stockLevels } from '@/db/schema';
import { ledgerMismatches, makeWorld, testActor, testConnection, type World } from '@/server/testing/fixtures';
import { receive } from './receive';

const conn = testConnection();
let w: World;
beforeAll(async () => {
  w = await makeWorld(conn);
});
afterAll(() => conn.close());

describe('receive', () => {
  it('adds stock to the bin and writes one ledger row', async () => {
    const r = await receive(conn.db, { sku: w.skus[0], warehouse: w.warehouse, location: 'A-01', qty: 5 }, { actor: testActor });
    expect(r).toMatchObject({ onHand: 5, available: 5, version: 1, qty: 5 });
    const r2 = await receive(conn.db, { sku: w.skus[0], warehouse: w.warehouse, location: 'A-01', qty: 3 }, { actor: testActor });
    expect(r2).toMatchObject({ onHand: 8, version: 2 });
    expect(await ledgerMismatches(conn, [w.productIds[w.skus[0]]])).toEqual([]);
  });

  it('refuses an unknown SKU, names it, and writes nothing', async () => {
    const before = await conn.db.$count(stockLevels);
    await expect(
      receive(conn.db, { sku: 'NOPE-1', warehouse: w.warehouse, location: 'A-01', qty: 1 }, { actor: testActor }),
    ).rejects.toMatchObject({ type: 'not_found', message: expect.stringContaining('NOPE-1') });
    expect(await conn.db.$count(stockLevels)).toBe(before);
  });

  it('refuses zero, negative, fractional and huge quantities with the field named', async () => {
    for (const qty of [0, -1, 1.5, 2 ** 31, Number.NaN]) {
      await expect(
        receive(conn.db, { sku: w.skus[1], warehouse: w.warehouse, location: 'A-01', qty }, { actor: testActor }),
      ).rejects.toMatchObject({ type: 'validation_failed', details: { fields: { qty: expect.any(Array) } } });
    }
  });

  it('refuses an empty or over-long idempotency key (a queue message id, a form field) and writes nothing', async () => {
    const before = await conn.db.$count(stockLevels);
    for (const idempotencyKey of ['', 'k'.repeat(201), 'k'.repeat(8 * 1024)]) {
      await expect(
        receive(conn.db, { sku: w.skus[0], warehouse: w.warehouse, location: 'A-01', qty: 1 }, { actor: testActor, idempotencyKey }),
      ).rejects.toMatchObject({ type: 'validation_failed', details: { fields: { idempotencyKey: ['must be 1 to 200 characters'] } } });
    }
    expect(await conn.db.$count(stockLevels)).toBe(before);
    const ok = await receive(conn.db, { sku: w.skus[0], warehouse: w.warehouse, location: 'A-01', qty: 1 }, { actor: testActor, idempotencyKey: 'k'.repeat(200) });
    expect(ok).toMatchObject({ qty: 1 });
  });

  it('applies a retried request once and refuses the key for a different request', async () => {
    const opts = { actor: testActor, idempotencyKey: 'recv-1' };
    const input = { sku: w.skus[2], warehouse: w.warehouse, location: 'A-02', qty: 4 };
    const first = await receive(conn.db, input, opts);
    const again = await receive(conn.db, input, opts);
    // Byte for byte: a replayed HTTP answer must be the first one, keys in the same order.
    expect(JSON.stringify(again)).toBe(JSON.stringify(first));
    expect(first.onHand).toBe(4);
    await expect(receive(conn.db, { ...input, qty: 5 }, opts)).rejects.toMatchObject({ type: 'idempotency_mismatch' });
  });
});
