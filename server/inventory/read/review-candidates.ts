// The rows of the manager's review as one SQL query, with the order key of each: the alerts under the filter and the
// pairs projected to run out within their lead time, their figures, their state and how urgent they are.
// The order is forecast.ts's byUrgency rendered in SQL (the same float arithmetic, so the same order; the review's
// tests compare the two): the longest gap between running out and new stock arriving first, then the emptiest
// shelf, then product and warehouse so ties have one order and a keyset cursor never skips or repeats a row.
// Index-backed at 100,000 products: unresolved alerts through alerts_one_unresolved_uq; the window's picks from the
// per-day running totals of pick_history (window-picks.ts) and available per pair from warehouse_stock, both kept by
// the database with the ledger and the levels (migration 0018); incoming by product.
import '#server-only';
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { alerts, productWarehouseSettings, products, warehouseStock, warehouses, type Alert } from '@/db/schema';
import { p, po, pol, pws, w } from './aliases';
import { dueLines } from './incoming';
import { leadTimeDaysJoined, preferredLeadTimes } from './lead-time';
import { windowPicks } from './window-picks';
import { searchCondition } from './stock-list';
import type { Executor } from '@/db/client';
import type { CursorKey } from './alert-query';
import type { ReviewStatus, ReviewUrgency } from '@/lib/contracts/alerts';

const RESOLVED_DAYS = 30;
const DAY_MS = 86_400_000;

export type Params = { asOf: Date; windowDays: number; targetDays: number; warehouse?: string; status: ReviewStatus; urgency?: ReviewUrgency; q?: string };

export type CandidateRow = {
  product_id: number;
  warehouse_id: number;
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
  opened_at: string | null;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  snoozed_until: string | null;
  note: string | null;
  resolved_at: string | null;
  version: number | null;
  state: string;
  at_risk: boolean;
  k_null: boolean;
  k_slack: number;
  k_gap: number;
  k_alert: string;
};

// The listed alerts, in a CTE of the alerts table's own columns (SELECT *): these names are its columns.
const al = {
  id: sql`al.id`,
  productId: sql`al.product_id`,
  warehouseId: sql`al.warehouse_id`,
};

