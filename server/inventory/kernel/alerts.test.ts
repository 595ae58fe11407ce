import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertEvents, alerts, products } from '@/db/schema';
import { makeWorld, testConnection, type World } from '@/server/testing/fixtures';
import { adjust } from '../commands/adjust';
import { acknowledgeAlert, snoozeAlert } from '../commands/alert-actions';
import { allocateOrder } from '../commands/allocate-order';
import { alertKindFor } from './availability-rule';
import { pick } from '../commands/pick';
import { receive } from '../commands/receive';
import { release } from '../commands/release';
import { reserve } from '../commands/reserve';
import { opts, stock } from '../test-support';
import { setThreshold, setWarehouseThreshold } from '../commands/thresholds';

const conn = testConnection(20);
let w: World;
beforeAll(async () => {
  w = await makeWorld(conn, { products: 8 });
});
afterAll(() => conn.close());

const manager = { actor: { kind: 'user' as const, id: 'u-1', label: 'manager@onhand.test' } };
const at = (location: string) => ({ warehouse: w.warehouse, location });
const setDefault = (sku: string, threshold: number) => conn.db.update(products).set({ lowStockThreshold: threshold }).where(eq(products.sku, sku));

async function alertsOf(sku: string) {
  return conn.db
    .select()
    .from(alerts)
    .where(and(eq(alerts.productId, w.productIds[sku]), eq(alerts.warehouseId, w.warehouseId)))
    .orderBy(alerts.openedAt);
}
async function eventsOf(alertId: string) {
  return conn.db.select().from(alertEvents).where(eq(alertEvents.alertId, alertId)).orderBy(alertEvents.id);
}
async function availableOf(sku: string): Promise<number> {
  const [r] = (await conn.db.execute(sql`
    SELECT coalesce(sum(s.on_hand - s.reserved), 0)::int AS a FROM stock_levels s JOIN locations l ON l.id = s.location_id
    WHERE s.product_id = ${w.productIds[sku]} AND l.warehouse_id = ${w.warehouseId} AND l.sellable AND l.kind IN ('pick', 'storage')`)) as unknown as {
    a: number;
  }[];
  return r.a;
}

