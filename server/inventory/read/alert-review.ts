// The manager's review: every unresolved alert and every product projected to run out within its lead time, per
// warehouse, most urgent first, a page at a time. The order is computed in SQL (review-order.ts renders forecast.ts's
// byUrgency), so a page is a keyset range of it; one statement reads a page and the counts of the whole filter.
import '#server-only';
import { and, count, eq, isNull, lte, or, sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { alerts } from '@/db/schema';
import { daysUntil, forecast } from './forecast';
import { encodeCursor, decodeCursor, type Cursor, type CursorKey } from './alert-query';
import { keyAfter, keyAtOrBefore, matching, orderBy, summaryColumns, withCandidates, withHashJoins, type CandidateRow, type Params } from './review-candidates';
import { warehouseList } from './warehouses';
import { toIso } from './stock-list';
import { REVIEW_PAGE_SIZE, type AlertReview, type ReviewCounts, type ReviewFilter, type ReviewQuery, type ReviewRow, type ReviewSummary, type RowState } from '@/lib/contracts/alerts';
import { DEFAULT_TARGET_DAYS, DEFAULT_WINDOW_DAYS } from './forecast';

export function reviewParams(q: ReviewFilter, asOf?: Date): Params {
  return {
    asOf: asOf ?? q.asOf ?? new Date(),
    windowDays: q.windowDays ?? DEFAULT_WINDOW_DAYS,
    targetDays: q.targetDays ?? DEFAULT_TARGET_DAYS,
    warehouse: q.warehouse,
    status: q.status ?? 'active',
    urgency: q.urgency,
    q: q.q,
  };
}

type SummaryRow = { n_alerts: number; n_out: number; n_low: number; n_at_risk: number; n_acknowledged: number; n_snoozed: number; n_attention: number; n_lead_time: number; n_total: number };
type PageRow = SummaryRow & Partial<CandidateRow>;

export async function alertReview(db: Executor, query: ReviewQuery = {}): Promise<AlertReview> {
  const after = decodeCursor(query.after);
  // Every page of one walk is read as of the first page's clock.
  const q = reviewParams(query, after ? new Date(after.asOf) : undefined);
  const limit = query.limit ?? REVIEW_PAGE_SIZE;
  const resolved = q.status === 'resolved';
  const listed = resolved ? sql`r` : sql`c`;
  // The counts are of the unresolved rows under the filter; the page comes from the resolved ones on that view. The
  // counts' one row joins the page on a constant (not ON true), so the join can hash like the rest of the statement.
  const [rows, whs] = await Promise.all([
    withHashJoins(db, (tx) => tx.execute<PageRow>(sql`
      ${withCandidates(q)}
      SELECT s.*, pg.* FROM (SELECT ${summaryColumns(q)}, 1 AS j FROM c) s
      LEFT JOIN (
        SELECT *, 1 AS pj FROM ${listed} WHERE ${matching(q)} ${after ? sql`AND ${keyAfter(after.key)}` : sql``}
        ORDER BY ${orderBy} LIMIT ${limit + 1}
      ) pg ON pg.pj = s.j
      ORDER BY ${orderBy}`)),
    warehouseList(db),
  ]);
  const found = rows.filter((r) => r.product_id != null) as (SummaryRow & CandidateRow)[];
  const page = found.slice(0, limit).map((r) => toRow(r, q));
  return {
    asOf: q.asOf.toISOString(),
    windowDays: q.windowDays,
    targetDays: q.targetDays,
    summary: summaryOf(rows[0]),
    rows: page,
    next: found.length > limit ? page[page.length - 1].cursor : null,
    warehouses: whs.map(({ code, name }) => ({ code, name })),
  };
}

// The counts alone, for a page that stays on screen while alerts change: and how many alerts opened since the page
// was read (`since`) sort at or above its last row (`upto`), which the page announces instead of inserting.
export async function alertCounts(db: Executor, filter: ReviewFilter, opts: { since?: string; upto?: Cursor } = {}): Promise<ReviewCounts> {
  const q = reviewParams(filter, opts.upto ? new Date(opts.upto.asOf) : undefined);
  const since = opts.since ?? q.asOf.toISOString();
  const above = opts.upto ? keyAtOrBefore(opts.upto.key) : sql`true`;
  const newAbove =
    q.status === 'resolved' ? sql`0` : sql`count(*) FILTER (WHERE ${matching(q)} AND opened_at > ${since}::timestamptz AND ${above})::int`;
  const [r] = await withHashJoins(db, (tx) =>
    tx.execute<SummaryRow & { n_new: number }>(sql`
    ${withCandidates(q)}
    SELECT ${summaryColumns(q)}, ${newAbove} AS n_new FROM c`),
  );
  return { summary: summaryOf(r), newAbove: r.n_new };
}

// Alerts needing someone: open and not snoozed. The navigation's count.
export async function attentionCount(db: Executor): Promise<number> {
  const [r] = await db
    .select({ n: count() })
    .from(alerts)
    .where(and(eq(alerts.status, 'open'), or(isNull(alerts.snoozedUntil), lte(alerts.snoozedUntil, sql`now()`))));
  return r.n;
}

// The whole filtered list, a batch at a time (the CSV streams it): each batch is the next keyset page, as of one
// clock. Large batches: each one reads the filter's candidates again, so ten thousand rows are five statements.
export async function* reviewBatches(db: Executor, filter: ReviewFilter, batch = 2000): AsyncGenerator<ReviewRow[]> {
  let after: string | undefined;
  const asOf = filter.asOf ?? new Date();
  for (;;) {
    const page = await alertReview(db, { ...filter, asOf, after, limit: batch });
    if (page.rows.length) yield page.rows;
    if (!page.next) return;
    after = page.next;
  }
}

function summaryOf(r: SummaryRow): ReviewSummary {
  return {
    alerts: r.n_alerts,
    out: r.n_out,
    low: r.n_low,
    atRisk: r.n_at_risk,
    acknowledged: r.n_acknowledged,
    snoozed: r.n_snoozed,
    attention: r.n_attention,
    leadTime: r.n_lead_time,
    total: r.n_total,
  };
}

function toRow(r: CandidateRow, q: Params): ReviewRow {
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
  const key: CursorKey = [r.k_null, r.k_slack, r.k_gap, r.product_id, r.warehouse_id, r.k_alert];
  return {
    // Stable while a pair goes from at-risk to alerted (rows keep their place and form state); only the resolved
    // list, where every row has its alert, can hold several alerts of one pair.
    key: r.state === 'resolved' ? r.alert_id! : `${r.product_id}:${r.warehouse}`,
    cursor: encodeCursor({ asOf: q.asOf.toISOString(), key }),
    alertId: r.alert_id,
    productId: r.product_id,
    sku: r.sku,
    name: r.name,
    warehouse: r.warehouse,
    kind: r.kind,
    state: r.state as RowState,
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
    snoozedUntil: toIso(r.snoozed_until),
    note: r.note,
    resolvedAt: toIso(r.resolved_at),
    version: r.version,
  };
}
