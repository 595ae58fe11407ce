import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerMismatches, makeWorld, testConnection, type World } from '@/server/testing/fixtures';
import { adjust } from './commands/adjust';
import { count } from './commands/count';
import { reserve } from './commands/reserve';
import { transfer } from './commands/transfer';
import { fingerprint, lastMoveId, levelsOf, movesOf, opts, stock } from './test-support';

const conn = testConnection();
let w: World;
let w2: World;
beforeAll(async () => {
  w = await makeWorld(conn, { products: 8 });
  w2 = await makeWorld(conn, { products: 1 });
});
afterAll(() => conn.close());

const at = (location: string) => ({ warehouse: w.warehouse, location });

describe('adjust', () => {
  it('adds and removes units with the reason on the ledger row', async () => {
    const sku = w.skus[0];
    const before = await lastMoveId(conn);
    const up = await adjust(conn.db, { sku, ...at('A-01'), delta: 7, reason: 'found', note: 'behind the rack' }, opts);
    expect(up).toMatchObject({ sku, location: 'A-01', delta: 7, onHand: 7, reserved: 0, available: 7, version: 1 });
    const down = await adjust(conn.db, { sku, ...at('A-01'), delta: -3, reason: 'damaged', reference: 'RMA-1' }, opts);
    expect(down).toMatchObject({ onHand: 4, available: 4, version: 2 });
    expect(await movesOf(conn, w, sku, before)).toEqual([
      { kind: 'adjustment', location: 'A-01', onHand: 7, reserved: 0, reason: 'found' },
      { kind: 'adjustment', location: 'A-01', onHand: -3, reserved: 0, reason: 'damaged' },
    ]);
  });

  it('cannot take reserved units: insufficient_stock with what is available, nothing written', async () => {
    const sku = w.skus[1];
    await stock(conn, w, sku, { 'A-01': 5 });
    await reserve(conn.db, { sku, qty: 3 }, opts);
    const fp = await fingerprint(conn, w);
    await expect(adjust(conn.db, { sku, ...at('A-01'), delta: -3, reason: 'lost' }, opts)).rejects.toMatchObject({
      type: 'insufficient_stock',
      details: { available: 2, onHand: 5, reserved: 3 },
    });
    await expect(adjust(conn.db, { sku, ...at('A-02'), delta: -1, reason: 'lost' }, opts)).rejects.toMatchObject({
      type: 'insufficient_stock',
      details: { available: 0 },
    });
    expect(await fingerprint(conn, w)).toEqual(fp);
    expect(await adjust(conn.db, { sku, ...at('A-01'), delta: -2, reason: 'lost' }, opts)).toMatchObject({ onHand: 3, available: 0 });
  });

  it('validates delta and reason', async () => {
    for (const [field, bad] of [
      ['delta', { delta: 0 }],
      ['delta', { delta: 1_000_001 }],
      ['delta', { delta: -1_000_001 }],
      ['delta', { delta: 0.5 }],
      ['reason', { reason: 'because' }],
    ] as const) {
      const base = { sku: w.skus[0], ...at('A-01'), delta: 1, reason: 'other' };
      await expect(adjust(conn.db, { ...base, ...bad } as never, opts)).rejects.toMatchObject({
        type: 'validation_failed',
        details: { fields: { [field]: expect.any(Array) } },
      });
    }
    await expect(adjust(conn.db, { sku: w.skus[0], ...at('Z-99'), delta: 1, reason: 'other' }, opts)).rejects.toMatchObject({ type: 'not_found' });
  });
});

