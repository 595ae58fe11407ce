// The review at scale, on a small world: keyset pages hold every row exactly once in the urgency order (ties broken
// the same way every time), filters and counts agree with the rows, and the bulk commands change exactly the alerts
// they were given or that match, once per idempotency key.
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertEvents, alerts, products } from '@/db/schema';
import { makeWorld, testConnection, uid, type World } from '@/server/testing/fixtures';
import { acknowledgeAlerts, snoozeAlerts } from '../commands/bulk-alert-actions';
import { allocateOrder } from '../commands/allocate-order';
import { pick } from '../commands/pick';
import { receive } from '../commands/receive';
import { reserve } from '../commands/reserve';
import { opts } from '../test-support';
import { alertCounts, alertReview, reviewBatches } from './alert-review';
import { byUrgency } from './forecast';
import type { ReviewRow } from '@/lib/contracts/alerts';

const DAY = 86_400_000;
const conn = testConnection();
const manager = { actor: { kind: 'user' as const, id: 'u-2', label: 'manager@onhand.test' } };
let w: World;
let other: World;
const bin = () => ({ warehouse: w.warehouse, location: 'PICK-01' });

// 10 low alerts with the same figures (ties), 3 out of stock, 2 projected to run out within lead time without an
// alert, and 2 in stock that must not be listed; plus one low alert in another warehouse.
beforeAll(async () => {
  w = await makeWorld(conn, { products: 17 });
  other = await makeWorld(conn, { products: 1 });
  await conn.db.update(products).set({ lowStockThreshold: 20 }).where(inArray(products.sku, w.skus.slice(0, 13)));
  for (const sku of w.skus.slice(0, 10)) await receive(conn.db, { sku, ...bin(), qty: 5 }, opts);
  for (const sku of w.skus.slice(10, 13)) {
    await receive(conn.db, { sku, ...bin(), qty: 3 }, opts);
    await reserve(conn.db, { sku, qty: 3, warehouse: w.warehouse, reference: `cart-${uid()}`, ttlSeconds: 3600 }, opts);
  }
  const now = Date.now();
  for (const sku of w.skus.slice(13, 15)) {
    await conn.db.update(products).set({ leadTimeDays: 30, lowStockThreshold: 1 }).where(eq(products.sku, sku));
    await receive(conn.db, { sku, ...bin(), qty: 100 }, { ...opts, now: new Date(now - 3 * DAY) });
    const o = await allocateOrder(conn.db, { reference: `SO-${uid()}`, lines: [{ sku, qty: 90 }] }, { ...opts, now: new Date(now - 2 * DAY) });
    await pick(conn.db, { orderId: o.id, sku, ...bin(), qty: 90 }, { ...opts, now: new Date(now - 2 * DAY) });
  }
  for (const sku of w.skus.slice(15)) await receive(conn.db, { sku, ...bin(), qty: 50 }, opts);
  await conn.db.update(products).set({ lowStockThreshold: 20 }).where(eq(products.sku, other.skus[0]));
  await receive(conn.db, { sku: other.skus[0], warehouse: other.warehouse, location: 'PICK-01', qty: 5 }, opts);
});
afterAll(() => conn.close());

async function walk(q: Parameters<typeof alertReview>[1], limit: number): Promise<ReviewRow[]> {
  const out: ReviewRow[] = [];
  let after: string | undefined;
  for (let i = 0; i < 50; i++) {
    const page = await alertReview(conn.db, { ...q, after, limit });
    expect(page.rows.length).toBeLessThanOrEqual(limit);
    out.push(...page.rows);
    if (!page.next) return out;
    after = page.next;
  }
  throw new Error('paging did not end');
}

