// Weeks of demo history, written through the core with its clock set back (CommandOptions.now, system actors only),
// so the ledger, levels and alerts agree and the charts and forecasts have something real to show on first start:
// each day an order of a few dozen products is allocated, picked and shipped; products are reordered when they
// get low and arrive after their lead time; a few are left unreplenished so the demo opens with alerts.
import { sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '@/db/client';
import { locations, purchaseOrderLines, purchaseOrders, stockLevels } from '@/db/schema';
import { availableSql } from '@/server/inventory/kernel/availability-rule';
import { rng } from './seed-data';
import { leadTimeDaysSql } from '@/server/inventory/read/lead-time';
import { systemActor } from '@/server/inventory/kernel/actor';
import { allocateOrder } from '@/server/inventory/commands/allocate-order';
import { pick } from '@/server/inventory/commands/pick';
import { receive } from '@/server/inventory/commands/receive';
import { shipOrder } from '@/server/inventory/commands/ship-order';

const s2 = alias(stockLevels, 's2');
const l2 = alias(locations, 'l2');

const DAY = 86_400_000;
const HOUR = 3_600_000;
export const HISTORY_DAYS = 30;
const ACTIVE_PRODUCTS = 24;
const CONCURRENCY = 4;
const ORDERS_PER_DAY = 4;

// Day d of the history (1 = the first, HISTORY_DAYS = yesterday) at an hour of that UTC day.
export function historyClock(now: number, days = HISTORY_DAYS) {
  const base = Math.floor(now / DAY) * DAY - days * DAY;
  return { at: (d: number, hours: number) => new Date(base + (d - 1) * DAY + hours * HOUR), opening: new Date(base - DAY + 8 * HOUR) };
}

type Active = {
  id: number;
  sku: string;
  threshold: number;
  reorderQty: number;
  lead: number;
  rate: number;
  available: number;
  home: { warehouse: string; warehouseId: number; bin: string };
  neglected: boolean;
  due: { day: number; qty: number } | null;
};

export async function seedHistory(db: Db, opts: { now: number; days?: number; log?: (s: string) => void }) {
  const days = opts.days ?? HISTORY_DAYS;
  const clock = historyClock(opts.now, days);
  const random = rng(11);
  const actor = systemActor('seed');
  const active = await chooseProducts(db, random);
  let picks = 0;
  let receipts = 0;
  for (let d = 1; d <= days; d++) {
    // Reorders placed earlier arrive first thing.
    const arriving = active.filter((p) => p.due?.day === d);
    await pool(arriving, CONCURRENCY, async (p) => {
      await receive(db, { sku: p.sku, warehouse: p.home.warehouse, location: p.home.bin, qty: p.due!.qty, reference: `PO-H${d}-${p.id}` }, { actor, now: clock.at(d, 7) });
      p.available += p.due!.qty;
      p.due = null;
      receipts++;
    });
    const lines = active
      .map((p) => ({ p, qty: Math.min(demand(p.rate, random), p.available) }))
      .filter((l) => l.qty > 0);
    for (const l of lines) l.p.available -= l.qty;
    // Several orders a day, picked side by side: a pick locks its order, so one big order would pick one line at a time.
    const orders = Array.from({ length: ORDERS_PER_DAY }, (_, k) => lines.filter((_, i) => i % ORDERS_PER_DAY === k)).filter((o) => o.length);
    await pool(orders.map((o, k) => ({ o, k })), CONCURRENCY, async ({ o, k }) => {
      const ref = `H-${d}-${k + 1}`;
      const order = await allocateOrder(db, { reference: ref, channel: 'history', lines: o.map((l) => ({ sku: l.p.sku, qty: l.qty })) }, { actor, now: clock.at(d, 9) });
      for (const line of order.lines) {
        for (const a of line.allocations) {
          await pick(db, { orderId: order.id, sku: line.sku, warehouse: a.warehouse, location: a.location, qty: a.qty }, { actor, now: clock.at(d, 10 + picks++ / 3600) });
        }
      }
      await shipOrder(db, { orderId: order.id }, { actor, now: clock.at(d, 15) });
    });
    // Reorder what will run low within its lead time; neglected products stop being reordered for the last ten days.
    for (const p of active) {
      if (p.due || (p.neglected && d > days - 10)) continue;
      if (p.available <= p.threshold + p.rate * p.lead) p.due = { day: d + Math.max(p.lead, 1), qty: Math.max(p.reorderQty, Math.ceil(p.rate * (p.lead + 14))) };
    }
  }
  const onOrder = await openPurchaseOrders(db, active, days, opts.now);
  opts.log?.(`seed: ${days} days of history for ${active.length} products: ${picks} picks, ${receipts} receipts, ${onOrder} reorders still on order`);
}

// Products with a pick bin; deterministic, so every demo starts alike.
async function chooseProducts(db: Db, random: () => number): Promise<Active[]> {
  const rows = (await db.execute(sql`
    SELECT p.id, p.sku, p.low_stock_threshold, p.reorder_qty, ${leadTimeDaysSql('p')} AS lead_time_days, w.code AS warehouse, w.id AS warehouse_id, l.code AS bin,
      (SELECT ${availableSql({ levels: s2, loc: l2 })} FROM stock_levels s2 JOIN locations l2 ON l2.id = s2.location_id
        WHERE s2.product_id = p.id) AS available
    FROM products p
    JOIN LATERAL (
      SELECT s.location_id FROM stock_levels s JOIN locations lx ON lx.id = s.location_id
      WHERE s.product_id = p.id AND lx.kind = 'pick' ORDER BY lx.warehouse_id, s.location_id LIMIT 1
    ) home ON true
    JOIN locations l ON l.id = home.location_id JOIN warehouses w ON w.id = l.warehouse_id
    ORDER BY p.id`)) as unknown as Record<string, unknown>[];
  // Spread over the catalogue, so some start scarce (their alerts get a velocity and a reorder) and most do not.
  const step = Math.max(Math.floor(rows.length / ACTIVE_PRODUCTS), 1);
  return rows
    .filter((_, i) => i % step === 0)
    .slice(0, ACTIVE_PRODUCTS)
    .map((r) => ({
      id: r.id as number,
      sku: r.sku as string,
      threshold: r.low_stock_threshold as number,
      reorderQty: r.reorder_qty as number,
      lead: r.lead_time_days as number,
      // Between half a unit and five units a day.
      rate: 0.5 + Math.round(random() * 45) / 10,
      available: r.available as number,
      home: { warehouse: r.warehouse as string, warehouseId: r.warehouse_id as number, bin: r.bin as string },
      neglected: random() < 0.25,
      due: null,
    }));
}

// A day's demand around the product's rate: the sum of ten draws, so most days sell something and some sell nothing.
function demand(rate: number, random: () => number): number {
  let n = 0;
  for (let i = 0; i < 10; i++) if (random() < rate / 10) n++;
  return n;
}

// Reorders not yet arrived become open purchase orders, due when their lead time ends.
async function openPurchaseOrders(db: Db, active: Active[], days: number, now: number): Promise<number> {
  const pending = active.filter((p) => p.due);
  for (const [i, p] of pending.entries()) {
    const expectedAt = new Date(now + (p.due!.day - days - 1) * DAY).toISOString().slice(0, 10);
    const [po] = await db
      .insert(purchaseOrders)
      .values({ reference: `PO-${3001 + i}`, warehouseId: p.home.warehouseId, supplier: ['Nordic Goods', 'Harbour Supply', 'Kiln & Co'][i % 3], expectedAt })
      .returning();
    await db.insert(purchaseOrderLines).values({ purchaseOrderId: po.id, productId: p.id, qtyExpected: p.due!.qty });
  }
  return pending.length;
}

async function pool<T>(items: T[], size: number, fn: (item: T) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}