// Unresolved rows (and those at risk with no alert yet), or with `resolved` the alerts resolved in the last 30 days.
export function candidates(q: Params, resolved: boolean): SQL {
  const asOf = q.asOf.toISOString();
  const wh = (col: SQLWrapper) =>
    q.warehouse ? sql`AND ${col} = (SELECT ${warehouses.id} FROM ${warehouses} WHERE ${warehouses.code} = ${q.warehouse})` : sql``;
  // Pairs without an alert are listed only on views that show them: then every pair picked in the window is a candidate.
  // (An urgency of out of stock or low names alerts' kinds: rows without an alert cannot match it.)
  const withAtRisk = !resolved && (q.status === 'active' || q.status === 'at_risk') && (q.urgency === undefined || q.urgency === 'lead_time');
  // A search narrows the products first (trigram indexes on SKU and name), so only their alerts and picks are read.
  const searched = (col: SQLWrapper) => (q.q?.trim() ? sql`AND ${col} IN (SELECT ${p.id} FROM ${products} ${p} WHERE ${searchCondition(q.q)})` : sql``);
  const alertRows = resolved
    ? sql`SELECT * FROM ${alerts} WHERE ${alerts.status} = 'resolved'
        AND ${alerts.resolvedAt} >= ${new Date(q.asOf.getTime() - RESOLVED_DAYS * DAY_MS).toISOString()}::timestamptz ${wh(alerts.warehouseId)} ${searched(alerts.productId)}`
    : sql`SELECT * FROM ${alerts} WHERE ${alerts.status} <> 'resolved' ${wh(alerts.warehouseId)} ${searched(alerts.productId)}`;
  const pairs = resolved
    ? sql`SELECT product_id, warehouse_id, id AS alert_id FROM al`
    : withAtRisk
      ? sql`SELECT product_id, warehouse_id FROM al UNION SELECT product_id, warehouse_id FROM pk`
      : sql`SELECT product_id, warehouse_id FROM al`;
  const alertJoin = resolved ? sql`${al.id} = pr.alert_id` : sql`${al.productId} = pr.product_id AND ${al.warehouseId} = pr.warehouse_id`;
  const available = sql`greatest(coalesce(lv.available, 0), 0)`;
  const picked = sql`coalesce(pk.picked, 0)`;
  const incoming = sql`coalesce(inc.qty, 0)`;
  const lead = leadTimeDaysJoined('p');
  const threshold = sql`coalesce(${pws.lowStockThreshold}, ${p.lowStockThreshold})`;
  // forecast.ts: cover = available / (picked / window), 0 when nothing is available, none without picks;
  // arrival = days to the next open purchase order if units are due, else the lead time; slack = cover - arrival.
  const cover = sql`CASE WHEN ${available} = 0 THEN 0::float8 WHEN ${picked} > 0 THEN ${available}::float8 / (${picked}::float8 / ${q.windowDays}::float8) END`;
  const arrival = sql`CASE WHEN ${incoming} > 0 AND inc.expected_at IS NOT NULL
      THEN greatest(((extract(epoch FROM inc.expected_at::timestamp) * 1000)::float8 - ${q.asOf.getTime()}::float8) / ${DAY_MS}::float8, 0)
      ELSE ${lead}::float8 END`;
  const atRisk = sql`(${picked} > 0 AND (${available} + ${incoming}) * ${q.windowDays}::int < ${picked} * ${lead})`;
  const state = sql`CASE WHEN ${al.id} IS NULL THEN 'at_risk' WHEN al.status = 'resolved' THEN 'resolved' WHEN al.status = 'acknowledged' THEN 'acknowledged'
      WHEN al.snoozed_until > ${asOf}::timestamptz THEN 'snoozed' ELSE 'open' END`;
  const urgency =
    q.urgency === 'out' ? sql`AND kind = 'out_of_stock'` : q.urgency === 'low' ? sql`AND kind = 'low_stock'` : q.urgency === 'lead_time' ? sql`AND at_risk` : sql``;
  return sql`
    WITH al AS (${alertRows}), pk AS (${windowPicks(q.asOf, q.windowDays, {
      only: (col) => (withAtRisk ? searched(col) : sql`AND ${col} IN (SELECT product_id FROM al)`),
      inWarehouse: wh,
    })}
    ), pr AS (${pairs}), inc AS (
      SELECT ${pol.productId} AS product_id, ${po.warehouseId} AS warehouse_id, sum(${pol.qtyExpected} - ${pol.qtyReceived})::int AS qty,
        min(${po.expectedAt}) AS expected_at
      FROM ${dueLines}
      WHERE ${pol.productId} IN (SELECT product_id FROM pr) ${wh(po.warehouseId)}
      GROUP BY 1, 2
    ), f AS (
      SELECT pr.product_id, pr.warehouse_id, ${w.code} AS warehouse, coalesce(lv.available, 0)::int AS available, ${p.sku} AS sku, ${p.name} AS name,
        ${threshold} AS threshold, ${pws.lowStockThreshold} IS NOT NULL AS overridden,
        coalesce(${pws.reorderQty}, ${p.reorderQty}) AS reorder_qty, ${lead} AS lead_time_days,
        ${picked}::int AS picked, ${incoming}::int AS incoming, inc.expected_at::text AS expected_at,
        ${al.id} AS alert_id, al.kind, al.opened_at, al.acknowledged_at, al.acknowledged_by, al.snoozed_until, al.note, al.resolved_at, al.version,
        ${state} AS state, ${atRisk} AS at_risk,
        ${resolved ? sql`-extract(epoch FROM al.resolved_at)::float8` : sql`${cover} - ${arrival}`} AS slack,
        ${resolved ? sql`0` : sql`coalesce(lv.available, 0) - ${threshold}`} AS k_gap
      FROM pr
      JOIN ${products} ${p} ON ${p.id} = pr.product_id
      JOIN ${warehouses} ${w} ON ${w.id} = pr.warehouse_id
      -- Available per pair, kept by the database with the levels (migration 0018), not summed here.
      LEFT JOIN ${warehouseStock} lv ON lv.product_id = pr.product_id AND lv.warehouse_id = pr.warehouse_id
      LEFT JOIN ${productWarehouseSettings} ${pws} ON ${pws.productId} = pr.product_id AND ${pws.warehouseId} = pr.warehouse_id
      LEFT JOIN ${preferredLeadTimes} pl ON pl.product_id = pr.product_id
      LEFT JOIN pk ON pk.product_id = pr.product_id AND pk.warehouse_id = pr.warehouse_id
      LEFT JOIN inc ON inc.product_id = pr.product_id AND inc.warehouse_id = pr.warehouse_id
      LEFT JOIN al ON ${alertJoin}
      WHERE ${searchCondition(q.q)}
    )
    SELECT f.*, slack IS NULL AS k_null, coalesce(slack, 0)::float8 AS k_slack, coalesce(alert_id::text, '') AS k_alert
    FROM f WHERE (alert_id IS NOT NULL OR at_risk) ${urgency}`;
}