describe('count', () => {
  it('sets on_hand to the counted figure when it is still what the counter saw; a matching count is recorded too', async () => {
    const sku = w.skus[2];
    await stock(conn, w, sku, { 'A-02': 10 });
    const before = await lastMoveId(conn);
    expect(await count(conn.db, { sku, ...at('A-02'), expected: 10, counted: 8 }, opts)).toMatchObject({ delta: -2, onHand: 8, version: 2 });
    expect(await count(conn.db, { sku, ...at('A-02'), expected: 8, counted: 8 }, opts)).toMatchObject({ delta: 0, onHand: 8, version: 3 });
    expect(await count(conn.db, { sku, ...at('PICK-01'), expected: 0, counted: 4 }, opts)).toMatchObject({ delta: 4, onHand: 4 });
    expect((await movesOf(conn, w, sku, before)).map((m) => [m.kind, m.location, m.onHand, m.reason])).toEqual([
      ['count', 'A-02', -2, 'cycle_count'],
      ['count', 'A-02', 0, 'cycle_count'],
      ['count', 'PICK-01', 4, 'cycle_count'],
    ]);
  });

  it('refuses a stale count with the current figure', async () => {
    const sku = w.skus[3];
    await stock(conn, w, sku, { 'A-01': 6 });
    const fp = await fingerprint(conn, w);
    await expect(count(conn.db, { sku, ...at('A-01'), expected: 5, counted: 4 }, opts)).rejects.toMatchObject({
      type: 'conflict',
      details: { current: 6, expected: 5 },
    });
    await expect(count(conn.db, { sku, ...at('A-02'), expected: 2, counted: 2 }, opts)).rejects.toMatchObject({
      type: 'conflict',
      details: { current: 0 },
    });
    expect(await fingerprint(conn, w)).toEqual(fp);
  });

  it('refuses a count below the reserved units, naming them', async () => {
    const sku = w.skus[4];
    await stock(conn, w, sku, { 'A-01': 6 });
    await reserve(conn.db, { sku, qty: 4 }, opts);
    const fp = await fingerprint(conn, w);
    await expect(count(conn.db, { sku, ...at('A-01'), expected: 6, counted: 3 }, opts)).rejects.toMatchObject({
      type: 'invalid_state',
      details: { reserved: 4, counted: 3 },
      message: expect.stringContaining('4 reserved'),
    });
    expect(await fingerprint(conn, w)).toEqual(fp);
    expect(await count(conn.db, { sku, ...at('A-01'), expected: 6, counted: 4 }, opts)).toMatchObject({ onHand: 4, available: 0 });
    await expect(count(conn.db, { sku, ...at('A-01'), expected: -1, counted: 4 }, opts)).rejects.toMatchObject({ type: 'validation_failed' });
  });
});

describe('transfer', () => {
  it('moves units between bins and across warehouses as one command', async () => {
    const sku = w.skus[5];
    await stock(conn, w, sku, { RECV: 10 });
    const before = await lastMoveId(conn);
    const t = await transfer(conn.db, { sku, from: at('RECV'), to: at('A-01'), qty: 6, reference: 'PUTAWAY-1' }, opts);
    expect(t).toMatchObject({ sku, qty: 6, from: { location: 'RECV', onHand: 4 }, to: { location: 'A-01', onHand: 6, available: 6 } });
    const x = await transfer(conn.db, { sku, from: at('A-01'), to: { warehouse: w2.warehouse, location: 'A-01' }, qty: 2 }, opts);
    expect(x).toMatchObject({ from: { onHand: 4 }, to: { warehouse: w2.warehouse, onHand: 2 } });
    expect((await movesOf(conn, w, sku, before)).map((m) => [m.kind, m.location, m.onHand])).toEqual([
      ['transfer_out', 'RECV', -6],
      ['transfer_in', 'A-01', 6],
      ['transfer_out', 'A-01', -2],
      ['transfer_in', 'A-01', 2],
    ]);
    expect(await ledgerMismatches(conn, [w.productIds[sku]])).toEqual([]);
  });

  it('cannot move reserved units, nor to the same place', async () => {
    const sku = w.skus[6];
    await stock(conn, w, sku, { 'A-02': 5 });
    await reserve(conn.db, { sku, qty: 4 }, opts);
    const fp = await fingerprint(conn, w);
    // The destination sorts first (lower id), so its change is applied before the source refuses: it must roll back.
    await expect(transfer(conn.db, { sku, from: at('A-02'), to: at('A-01'), qty: 2 }, opts)).rejects.toMatchObject({
      type: 'insufficient_stock',
      details: { available: 1, location: 'A-02' },
    });
    await expect(transfer(conn.db, { sku, from: at('A-02'), to: at('A-02'), qty: 1 }, opts)).rejects.toMatchObject({
      type: 'validation_failed',
      details: { fields: { to: expect.any(Array) } },
    });
    expect(await fingerprint(conn, w)).toEqual(fp);
    expect(await levelsOf(conn, w, sku)).toEqual({ 'A-02': { onHand: 5, reserved: 4 } });
  });

  it('rolls back the first half when the second is refused, also under an idempotency key', async () => {
    const sku = w.skus[7];
    await stock(conn, w, sku, { 'A-02': 1 });
    const input = { sku, from: at('A-02'), to: at('A-01'), qty: 2 };
    const keyed = { ...opts, idempotencyKey: `t-${sku}` };
    await expect(transfer(conn.db, input, keyed)).rejects.toMatchObject({ type: 'insufficient_stock' });
    await stock(conn, w, sku, { 'A-02': 5 });
    // The refusal is the stored answer for this key, even though the transfer would now succeed.
    await expect(transfer(conn.db, input, keyed)).rejects.toMatchObject({ type: 'insufficient_stock', details: { available: 1 } });
    expect(await levelsOf(conn, w, sku)).toEqual({ 'A-02': { onHand: 6, reserved: 0 } });
  });
});
