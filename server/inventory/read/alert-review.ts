// The manager's review: every unresolved alert and every product projected to run out within its lead time, per
// warehouse, with its forecast, most urgent first. One statement gathers the figures (available from sellable
// locations, picks in the window, what is due on open purchase orders); forecast.ts does the arithmetic.
import { sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import type { Alert } from '@/db/schema';
import { byUrgency, daysUntil, DEFAULT_TARGET_DAYS, DEFAULT_WINDOW_DAYS, forecast } from './forecast';
import { sellableSql } from '../kernel/availability-rule';
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
  const [active, resolved, warehouses] = await Promise.all([
    reviewRows(db, { ...base, resolved: false }),
    status === 'resolved' ? reviewRows(db, { ...base, resolved: true }) : Promise.resolve([]),
    db.execute(sql`SELECT code, name FROM warehouses ORDER BY code`) as unknown as Promise<{ code: string; name: string }[]>,
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
  return { asOf: asOf.toISOString(), windowDays, targetDays, summary, rows, warehouses: warehouses.map((w) => ({ code: w.code, name: w.name })) };
}

// Alerts needing someone: open and not snoozed. The navigation's count.
export async function attentionCount(db: Executor): Promise<number> {
  const [r] = (await db.execute(sql`
    SELECT count(*)::int AS n FROM alerts WHERE status = 'open' AND (snoozed_until IS NULL OR snoozed_until <= now())`)) as unknown as { n: number }[];
  return r.n;
}

type Params = { asOf: Date; windowDays: number; targetDays: number; warehouse?: string; resolved: boolean };

async function reviewRows(db: Executor, p: Params): Promise<ReviewRow[]> {
  const from = new Date(p.asOf.getTime() - p.windowDays * DAY_MS);
  const wh = (col: ReturnType<typeof sql>) => (p.warehouse ? sql`AND ${col} = (SELECT id FROM warehouses WHERE code = ${p.warehouse})` : sql``);
  const alertRows = p.resolved
    ? sql`SELECT * FROM alerts WHERE status = 'resolved' AND resolved_at >= ${new Date(p.asOf.getTime() - RESOLVED_DAYS * DAY_MS).toISOString()}::timestamptz ${wh(sql`warehouse_id`)}`
    : sql`SELECT * FROM alerts WHERE status <> 'resolved' ${wh(sql`warehouse_id`)}`;
  // Without an alert, a pair is listed when what it has and what is due lasts less than its lead time.
  const listed = p.resolved
    ? sql`al.id IS NOT NULL`
    : sql`al.id IS NOT NULL OR (coalesce(pk.picked, 0) > 0
        AND (greatest(lv.available, 0) + coalesce(inc.qty, 0)) * ${p.windowDays}::int < pk.picked * pr.lead_time_days)`;
  const rows = (await db.execute(sql`
    WITH lv AS (
      SELECT s.product_id, locations.warehouse_id,
        coalesce(sum(s.on_hand - s.reserved) FILTER (WHERE ${sellableSql()}), 0)::int AS available
      FROM stock_levels s JOIN locations ON locations.id = s.location_id
      WHERE true ${wh(sql`locations.warehouse_id`)}
      GROUP BY 1, 2
    ), pk AS (
      SELECT m.product_id, locations.warehouse_id, sum(-m.on_hand_delta)::int AS picked
      FROM stock_movements m JOIN locations ON locations.id = m.location_id
      WHERE m.kind = 'pick' AND m.created_at >= ${from.toISOString()}::timestamptz AND m.created_at < ${p.asOf.toISOString()}::timestamptz
        ${wh(sql`locations.warehouse_id`)}
      GROUP BY 1, 2
    ), inc AS (
      SELECT pol.product_id, po.warehouse_id, sum(pol.qty_expected - pol.qty_received)::int AS qty, min(po.expected_at)::text AS expected_at
      FROM purchase_order_lines pol JOIN purchase_orders po ON po.id = pol.purchase_order_id
      WHERE po.status = 'open' AND pol.qty_received < pol.qty_expected ${wh(sql`po.warehouse_id`)}
      GROUP BY 1, 2
    ), al AS (${alertRows})
    SELECT lv.product_id, w.code AS warehouse, lv.available, pr.sku, pr.name,
      coalesce(pws.low_stock_threshold, pr.low_stock_threshold) AS threshold, pws.low_stock_threshold IS NOT NULL AS overridden,
      coalesce(pws.reorder_qty, pr.reorder_qty) AS reorder_qty, pr.lead_time_days,
      coalesce(pk.picked, 0)::int AS picked, coalesce(inc.qty, 0)::int AS incoming, inc.expected_at,
      al.id AS alert_id, al.kind, al.status, al.opened_at, al.acknowledged_at, al.acknowledged_by, al.snoozed_until, al.note,
      al.resolved_at, al.version
    FROM lv
    JOIN products pr ON pr.id = lv.product_id
    JOIN warehouses w ON w.id = lv.warehouse_id
    LEFT JOIN product_warehouse_settings pws ON pws.product_id = lv.product_id AND pws.warehouse_id = lv.warehouse_id
    LEFT JOIN pk ON pk.product_id = lv.product_id AND pk.warehouse_id = lv.warehouse_id
    LEFT JOIN inc ON inc.product_id = lv.product_id AND inc.warehouse_id = lv.warehouse_id
    LEFT JOIN al ON al.product_id = lv.product_id AND al.warehouse_id = lv.warehouse_id
    WHERE ${listed}`)) as unknown as Record<string, unknown>[];
  return rows.map((r) => toRow(r, p)).sort(p.resolved ? (a, b) => (b.resolvedAt ?? '').localeCompare(a.resolvedAt ?? '') : byUrgency);
}

function toRow(r: Record<string, unknown>, p: Params): ReviewRow {
  const available = r.available as number;
  const incoming = r.incoming as number;
  const incomingDate = (r.expected_at as string | null) ?? null;
  const threshold = r.threshold as number;
  const f = forecast(
    {
      available,
      threshold,
      picked: r.picked as number,
      windowDays: p.windowDays,
      leadTimeDays: r.lead_time_days as number,
      targetDays: p.targetDays,
      incoming,
      reorderQty: r.reorder_qty as number,
      asOf: p.asOf,
    },
    incoming > 0 ? daysUntil(incomingDate, p.asOf) : null,
  );
  const snoozedUntil = toIso(r.snoozed_until);
  const status = r.status as string | null;
  const state: RowState = !r.alert_id
    ? 'at_risk'
    : status === 'resolved'
      ? 'resolved'
      : status === 'acknowledged'
        ? 'acknowledged'
        : snoozedUntil && Date.parse(snoozedUntil) > p.asOf.getTime()
          ? 'snoozed'
          : 'open';
  return {
    // Stable while a pair goes from at-risk to alerted (rows keep their place and form state); only the resolved
    // list can hold several alerts of one pair.
    key: p.resolved ? (r.alert_id as string) : `${r.product_id}:${r.warehouse}`,
    alertId: (r.alert_id as string | null) ?? null,
    productId: r.product_id as number,
    sku: r.sku as string,
    name: r.name as string,
    warehouse: r.warehouse as string,
    kind: (r.kind as Alert['kind'] | null) ?? null,
    state,
    available,
    threshold,
    thresholdOverridden: r.overridden as boolean,
    reorderQty: r.reorder_qty as number,
    leadTimeDays: r.lead_time_days as number,
    picked: r.picked as number,
    incoming,
    incomingDate,
    forecast: f,
    openedAt: toIso(r.opened_at),
    acknowledgedAt: toIso(r.acknowledged_at),
    acknowledgedBy: (r.acknowledged_by as string | null) ?? null,
    snoozedUntil,
    note: (r.note as string | null) ?? null,
    resolvedAt: toIso(r.resolved_at),
    version: (r.version as number | null) ?? null,
  };
}