describe('alerts follow available inside the command', () => {
  it('opens exactly one alert on the way down and resolves it once on the way up, under concurrent picks and receipts', async () => {
    const sku = w.skus[0];
    await setDefault(sku, 10);
    await stock(conn, w, sku, { 'PICK-01': 20, 'A-01': 20 });
    // Ten orders hold 20 in PICK-01: available 20, above the threshold; their picks race with everything below.
    const orders: { id: string }[] = [];
    for (let i = 0; i < 10; i++) orders.push(await allocateOrder(conn.db, { reference: `AL-${sku}-${i}`, lines: [{ sku, qty: 2 }] }, opts));
    expect(await alertsOf(sku)).toEqual([]);
    const picks = (from: number, to: number) => orders.slice(from, to).map((o) => () => pick(conn.db, { orderId: o.id, sku, ...at('PICK-01'), qty: 2 }, opts));

    const holds: string[] = [];
    await Promise.all(
      [
        ...picks(0, 5),
        ...Array.from({ length: 8 }, () => async () => holds.push((await reserve(conn.db, { sku, qty: 1, warehouse: w.warehouse }, opts)).id)),
        ...Array.from({ length: 4 }, () => () => adjust(conn.db, { sku, ...at('A-01'), delta: -1, reason: 'damaged' }, opts)),
      ].map((f) => f()),
    );
    expect(await availableOf(sku)).toBe(8);
    const down = await alertsOf(sku);
    expect(down).toHaveLength(1);
    expect(down[0]).toMatchObject({ status: 'open', kind: 'low_stock', available: 8, threshold: 10 });
    expect((await eventsOf(down[0].id)).map((e) => e.action)).toEqual(['opened']);

    await Promise.all(
      [
        ...picks(5, 10),
        ...holds.map((id) => () => release(conn.db, { id }, opts)),
        ...Array.from({ length: 6 }, (_, i) => () => receive(conn.db, { sku, ...at(i % 2 ? 'A-01' : 'PICK-01'), qty: 1 }, opts)),
      ].map((f) => f()),
    );
    expect(await availableOf(sku)).toBe(22);
    const up = await alertsOf(sku);
    expect(up).toHaveLength(1);
    expect(up[0]).toMatchObject({ id: down[0].id, status: 'resolved', kind: 'low_stock' });
    // Resolved by whichever change first took it above the line; later changes leave a resolved alert alone.
    expect(up[0].available).toBeGreaterThan(10);
    expect((await eventsOf(up[0].id)).map((e) => e.action)).toEqual(['opened', 'resolved']);
  });

  it('judges the final figure when concurrent changes to different bins cross the line together', async () => {
    const sku = w.skus[1];
    await stock(conn, w, sku, { 'PICK-01': 6, 'A-01': 6 });
    await setDefault(sku, 10);
    // Each change alone leaves 10 (an alert) or 12 (none); only their sum tells, and it must be read after both.
    for (let round = 0; round < 12; round++) {
      const delta = round % 2 === 0 ? -1 : 1;
      await Promise.all(['PICK-01', 'A-01'].map((bin) => adjust(conn.db, { sku, ...at(bin), delta: 2 * delta, reason: 'correction' }, opts)));
      const available = await availableOf(sku);
      expect(available).toBe(round % 2 === 0 ? 8 : 12);
      const unresolved = (await alertsOf(sku)).filter((a) => a.status !== 'resolved');
      expect(unresolved.map((a) => a.kind)).toEqual(alertKindFor(available, 10) ? ['low_stock'] : []);
    }
    const all = await alertsOf(sku);
    expect(all).toHaveLength(6);
    expect(all.every((a) => a.status === 'resolved')).toBe(true);
  });

  it('keeps an acknowledged alert acknowledged through low, out and low again until it resolves', async () => {
    const sku = w.skus[2];
    await setDefault(sku, 5);
    await stock(conn, w, sku, { 'A-01': 10 });
    await adjust(conn.db, { sku, ...at('A-01'), delta: -6, reason: 'lost' }, opts);
    const [first] = await alertsOf(sku);
    expect(first).toMatchObject({ status: 'open', kind: 'low_stock', available: 4 });

    const ack = await acknowledgeAlert(conn.db, { alertId: first.id, note: 'PO-77 placed' }, manager);
    expect(ack).toMatchObject({ sku, warehouse: w.warehouse, status: 'acknowledged' });
    await expect(acknowledgeAlert(conn.db, { alertId: first.id }, manager)).rejects.toMatchObject({ type: 'invalid_state' });

    await adjust(conn.db, { sku, ...at('A-01'), delta: -4, reason: 'lost' }, opts);
    expect((await alertsOf(sku))[0]).toMatchObject({ id: first.id, status: 'acknowledged', kind: 'out_of_stock', available: 0 });
    await receive(conn.db, { sku, ...at('A-01'), qty: 3 }, opts);
    expect((await alertsOf(sku))[0]).toMatchObject({ id: first.id, status: 'acknowledged', kind: 'low_stock', available: 3, note: 'PO-77 placed' });
    await receive(conn.db, { sku, ...at('A-01'), qty: 10 }, opts);
    expect((await alertsOf(sku))[0]).toMatchObject({ id: first.id, status: 'resolved' });

    const history = await eventsOf(first.id);
    expect(history.map((e) => [e.action, e.kind, e.available, e.actor])).toEqual([
      ['opened', 'low_stock', 4, 'system:test'],
      ['acknowledged', 'low_stock', 4, 'user:manager@onhand.test'],
      ['kind_changed', 'out_of_stock', 0, 'system:test'],
      ['kind_changed', 'low_stock', 3, 'system:test'],
      ['resolved', 'low_stock', 13, 'system:test'],
    ]);
    expect(history[1].note).toBe('PO-77 placed');
    await expect(snoozeAlert(conn.db, { alertId: first.id, hours: 4 }, manager)).rejects.toMatchObject({ type: 'invalid_state' });

    // The next crossing is a new alert, open again.
    await adjust(conn.db, { sku, ...at('A-01'), delta: -12, reason: 'lost' }, opts);
    const after = await alertsOf(sku);
    expect(after).toHaveLength(2);
    expect(after[1]).toMatchObject({ status: 'open', kind: 'low_stock' });
    expect(after[1].id).not.toBe(first.id);
  });

  it('snoozes with a note, and running out ends the snooze', async () => {
    const sku = w.skus[3];
    await setDefault(sku, 5);
    await stock(conn, w, sku, { 'A-01': 4 });
    const [a] = await alertsOf(sku);
    const s = await snoozeAlert(conn.db, { alertId: a.id, hours: 24, note: 'supplier called' }, manager);
    expect(Date.parse(s.snoozedUntil!)).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    await adjust(conn.db, { sku, ...at('A-01'), delta: -1, reason: 'lost' }, opts);
    expect((await alertsOf(sku))[0].snoozedUntil).not.toBeNull();
    await adjust(conn.db, { sku, ...at('A-01'), delta: -3, reason: 'lost' }, opts);
    expect((await alertsOf(sku))[0]).toMatchObject({ kind: 'out_of_stock', status: 'open', snoozedUntil: null });
    const events = await eventsOf(a.id);
    expect(events.map((e) => e.action)).toEqual(['opened', 'snoozed', 'kind_changed']);
    expect(events[1]).toMatchObject({ note: 'supplier called', actor: 'user:manager@onhand.test' });
  });

  it('counts sellable locations only, and re-judges at once when a threshold or an override changes', async () => {
    const sku = w.skus[4];
    // Stock in receiving is not available to sell: out of stock until it is put away.
    await receive(conn.db, { sku, ...at('RECV'), qty: 30 }, opts);
    expect((await alertsOf(sku))[0]).toMatchObject({ kind: 'out_of_stock', available: 0 });
    await stock(conn, w, sku, { 'A-01': 12 });
    expect((await alertsOf(sku))[0]).toMatchObject({ status: 'resolved' });

    await setThreshold(conn.db, { sku, threshold: 15 }, manager);
    let open = (await alertsOf(sku)).filter((a) => a.status !== 'resolved');
    expect(open).toMatchObject([{ kind: 'low_stock', available: 12, threshold: 15 }]);
    expect((await eventsOf(open[0].id))[0].actor).toBe('user:manager@onhand.test');

    // An override for this warehouse wins over the default; clearing it brings the default back.
    await setWarehouseThreshold(conn.db, { sku, warehouse: w.warehouse, threshold: '5', reorderQty: '' }, manager);
    expect((await alertsOf(sku)).filter((a) => a.status !== 'resolved')).toEqual([]);
    await setWarehouseThreshold(conn.db, { sku, warehouse: w.warehouse, threshold: '' }, manager);
    open = (await alertsOf(sku)).filter((a) => a.status !== 'resolved');
    expect(open).toMatchObject([{ kind: 'low_stock', threshold: 15 }]);
  });

  it('backdates ledger and alert rows for system actors only', async () => {
    const sku = w.skus[5];
    await setDefault(sku, 3);
    const past = new Date(Date.now() - 10 * 86_400_000);
    const r = await receive(conn.db, { sku, ...at('A-01'), qty: 2 }, { ...opts, now: past });
    const [m] = (await conn.db.execute(sql`SELECT created_at FROM stock_movements WHERE id = ${r.movementId}`)) as unknown as { created_at: Date }[];
    expect(new Date(m.created_at).toISOString()).toBe(past.toISOString());
    expect((await alertsOf(sku))[0].openedAt.toISOString()).toBe(past.toISOString());

    const asUser = await adjust(conn.db, { sku, ...at('A-01'), delta: 1, reason: 'found' }, { ...manager, now: past });
    const [u] = (await conn.db.execute(sql`SELECT created_at FROM stock_movements WHERE id = ${asUser.movementId}`)) as unknown as { created_at: Date }[];
    expect(Date.now() - new Date(u.created_at).getTime()).toBeLessThan(60_000);
  });
});
