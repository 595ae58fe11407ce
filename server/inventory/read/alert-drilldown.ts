// One product, warehouse by warehouse, for the manager's drill-down: its thresholds (default and override), its
// forecast, available and on hand per day, units picked per day, and its alerts with their history.
// Days are UTC days; figures per day are the levels at the end of that day, replayed from the ledger.
import '#server-only';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { alertEvents, alerts, locations, products, stockLevels, stockMovements, type Alert } from '@/db/schema';
import { notFound } from '../kernel/errors';
import { daysUntil, DEFAULT_TARGET_DAYS, DEFAULT_WINDOW_DAYS, forecast, isoDate } from './forecast';
import { availableSql, sellableSql } from '../kernel/availability-rule';
import { l, m, po, pol, pws, s, w } from './aliases';
import { dueLines } from './incoming';
import { leadTimeDaysSql } from './lead-time';
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
  const [product] = await db
    .select({
      id: products.id,
      sku: products.sku,
      name: products.name,
      threshold: products.lowStockThreshold,
      reorderQty: products.reorderQty,
      leadTimeDays: leadTimeDaysSql('products'),
    })
    .from(products)
    .where(eq(products.sku, sku));
  if (!product) throw notFound('sku', sku);
  const pid = product.id;
  const from = new Date(asOf.getTime() - windowDays * DAY_MS);
  const chartFrom = new Date(asOf.getTime() - Math.min(Math.max(windowDays + 14, 42), 180) * DAY_MS);
  const due = sql`${dueLines} WHERE ${pol.productId} = ${pid} AND ${po.warehouseId} = ${w.id}`;
  const [figures, days, history] = await Promise.all([
    db
      .select({
        id: w.id,
        code: w.code,
        name: w.name,
        thresholdOverride: pws.lowStockThreshold,
        reorderOverride: pws.reorderQty,
        available: sql<number>`(SELECT ${availableSql({ levels: s, loc: l })} FROM ${stockLevels} ${s} JOIN ${locations} ${l} ON ${l.id} = ${s.locationId}
          WHERE ${s.productId} = ${pid} AND ${l.warehouseId} = ${w.id})`,
        picked: sql<number>`(SELECT coalesce(sum(-${m.onHandDelta}), 0)::int FROM ${stockMovements} ${m} JOIN ${locations} ${l} ON ${l.id} = ${m.locationId}
          WHERE ${m.productId} = ${pid} AND ${l.warehouseId} = ${w.id} AND ${m.kind} = 'pick'
            AND ${m.createdAt} >= ${from.toISOString()}::timestamptz AND ${m.createdAt} < ${asOf.toISOString()}::timestamptz)`,
        incoming: sql<number>`(SELECT coalesce(sum(${pol.qtyExpected} - ${pol.qtyReceived}), 0)::int FROM ${due})`,
        incomingDate: sql<string | null>`(SELECT min(${po.expectedAt})::text FROM ${due})`,
      })
      .from(w)
      .leftJoin(pws, and(eq(pws.productId, pid), eq(pws.warehouseId, w.id)))
      .orderBy(asc(w.code)),
    dailySeries(db, pid, chartFrom, asOf),
    alertHistory(db, pid),
  ]);
  const warehouses = figures.map((r): WarehouseDrilldown => {
    const threshold = r.thresholdOverride ?? product.threshold;
    const reorderQty = r.reorderOverride ?? product.reorderQty;
    const f = forecast(
      { available: r.available, threshold, picked: r.picked, windowDays, leadTimeDays: product.leadTimeDays, targetDays, incoming: r.incoming, reorderQty, asOf },
      r.incoming > 0 ? daysUntil(r.incomingDate, asOf) : null,
    );
    return {
      code: r.code,
      name: r.name,
      threshold,
      thresholdOverride: r.thresholdOverride,
      reorderQty,
      reorderOverride: r.reorderOverride,
      available: r.available,
      picked: r.picked,
      incoming: r.incoming,
      incomingDate: r.incomingDate,
      forecast: f,
      days: days.get(r.id) ?? [],
      alerts: history.get(r.id) ?? [],
    };
  });
  return { product, asOf: asOf.toISOString(), windowDays, targetDays, warehouses };
}

