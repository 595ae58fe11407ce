// One product, warehouse by warehouse, for the manager's drill-down: its thresholds (default and override), its
// forecast, available and on hand per day, units picked per day, and its alerts with their history.
// Days are UTC days; figures per day are the levels at the end of that day, replayed from the ledger.
import { sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import type { Alert } from '@/db/schema';
import { notFound } from '../kernel/errors';
import { daysUntil, DEFAULT_TARGET_DAYS, DEFAULT_WINDOW_DAYS, forecast, isoDate } from './forecast';
import { sellableSql } from '../kernel/availability-rule';
import { toIso } from './stock-list';
import type { AlertEventItem, AlertHistoryItem, DayPoint, ProductDrilldown, WarehouseDrilldown } from '@/lib/contracts/alerts';

const DAY_MS = 86_400_000;
const ALERTS_SHOWN = 10;

export async function alertDrilldown(
  db: Executor,
  sku: string,
  q: { windowDays?: number; targetDays?: number; asOf?: Date } = {},
): Promise<ProductDrilldown> {
  const asOf = q.asOf ?? new Date();
  const windowDays = q.windowDays ?? DEFAULT_WINDOW_DAYS;
  const targetDays = q.targetDays ?? DEFAULT_TARGET_DAYS;
  const [p] = (await db.execute(sql`
    SELECT id, sku, name, low_stock_threshold, reorder_qty, lead_time_days FROM products WHERE sku = ${sku}`)) as unknown as Record<string, unknown>[];
  if (!p) throw notFound('sku', sku);
  const pid = p.id as number;
  const from = new Date(asOf.getTime() - windowDays * DAY_MS);
  const chartFrom = new Date(asOf.getTime() - Math.min(Math.max(windowDays + 14, 42), 180) * DAY_MS);
  const [figures, days, history] = await Promise.all([
    db.execute(sql`
      SELECT w.id, w.code, w.name, pws.low_stock_threshold AS t_override, pws.reorder_qty AS r_override,
        (SELECT coalesce(sum(s.on_hand - s.reserved), 0)::int FROM stock_levels s JOIN locations ON locations.id = s.location_id
          WHERE s.product_id = ${pid} AND locations.warehouse_id = w.id AND ${sellableSql()}) AS available,
        (SELECT coalesce(sum(-m.on_hand_delta), 0)::int FROM stock_movements m JOIN locations ON locations.id = m.location_id
          WHERE m.product_id = ${pid} AND locations.warehouse_id = w.id AND m.kind = 'pick'
            AND m.created_at >= ${from.toISOString()}::timestamptz AND m.created_at < ${asOf.toISOString()}::timestamptz) AS picked,
        (SELECT coalesce(sum(pol.qty_expected - pol.qty_received), 0)::int FROM purchase_order_lines pol
          JOIN purchase_orders po ON po.id = pol.purchase_order_id
          WHERE pol.product_id = ${pid} AND po.warehouse_id = w.id AND po.status = 'open' AND pol.qty_received < pol.qty_expected) AS incoming,
        (SELECT min(po.expected_at)::text FROM purchase_order_lines pol JOIN purchase_orders po ON po.id = pol.purchase_order_id
          WHERE pol.product_id = ${pid} AND po.warehouse_id = w.id AND po.status = 'open' AND pol.qty_received < pol.qty_expected) AS incoming_date
      FROM warehouses w
      LEFT JOIN product_warehouse_settings pws ON pws.product_id = ${pid} AND pws.warehouse_id = w.id
      ORDER BY w.code`) as unknown as Promise<Record<string, unknown>[]>,
    dailySeries(db, pid, chartFrom, asOf),
    alertHistory(db, pid),
  ]);
  const product = {
    id: pid,
    sku: p.sku as string,
    name: p.name as string,
    threshold: p.low_stock_threshold as number,
    reorderQty: p.reorder_qty as number,
    leadTimeDays: p.lead_time_days as number,
  };
  const warehouses = figures.map((r): WarehouseDrilldown => {
    const tOverride = (r.t_override as number | null) ?? null;
    const rOverride = (r.r_override as number | null) ?? null;
    const threshold = tOverride ?? product.threshold;
    const reorderQty = rOverride ?? product.reorderQty;
    const incoming = r.incoming as number;
    const incomingDate = (r.incoming_date as string | null) ?? null;
    const f = forecast(
      { available: r.available as number, threshold, picked: r.picked as number, windowDays, leadTimeDays: product.leadTimeDays, targetDays, incoming, reorderQty, asOf },
      incoming > 0 ? daysUntil(incomingDate, asOf) : null,
    );
    return {
      code: r.code as string,
      name: r.name as string,
      threshold,
      thresholdOverride: tOverride,
      reorderQty,
      reorderOverride: rOverride,
      available: r.available as number,
      picked: r.picked as number,
      incoming,
      incomingDate,
      forecast: f,
      days: days.get(r.id as number) ?? [],
      alerts: history.get(r.id as number) ?? [],
    };
  });
  return { product, asOf: asOf.toISOString(), windowDays, targetDays, warehouses };
}

// Per warehouse and UTC day: available (sellable) and on hand (every bin) at the day's end, and units picked.
async function dailySeries(db: Executor, pid: number, from: Date, to: Date): Promise<Map<number, DayPoint[]>> {
  const rows = (await db.execute(sql`
    WITH m AS (
      SELECT locations.warehouse_id, (m.created_at AT TIME ZONE 'UTC')::date AS day,
        CASE WHEN ${sellableSql()} THEN m.on_hand_delta - m.reserved_delta ELSE 0 END AS d_av,
        m.on_hand_delta AS d_on,
        CASE WHEN m.kind = 'pick' THEN -m.on_hand_delta ELSE 0 END AS picked
      FROM stock_movements m JOIN locations ON locations.id = m.location_id
      WHERE m.product_id = ${pid}
    ), days AS (
      SELECT d::date AS day FROM generate_series(${isoDate(from)}::date, ${isoDate(to)}::date, interval '1 day') d
    ), start AS (
      SELECT warehouse_id, sum(d_av) AS av, sum(d_on) AS oh FROM m WHERE day < ${isoDate(from)}::date GROUP BY 1
    ), daily AS (
      SELECT warehouse_id, day, sum(d_av) AS av, sum(d_on) AS oh, sum(picked) AS picked FROM m
      WHERE day >= ${isoDate(from)}::date GROUP BY 1, 2
    ), whs AS (SELECT DISTINCT warehouse_id FROM m)
    SELECT whs.warehouse_id, days.day::text AS day,
      (coalesce(start.av, 0) + sum(coalesce(daily.av, 0)) OVER w)::int AS available,
      (coalesce(start.oh, 0) + sum(coalesce(daily.oh, 0)) OVER w)::int AS on_hand,
      coalesce(daily.picked, 0)::int AS picked
    FROM whs CROSS JOIN days
    LEFT JOIN start ON start.warehouse_id = whs.warehouse_id
    LEFT JOIN daily ON daily.warehouse_id = whs.warehouse_id AND daily.day = days.day
    WINDOW w AS (PARTITION BY whs.warehouse_id ORDER BY days.day)
    ORDER BY whs.warehouse_id, days.day`)) as unknown as { warehouse_id: number; day: string; available: number; on_hand: number; picked: number }[];
  const out = new Map<number, DayPoint[]>();
  for (const r of rows) {
    const list = out.get(r.warehouse_id) ?? [];
    list.push({ day: r.day, available: r.available, onHand: r.on_hand, picked: r.picked });
    out.set(r.warehouse_id, list);
  }
  return out;
}

async function alertHistory(db: Executor, pid: number): Promise<Map<number, AlertHistoryItem[]>> {
  const rows = (await db.execute(sql`
    SELECT a.id, a.warehouse_id, a.kind, a.status, a.opened_at, a.resolved_at, a.snoozed_until,
      coalesce((SELECT json_agg(json_build_object('action', e.action, 'kind', e.kind, 'available', e.available,
          'threshold', e.threshold, 'note', e.note, 'actor', e.actor, 'at', e.created_at, 'snoozedUntil', e.snoozed_until) ORDER BY e.id)
        FROM alert_events e WHERE e.alert_id = a.id), '[]'::json) AS events,
      row_number() OVER (PARTITION BY a.warehouse_id ORDER BY a.opened_at DESC) AS n
    FROM alerts a WHERE a.product_id = ${pid}
    ORDER BY a.warehouse_id, a.opened_at DESC`)) as unknown as Record<string, unknown>[];
  const out = new Map<number, AlertHistoryItem[]>();
  for (const r of rows) {
    if (Number(r.n) > ALERTS_SHOWN) continue;
    const list = out.get(r.warehouse_id as number) ?? [];
    list.push({
      id: r.id as string,
      kind: r.kind as Alert['kind'],
      status: r.status as Alert['status'],
      openedAt: toIso(r.opened_at)!,
      resolvedAt: toIso(r.resolved_at),
      snoozedUntil: toIso(r.snoozed_until),
      events: (r.events as (Omit<AlertEventItem, 'at' | 'snoozedUntil'> & { at: string; snoozedUntil: string | null })[]).map((e) => ({
        ...e,
        at: toIso(e.at)!,
        snoozedUntil: toIso(e.snoozedUntil),
      })),
    });
    out.set(r.warehouse_id as number, list);
  }
  return out;
}
