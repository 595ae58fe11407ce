import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { products } from '@/db/schema';
import { makeWorld, testConnection, uid, type World } from '@/server/testing/fixtures';
import { acknowledgeAlert } from '../commands/alert-actions';
import { allocateOrder } from '../commands/allocate-order';
import { isoDate } from './forecast';
import { pick } from '../commands/pick';
import { receive } from '../commands/receive';
import { reserve } from '../commands/reserve';
import { opts } from '../test-support';
import { alertDrilldown } from './alert-drilldown';
import { alertReview, attentionCount } from './alert-review';
import { whyAvailable } from './why-available';

const DAY = 86_400_000;
const conn = testConnection();
let w: World;
beforeAll(async () => {
  w = await makeWorld(conn, { products: 2 });
});
afterAll(() => conn.close());

const manager = { actor: { kind: 'user' as const, id: 'u-2', label: 'manager@onhand.test' } };

describe('alert reads', () => {
  it('explains available with sellable bins, holds with their owners, and the last movements', async () => {
    const sku = w.skus[0];
    const at = (location: string) => ({ warehouse: w.warehouse, location });
    await receive(conn.db, { sku, ...at('PICK-01'), qty: 8 }, opts);
    await receive(conn.db, { sku, ...at('A-01'), qty: 5 }, opts);
    await receive(conn.db, { sku, ...at('RECV'), qty: 4 }, opts);
    const order = await allocateOrder(conn.db, { reference: `SO-W-${uid()}`, lines: [{ sku, qty: 3 }] }, opts);
    const cart = await reserve(conn.db, { sku, qty: 2, warehouse: w.warehouse, reference: 'cart-42', ttlSeconds: 600 }, opts);

    const why = await whyAvailable(conn.db, sku);
    const here = why.warehouses.find((x) => x.code === w.warehouse)!;
    expect(here).toMatchObject({ available: 8, sellableOnHand: 13, sellableReserved: 5, notSellableOnHand: 4 });
    expect(here.bins.map((b) => [b.location, b.sellable, b.onHand, b.reserved])).toEqual([
      ['PICK-01', true, 8, 5],
      ['A-01', true, 5, 0],
      ['RECV', false, 4, 0],
    ]);
    expect(here.holds.map((h) => [h.owner, h.reference, h.qty, h.location, h.expiresAt === null])).toEqual(
      expect.arrayContaining([
        ['order', order.reference, 3, 'PICK-01', true],
        ['cart', 'cart-42', 2, 'PICK-01', false],
      ]),
    );
    expect(here.moves[0]).toMatchObject({ kind: 'reservation', reservedDelta: 2, reference: 'cart-42' });
    expect(here.moves.map((m) => m.kind)).toContain('allocation');
    expect(cart.id).toBeTruthy();
  });

  it('draws a day-by-day series, velocity and alert history for the drill-down', async () => {
    const sku = w.skus[1];
    await conn.db.update(products).set({ lowStockThreshold: 6, leadTimeDays: 5 }).where(eq(products.sku, sku));
    const now = Date.now();
    const back = (days: number) => ({ ...opts, now: new Date(now - days * DAY) });
    const bin = { warehouse: w.warehouse, location: 'PICK-01' };
    await receive(conn.db, { sku, ...bin, qty: 20 }, back(10));
    for (const d of [4, 2]) {
      const o = await allocateOrder(conn.db, { reference: `SO-D-${uid()}`, lines: [{ sku, qty: 7 }] }, back(d));
      await pick(conn.db, { orderId: o.id, sku, ...bin, qty: 7 }, back(d));
    }
    const [alert] = (await alertReview(conn.db, { warehouse: w.warehouse })).rows.filter((r) => r.sku === sku);
    expect(alert).toMatchObject({ state: 'open', kind: 'low_stock', available: 6, picked: 14 });
    const before = await attentionCount(conn.db);
    await acknowledgeAlert(conn.db, { alertId: alert.alertId!, note: 'on it' }, manager);
    expect(await attentionCount(conn.db)).toBe(before - 1);

    const d = await alertDrilldown(conn.db, sku, { asOf: new Date(now) });
    const here = d.warehouses.find((x) => x.code === w.warehouse)!;
    expect(here).toMatchObject({ available: 6, threshold: 6, thresholdOverride: null, picked: 14 });
    expect(here.forecast.velocity).toBe(0.5);
    const day = (n: number) => here.days.find((p) => p.day === isoDate(new Date(now - n * DAY)))!;
    expect(day(10)).toMatchObject({ available: 20, onHand: 20, picked: 0 });
    // A pick moves units to the shipping bin: on hand in the warehouse stays, available (sellable) drops.
    expect(day(4)).toMatchObject({ available: 13, onHand: 20, picked: 7 });
    expect(day(2)).toMatchObject({ available: 6, picked: 7 });
    expect(here.days[here.days.length - 1]).toMatchObject({ day: isoDate(new Date(now)), available: 6 });
    expect(here.alerts).toHaveLength(1);
    expect(here.alerts[0].events.map((e) => [e.action, e.note])).toEqual([
      ['opened', null],
      ['acknowledged', 'on it'],
    ]);
  });
});
