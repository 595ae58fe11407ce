// The manager's review: every unresolved alert and every product projected to run out within its lead time, per
// warehouse, with its forecast, most urgent first. One statement gathers the figures (available from sellable
// locations, picks in the window, what is due on open purchase orders); forecast.ts does the arithmetic.
import '#server-only';
import { and, count, eq, isNull, lte, or, sql, type SQLWrapper } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '@/db/client';
import { alerts, locations, productWarehouseSettings, products, stockLevels, stockMovements, warehouses, type Alert } from '@/db/schema';
import { byUrgency, daysUntil, DEFAULT_TARGET_DAYS, DEFAULT_WINDOW_DAYS, forecast } from './forecast';
import { availableSql } from '../kernel/availability-rule';
import { l, m, p, po, pol, pws, s, w } from './aliases';
import { dueLines } from './incoming';
import { leadTimeDaysSql } from './lead-time';
import { warehouseList } from './warehouses';
import { toIso } from './stock-list';
import type { AlertReview, ReviewQuery, ReviewRow, ReviewStatus, ReviewSummary, RowState } from '@/lib/contracts/alerts';

const RESOLVED_DAYS = 30;
const DAY_MS = 86_400_000;

export async function alertReview(db: Executor, q: ReviewQuery = {}): Promise<AlertReview> {
  const asOf = q.asOf ?? new Date();
  const windowDays = q.windowDays ?? DEFAULT_WINDOW_DAYS;
  const targetDays = q.targetDays ?? DEFAULT_TARGET_DAYS;
  const status = q.status ?? 'active';
  const base = { asOf, windowDays, targetDays, warehouse: q.warehouse };
  const [active, resolved, whs] = await Promise.all([
    reviewRows(db, { ...base, resolved: false }),
    status === 'resolved' ? reviewRows(db, { ...base, resolved: true }) : Promise.resolve([]),
    warehouseList(db),
  ]);
  const summary: ReviewSummary = { alerts: 0, out: 0, low: 0, atRisk: 0, acknowledged: 0, snoozed: 0, attention: 0 };
  for (const r of active) {
    if (r.alertId) summary.alerts++;
    if (r.kind === 'out_of_stock') summary.out++;
    if (r.kind === 'low_stock') summary.low++;
    if (r.state === 'at_risk') summary.atRisk++;
    if (r.state === 'acknowledged') summary.acknowledged++;
    if (r.state === 'snoozed') summary.snoozed++;
    if (r.state === 'open') summary.attention++;
  }
  const keep: Record<ReviewStatus, (r: ReviewRow) => boolean> = {
    active: () => true,
    attention: (r) => r.state === 'open',
    acknowledged: (r) => r.state === 'acknowledged',
    snoozed: (r) => r.state === 'snoozed',
    at_risk: (r) => r.state === 'at_risk',
    resolved: () => true,
  };
  const rows = (status === 'resolved' ? resolved : active).filter(keep[status]);
  return { asOf: asOf.toISOString(), windowDays, targetDays, summary, rows, warehouses: whs.map(({ code, name }) => ({ code, name })) };
}

// Alerts needing someone: open and not snoozed. The navigation's count.
export async function attentionCount(db: Executor): Promise<number> {
  const [r] = await db
    .select({ n: count() })
    .from(alerts)
    .where(and(eq(alerts.status, 'open'), or(isNull(alerts.snoozedUntil), lte(alerts.snoozedUntil, sql`now()`))));
  return r.n;
}

type Params = { asOf: Date; windowDays: number; targetDays: number; warehouse?: string; resolved: boolean };

// The listed alerts, in a CTE of the alerts table's own columns (SELECT *): this alias names them.
const al = alias(alerts, 'al');

type Row = {
  product_id: number;
  warehouse: string;
  available: number;
  sku: string;
  name: string;
  threshold: number;
  overridden: boolean;
  reorder_qty: number;
  lead_time_days: number;
  picked: number;
  incoming: number;
  expected_at: string | null;
  alert_id: string | null;
  kind: Alert['kind'] | null;
  status: Alert['status'] | null;
  opened_at: string | null;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  snoozed_until: string | null;
  note: string | null;
  resolved_at: string | null;
  version: number | null;
};

