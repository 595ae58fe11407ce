import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { products, purchaseOrderLines, purchaseOrders } from '@/db/schema';
import { makeWorld, testConnection, uid, type World } from '@/server/testing/fixtures';
import { allocateOrder } from '../commands/allocate-order';
import { byUrgency, forecast, isoDate, type ForecastInput } from './forecast';
import { pick } from '../commands/pick';
import { alertReview } from './alert-review';
import { receive } from '../commands/receive';
import { opts } from '../test-support';

const DAY = 86_400_000;
const asOf = new Date('2026-03-01T12:00:00Z');
const base: ForecastInput = { available: 16, threshold: 5, picked: 84, windowDays: 28, leadTimeDays: 10, targetDays: 14, incoming: 10, reorderQty: 24, asOf };

describe('forecast arithmetic', () => {
  it('gives days of cover, the stock-out date, the risk flag and the suggested order', () => {
    const f = forecast(base);
    expect(f.velocity).toBe(3);
    expect(f.daysOfCover).toBeCloseTo(16 / 3, 10);
    // 5 days 8 hours after noon on 1 March.
    expect(f.stockoutDate).toBe('2026-03-06');
    // 16 + 10 on order last 8.7 days at 3 a day: less than the 10-day lead time.
    expect(f.atRisk).toBe(true);
    // Cover for 10 + 14 days is 72 units; 16 on the shelf and 10 on order leave 46 to order.
    expect(f.suggestedQty).toBe(46);
    expect(f.slackDays).toBeCloseTo(16 / 3 - 10, 10);
  });

  it('is not at risk exactly at the lead time, and counts an empty shelf as out today', () => {
    expect(forecast({ ...base, available: 20 }).atRisk).toBe(false);
    const out = forecast({ ...base, available: 0 });
    expect(out).toMatchObject({ daysOfCover: 0, stockoutDate: '2026-03-01', atRisk: true });
  });

  it('without picks in the window has no stock-out date and falls back to the reorder quantity once low', () => {
    const still = forecast({ ...base, picked: 0, available: 4 });
    expect(still).toMatchObject({ velocity: 0, daysOfCover: null, stockoutDate: null, atRisk: false, suggestedQty: 14, slackDays: null });
    expect(forecast({ ...base, picked: 0, available: 40 }).suggestedQty).toBe(0);
    expect(forecast({ ...base, picked: 0, available: 4, incoming: 30 }).suggestedQty).toBe(0);
  });

  it('uses the next purchase order arrival for the slack when stock is on order', () => {
    expect(forecast(base, 2).slackDays).toBeCloseTo(16 / 3 - 2, 10);
  });

  const input = fc.record({
    available: fc.integer({ min: 0, max: 5000 }),
    threshold: fc.integer({ min: 0, max: 500 }),
    picked: fc.integer({ min: 0, max: 20_000 }),
    windowDays: fc.integer({ min: 1, max: 365 }),
    leadTimeDays: fc.integer({ min: 0, max: 120 }),
    targetDays: fc.integer({ min: 0, max: 120 }),
    incoming: fc.integer({ min: 0, max: 5000 }),
    reorderQty: fc.integer({ min: 0, max: 1000 }),
  });

  it('always suggests enough to cover lead time and target days, and never a negative quantity', () => {
    fc.assert(
      fc.property(input, (i) => {
        const f = forecast({ ...i, asOf });
        expect(f.suggestedQty).toBeGreaterThanOrEqual(0);
        expect(Number.isInteger(f.suggestedQty)).toBe(true);
        if (i.picked > 0) {
          const cover = (i.available + i.incoming + f.suggestedQty) / f.velocity;
          expect(cover).toBeGreaterThanOrEqual(i.leadTimeDays + i.targetDays - 1e-9);
          // Not more than one unit over what the cover needs, unless stock already exceeds it.
          if (f.suggestedQty > 0) expect((i.available + i.incoming + f.suggestedQty - 1) / f.velocity).toBeLessThan(i.leadTimeDays + i.targetDays);
        }
      }),
    );
  });

  it('flags a risk exactly when stock and orders run out before the lead time', () => {
    fc.assert(
      fc.property(input, (i) => {
        const f = forecast({ ...i, asOf });
        const lasts = i.picked > 0 ? (i.available + i.incoming) / f.velocity : Infinity;
        // Away from the edge (where floating point could round either way) the flag must match the rule.
        if (lasts < i.leadTimeDays - 1e-6) expect(f.atRisk).toBe(true);
        if (lasts > i.leadTimeDays + 1e-6) expect(f.atRisk).toBe(false);
      }),
    );
  });

  it('orders by urgency: a bigger gap before new stock first, rows without velocity last', () => {
    const row = (available: number, picked: number, threshold = 5) => ({ available, threshold, forecast: forecast({ ...base, available, picked, incoming: 0 }) });
    const rows = [row(40, 0), row(30, 84), row(0, 10), row(12, 84), row(3, 0, 10)];
    expect(rows.sort(byUrgency).map((r) => [r.available, r.forecast.velocity])).toEqual([
      [0, 10 / 28],
      [12, 3],
      [30, 3],
      [3, 0],
      [40, 0],
    ]);
  });
});