// The status part of the filter, on the candidates' columns.
export function matching(q: Params): SQL {
  switch (q.status) {
    case 'attention':
      return sql`state = 'open'`;
    case 'acknowledged':
    case 'snoozed':
    case 'at_risk':
      return sql`state = ${q.status}`;
    default:
      return sql`true`;
  }
}

const key = sql`(k_null, k_slack, k_gap, product_id, warehouse_id, k_alert)`;
const keyOf = (k: CursorKey) => sql`(${k[0]}::boolean, ${k[1]}::float8, ${k[2]}::int, ${k[3]}::int, ${k[4]}::int, ${k[5]}::text)`;
export const orderBy = sql`k_null, k_slack, k_gap, product_id, warehouse_id, k_alert`;
export const keyAfter = (k: CursorKey) => sql`${key} > ${keyOf(k)}`;
export const keyAtOrBefore = (k: CursorKey) => sql`${key} <= ${keyOf(k)}`;

// The counts of every state under the filter (one aggregate over the candidates), and the total the filter's status
// selects: resolved rows come from the resolved candidates (`r`), when the statement has them.
export function summaryColumns(q: Params): SQL {
  const total = q.status === 'resolved' ? sql`(SELECT count(*) FROM r)::int` : sql`count(*) FILTER (WHERE ${matching(q)})::int`;
  return sql`count(alert_id)::int AS n_alerts, count(*) FILTER (WHERE kind = 'out_of_stock')::int AS n_out,
    count(*) FILTER (WHERE kind = 'low_stock')::int AS n_low, count(*) FILTER (WHERE state = 'at_risk')::int AS n_at_risk,
    count(*) FILTER (WHERE state = 'acknowledged')::int AS n_acknowledged, count(*) FILTER (WHERE state = 'snoozed')::int AS n_snoozed,
    count(*) FILTER (WHERE state = 'open')::int AS n_attention, count(*) FILTER (WHERE at_risk)::int AS n_lead_time, ${total} AS n_total`;
}

// The statement's WITH list: the unresolved candidates `c`, and on the resolved view the resolved ones `r`.
export function withCandidates(q: Params): SQL {
  return sql`WITH c AS MATERIALIZED (${candidates(q, false)})${q.status === 'resolved' ? sql`, r AS MATERIALIZED (${candidates(q, true)})` : sql``}`;
}

// The alerts a bulk action may change under a filter: its rows that have an alert, in the review's order.
export function matchingAlertIds(q: Params, states: string[]): SQL {
  return sql`${withCandidates(q)}
    SELECT alert_id FROM ${q.status === 'resolved' ? sql`r` : sql`c`}
    WHERE ${matching(q)} AND alert_id IS NOT NULL AND state IN ${sql`(${sql.join(states.map((x) => sql`${x}`), sql`, `)})`}`;
}

// The candidates' CTEs are estimated poorly (a grouped CTE counts as 200 rows), and a nested loop over what is really
// ten thousand rows a side ran for 22 s at 100,000 products (urgency "out of stock"): this read joins by hashing.
// Its estimated cost also passes PostgreSQL's JIT threshold, and where the server has JIT (LLVM builds, the official
// images) compiling would cost more than the statement's 0.1–0.2 s saves: off for this transaction too.
export const hashJoinsOnly = sql`SELECT set_config('enable_nestloop', 'off', true), set_config('jit', 'off', true)`;

export function withHashJoins<T>(db: Executor, fn: (tx: Executor) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(hashJoinsOnly);
    return fn(tx);
  });
}