async function reviewRows(db: Executor, q: Params): Promise<ReviewRow[]> {
  const from = new Date(q.asOf.getTime() - q.windowDays * DAY_MS);
  const wh = (col: SQLWrapper) =>
    q.warehouse ? sql`AND ${col} = (SELECT ${warehouses.id} FROM ${warehouses} WHERE ${warehouses.code} = ${q.warehouse})` : sql``;
  const alertRows = q.resolved
    ? sql`SELECT * FROM ${alerts} WHERE ${alerts.status} = 'resolved'
        AND ${alerts.resolvedAt} >= ${new Date(q.asOf.getTime() - RESOLVED_DAYS * DAY_MS).toISOString()}::timestamptz ${wh(alerts.warehouseId)}`
    : sql`SELECT * FROM ${alerts} WHERE ${alerts.status} <> 'resolved' ${wh(alerts.warehouseId)}`;
  // Without an alert, a pair is listed when what it has and what is due lasts less than its lead time.
  const listed = q.resolved
    ? sql`${al.id} IS NOT NULL`
    : sql`${al.id} IS NOT NULL OR (coalesce(pk.picked, 0) > 0
        AND (greatest(lv.available, 0) + coalesce(inc.qty, 0)) * ${q.windowDays}::int < pk.picked * ${leadTimeDaysSql('p')})`;
  const rows = await db.execute<Row>(sql`
    WITH lv AS (
      SELECT ${s.productId} AS product_id, ${l.warehouseId} AS warehouse_id, ${availableSql({ levels: s, loc: l })} AS available
      FROM ${stockLevels} ${s} JOIN ${locations} ${l} ON ${l.id} = ${s.locationId}
      WHERE true ${wh(l.warehouseId)}
      GROUP BY 1, 2
    ), pk AS (
      SELECT ${m.productId} AS product_id, ${l.warehouseId} AS warehouse_id, sum(-${m.onHandDelta})::int AS picked
      FROM ${stockMovements} ${m} JOIN ${locations} ${l} ON ${l.id} = ${m.locationId}
      WHERE ${m.kind} = 'pick' AND ${m.createdAt} >= ${from.toISOString()}::timestamptz AND ${m.createdAt} < ${q.asOf.toISOString()}::timestamptz
        ${wh(l.warehouseId)}
      GROUP BY 1, 2
    ), inc AS (
      SELECT ${pol.productId} AS product_id, ${po.warehouseId} AS warehouse_id, sum(${pol.qtyExpected} - ${pol.qtyReceived})::int AS qty,
        min(${po.expectedAt})::text AS expected_at
      FROM ${dueLines}
      WHERE true ${wh(po.warehouseId)}
      GROUP BY 1, 2
    ), al AS (${alertRows})
    SELECT lv.product_id, ${w.code} AS warehouse, lv.available, ${p.sku} AS sku, ${p.name} AS name,
      coalesce(${pws.lowStockThreshold}, ${p.lowStockThreshold}) AS threshold, ${pws.lowStockThreshold} IS NOT NULL AS overridden,
      coalesce(${pws.reorderQty}, ${p.reorderQty}) AS reorder_qty, ${leadTimeDaysSql('p')} AS lead_time_days,
      coalesce(pk.picked, 0)::int AS picked, coalesce(inc.qty, 0)::int AS incoming, inc.expected_at,
      ${al.id} AS alert_id, ${al.kind} AS kind, ${al.status} AS status, ${al.openedAt} AS opened_at, ${al.acknowledgedAt} AS acknowledged_at,
      ${al.acknowledgedBy} AS acknowledged_by, ${al.snoozedUntil} AS snoozed_until, ${al.note} AS note, ${al.resolvedAt} AS resolved_at,
      ${al.version} AS version
    FROM lv
    JOIN ${products} ${p} ON ${p.id} = lv.product_id
    JOIN ${warehouses} ${w} ON ${w.id} = lv.warehouse_id
    LEFT JOIN ${productWarehouseSettings} ${pws} ON ${pws.productId} = lv.product_id AND ${pws.warehouseId} = lv.warehouse_id
    LEFT JOIN pk ON pk.product_id = lv.product_id AND pk.warehouse_id = lv.warehouse_id
    LEFT JOIN inc ON inc.product_id = lv.product_id AND inc.warehouse_id = lv.warehouse_id
    LEFT JOIN al ON ${al.productId} = lv.product_id AND ${al.warehouseId} = lv.warehouse_id
    WHERE ${listed}`);
  return rows.map((r) => toRow(r, q)).sort(q.resolved ? (a, b) => (b.resolvedAt ?? '').localeCompare(a.resolvedAt ?? '') : byUrgency);
}

function toRow(r: Row, q: Params): ReviewRow {
  const incomingDate = r.expected_at;
  const f = forecast(
    {
      available: r.available,
      threshold: r.threshold,
      picked: r.picked,
      windowDays: q.windowDays,
      leadTimeDays: r.lead_time_days,
      targetDays: q.targetDays,
      incoming: r.incoming,
      reorderQty: r.reorder_qty,
      asOf: q.asOf,
    },
    r.incoming > 0 ? daysUntil(incomingDate, q.asOf) : null,
  );
  const snoozedUntil = toIso(r.snoozed_until);
  const state: RowState = !r.alert_id
    ? 'at_risk'
    : r.status === 'resolved'
      ? 'resolved'
      : r.status === 'acknowledged'
        ? 'acknowledged'
        : snoozedUntil && Date.parse(snoozedUntil) > q.asOf.getTime()
          ? 'snoozed'
          : 'open';
  return {
    // Stable while a pair goes from at-risk to alerted (rows keep their place and form state); only the resolved
    // list, where every row has its alert, can hold several alerts of one pair.
    key: q.resolved ? r.alert_id! : `${r.product_id}:${r.warehouse}`,
    alertId: r.alert_id,
    productId: r.product_id,
    sku: r.sku,
    name: r.name,
    warehouse: r.warehouse,
    kind: r.kind,
    state,
    available: r.available,
    threshold: r.threshold,
    thresholdOverridden: r.overridden,
    reorderQty: r.reorder_qty,
    leadTimeDays: r.lead_time_days,
    picked: r.picked,
    incoming: r.incoming,
    incomingDate,
    forecast: f,
    openedAt: toIso(r.opened_at),
    acknowledgedAt: toIso(r.acknowledged_at),
    acknowledgedBy: r.acknowledged_by,
    snoozedUntil,
    note: r.note,
    resolvedAt: toIso(r.resolved_at),
    version: r.version,
  };
}