describe('forecast on a known history', () => {
  const conn = testConnection();
  let w: World;
  beforeAll(async () => {
    w = await makeWorld(conn, { products: 1 });
  });
  afterAll(() => conn.close());

  it('reads velocity from the window of picks and lists the product at risk before it crosses its threshold', async () => {
    const sku = w.skus[0];
    await conn.db.update(products).set({ lowStockThreshold: 5, reorderQty: 24, leadTimeDays: 10 }).where(eq(products.sku, sku));
    const now = Date.now();
    const back = (days: number) => ({ ...opts, now: new Date(now - days * DAY) });
    const bin = { warehouse: w.warehouse, location: 'PICK-01' };
    await receive(conn.db, { sku, ...bin, qty: 110 }, back(40));
    // Outside the 28-day window: history, not velocity.
    const old = await allocateOrder(conn.db, { reference: `F-${uid()}`, lines: [{ sku, qty: 10 }] }, back(35));
    await pick(conn.db, { orderId: old.id, sku, ...bin, qty: 10 }, back(35));
    // 3 a day for the 28 days of the window: 84 units, so 3 a day.
    for (let d = 28; d >= 1; d--) {
      const o = await allocateOrder(conn.db, { reference: `F-${uid()}`, lines: [{ sku, qty: 3 }] }, back(d - 0.01));
      await pick(conn.db, { orderId: o.id, sku, ...bin, qty: 3 }, back(d - 0.02));
    }
    const due = isoDate(new Date(now + 20 * DAY));
    const [po] = await conn.db.insert(purchaseOrders).values({ reference: `PO-F-${uid()}`, warehouseId: w.warehouseId, supplier: 'Test', expectedAt: due }).returning();
    await conn.db.insert(purchaseOrderLines).values({ purchaseOrderId: po.id, productId: w.productIds[sku], qtyExpected: 12, qtyReceived: 2 });

    const at = new Date(now);
    const review = await alertReview(conn.db, { warehouse: w.warehouse, asOf: at });
    const row = review.rows.find((r) => r.sku === sku);
    expect(row).toMatchObject({ state: 'at_risk', alertId: null, available: 16, threshold: 5, picked: 84, incoming: 10, incomingDate: due });
    expect(row!.forecast.velocity).toBe(3);
    expect(row!.forecast.stockoutDate).toBe(isoDate(new Date(now + (16 / 3) * DAY)));
    expect(row!.forecast.suggestedQty).toBe(46);
    expect(review.summary.atRisk).toBeGreaterThanOrEqual(1);
    // A 7-day window sees 21 units: the same rate, the same date.
    const week = await alertReview(conn.db, { warehouse: w.warehouse, asOf: at, windowDays: 7, status: 'at_risk' });
    expect(week.rows.find((r) => r.sku === sku)).toMatchObject({ picked: 21, forecast: { velocity: 3, stockoutDate: row!.forecast.stockoutDate } });
  });
});