describe('the paged review', () => {
  it('lists every row exactly once across pages, most urgent first, ties in one fixed order', async () => {
    const asOf = new Date();
    const all = await alertReview(conn.db, { warehouse: w.warehouse, asOf, limit: 200 });
    expect(all.rows).toHaveLength(15);
    expect(all.summary).toMatchObject({ alerts: 13, out: 3, low: 10, atRisk: 2, attention: 13, total: 15 });
    expect(all.next).toBeNull();
    // The SQL order is forecast.ts's: each row is at least as urgent as the next.
    for (let i = 1; i < all.rows.length; i++) expect(byUrgency(all.rows[i - 1], all.rows[i])).toBeLessThanOrEqual(0);
    // Running out in days with a 30-day lead time beats out of stock with a 7-day one; the tied low ones come last.
    expect(all.rows.slice(0, 5).map((r) => r.kind ?? r.state)).toEqual(['at_risk', 'at_risk', 'out_of_stock', 'out_of_stock', 'out_of_stock']);

    for (const limit of [1, 4, 7]) {
      const rows = await walk({ warehouse: w.warehouse, asOf }, limit);
      expect(rows.map((r) => r.key)).toEqual(all.rows.map((r) => r.key));
    }
    // The ten tied low alerts come in product order, every time.
    const tied = all.rows.filter((r) => r.kind === 'low_stock').map((r) => r.productId);
    expect(tied).toEqual([...tied].sort((a, b) => a - b));
    // The export's batches are the same walk.
    const batches: ReviewRow[] = [];
    for await (const b of reviewBatches(conn.db, { warehouse: w.warehouse, asOf }, 4)) batches.push(...b);
    expect(batches.map((r) => r.key)).toEqual(all.rows.map((r) => r.key));
  });

  it('filters by urgency, status and search, and counts the whole filter', async () => {
    const out = await alertReview(conn.db, { warehouse: w.warehouse, urgency: 'out' });
    expect(out.rows.map((r) => r.sku).sort()).toEqual(w.skus.slice(10, 13).sort());
    expect(out.summary).toMatchObject({ alerts: 3, out: 3, low: 0, total: 3 });
    const lead = await alertReview(conn.db, { warehouse: w.warehouse, urgency: 'lead_time' });
    expect(lead.rows.map((r) => r.sku).sort()).toEqual(w.skus.slice(13, 15).sort());
    expect(lead.rows.every((r) => r.state === 'at_risk' && r.forecast.atRisk)).toBe(true);
    const low = await alertReview(conn.db, { warehouse: w.warehouse, urgency: 'low', status: 'at_risk' });
    expect(low.rows).toEqual([]);
    expect(low.summary).toMatchObject({ low: 10, total: 0 });
    const one = await alertReview(conn.db, { q: w.skus[3].toLowerCase() });
    expect(one.rows.map((r) => r.sku)).toEqual([w.skus[3]]);
    const byName = await alertReview(conn.db, { warehouse: w.warehouse, q: `product ${w.skus[11]}` });
    expect(byName.rows.map((r) => r.sku)).toEqual([w.skus[11]]);
    // Another warehouse's alert is not in this one's list, and is in the unfiltered one.
    const everywhere = await walk({ q: other.skus[0] }, 50);
    expect(everywhere.map((r) => r.warehouse)).toEqual([other.warehouse]);
  });
});

describe('bulk acknowledge and snooze', () => {
  const eventsOf = async (ids: string[]) => conn.db.select().from(alertEvents).where(inArray(alertEvents.alertId, ids));

  it('acknowledges the chosen alerts in one command, once per idempotency key, and says how many changed', async () => {
    const page = await alertReview(conn.db, { warehouse: w.warehouse, urgency: 'low', limit: 3 });
    const ids = page.rows.map((r) => r.alertId!);
    const key = `bulk-${uid()}`;
    const first = await acknowledgeAlerts(conn.db, { alertIds: ids, note: 'ordered' }, { ...manager, idempotencyKey: key });
    expect(first).toEqual({ matched: 3, changed: 3 });
    const again = await acknowledgeAlerts(conn.db, { alertIds: ids, note: 'ordered' }, { ...manager, idempotencyKey: key });
    expect(again).toEqual(first);
    expect((await eventsOf(ids)).filter((e) => e.action === 'acknowledged')).toHaveLength(3);
    // A new request finds them acknowledged already: nothing changes.
    expect(await acknowledgeAlerts(conn.db, { alertIds: ids }, manager)).toEqual({ matched: 3, changed: 0 });
    const rows = await conn.db.select().from(alerts).where(inArray(alerts.id, ids));
    expect(rows.every((r) => r.status === 'acknowledged' && r.acknowledgedBy === 'user:manager@onhand.test' && r.note === 'ordered')).toBe(true);
    const counts = await alertCounts(conn.db, { warehouse: w.warehouse });
    expect(counts.summary).toMatchObject({ acknowledged: 3, attention: 10 });
  });

  it('snoozes every alert matching a filter, and only those', async () => {
    const before = await conn.db.select().from(alerts).where(eq(alerts.productId, other.productIds[other.skus[0]]));
    const r = await snoozeAlerts(conn.db, { filter: { warehouse: w.warehouse, urgency: 'out' }, hours: 4 }, manager);
    expect(r).toEqual({ matched: 3, changed: 3 });
    const snoozed = await alertReview(conn.db, { warehouse: w.warehouse, status: 'snoozed' });
    expect(snoozed.rows.map((x) => x.sku).sort()).toEqual(w.skus.slice(10, 13).sort());
    // The low alerts of this warehouse and the other warehouse's alert are untouched.
    const after = await conn.db.select().from(alerts).where(eq(alerts.productId, other.productIds[other.skus[0]]));
    expect(after).toEqual(before);
    const stillOpen = await alertReview(conn.db, { warehouse: w.warehouse, status: 'attention' });
    expect(stillOpen.rows.every((x) => x.kind === 'low_stock')).toBe(true);
  });

  it('refuses a request with neither ids nor a filter, or bad ids, and changes nothing', async () => {
    await expect(acknowledgeAlerts(conn.db, {}, manager)).rejects.toMatchObject({ type: 'validation_failed' });
    await expect(acknowledgeAlerts(conn.db, { alertIds: ['nope'] }, manager)).rejects.toMatchObject({ type: 'validation_failed' });
    await expect(snoozeAlerts(conn.db, { alertIds: [], hours: 4 }, manager)).rejects.toMatchObject({ type: 'validation_failed' });
    const open = await conn.db.select().from(alerts).where(and(eq(alerts.warehouseId, w.warehouseId), eq(alerts.status, 'open')));
    expect(open.length).toBe(10);
  });
});