// Per warehouse and UTC day: available (sellable) and on hand (every bin) at the day's end, and units picked.
async function dailySeries(db: Executor, pid: number, from: Date, to: Date): Promise<Map<number, DayPoint[]>> {
  const rows = await db.execute<{ warehouse_id: number; day: string; available: number; on_hand: number; picked: number }>(sql`
    WITH m AS (
      SELECT ${l.warehouseId} AS warehouse_id, (${m.createdAt} AT TIME ZONE 'UTC')::date AS day,
        CASE WHEN ${sellableSql(l)} THEN ${m.onHandDelta} - ${m.reservedDelta} ELSE 0 END AS d_av,
        ${m.onHandDelta} AS d_on,
        CASE WHEN ${m.kind} = 'pick' THEN -${m.onHandDelta} ELSE 0 END AS picked
      FROM ${stockMovements} ${m} JOIN ${locations} ${l} ON ${l.id} = ${m.locationId}
      WHERE ${m.productId} = ${pid}
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
    ORDER BY whs.warehouse_id, days.day`);
  const out = new Map<number, DayPoint[]>();
  for (const r of rows) {
    const list = out.get(r.warehouse_id) ?? [];
    list.push({ day: r.day, available: r.available, onHand: r.on_hand, picked: r.picked });
    out.set(r.warehouse_id, list);
  }
  return out;
}

type HistoryRow = {
  id: string;
  warehouse_id: number;
  kind: Alert['kind'];
  status: Alert['status'];
  opened_at: string;
  resolved_at: string | null;
  snoozed_until: string | null;
  events: AlertEventItem[];
  // row_number() is a bigint, which the driver returns as text.
  n: string;
};

async function alertHistory(db: Executor, pid: number): Promise<Map<number, AlertHistoryItem[]>> {
  const e = alertEvents;
  const rows = await db.execute<HistoryRow>(sql`
    SELECT ${alerts.id} AS id, ${alerts.warehouseId} AS warehouse_id, ${alerts.kind} AS kind, ${alerts.status} AS status,
      ${alerts.openedAt} AS opened_at, ${alerts.resolvedAt} AS resolved_at, ${alerts.snoozedUntil} AS snoozed_until,
      coalesce((SELECT json_agg(json_build_object('action', ${e.action}, 'kind', ${e.kind}, 'available', ${e.available},
          'threshold', ${e.threshold}, 'note', ${e.note}, 'actor', ${e.actor}, 'at', ${e.createdAt}, 'snoozedUntil', ${e.snoozedUntil}) ORDER BY ${e.id})
        FROM ${e} WHERE ${e.alertId} = ${alerts.id}), '[]'::json) AS events,
      row_number() OVER (PARTITION BY ${alerts.warehouseId} ORDER BY ${alerts.openedAt} DESC) AS n
    FROM ${alerts} WHERE ${alerts.productId} = ${pid}
    ORDER BY ${alerts.warehouseId}, ${alerts.openedAt} DESC`);
  const out = new Map<number, AlertHistoryItem[]>();
  for (const r of rows) {
    if (Number(r.n) > ALERTS_SHOWN) continue;
    const list = out.get(r.warehouse_id) ?? [];
    list.push({
      id: r.id,
      kind: r.kind,
      status: r.status,
      openedAt: toIso(r.opened_at)!,
      resolvedAt: toIso(r.resolved_at),
      snoozedUntil: toIso(r.snoozed_until),
      // json_build_object writes times in its own format; the contract's are ISO strings.
      events: r.events.map((ev) => ({ ...ev, at: toIso(ev.at)!, snoozedUntil: toIso(ev.snoozedUntil) })),
    });
    out.set(r.warehouse_id, list);
  }
  return out;
}
