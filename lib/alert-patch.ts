// How an alert message lands on a review page held in the browser: a visible row takes the message's figures and
// state when it is that alert's newer version; an alert not on the page changes nothing here (the counts are read
// again, and a new one that sorts above the page's last row is announced, not inserted). Pure, so it is unit-tested.
import type { AlertReview, ReviewRow, RowState } from '@/lib/contracts/alerts';
import type { AlertMessage } from '@/lib/contracts/realtime';

export type ReviewPatch = { kind: 'applied'; data: AlertReview } | { kind: 'absent' } | { kind: 'stale' };

export function stateOf(m: Pick<AlertMessage, 'status' | 'snoozedUntil'>, now = Date.now()): RowState {
  if (m.status === 'resolved') return 'resolved';
  if (m.status === 'acknowledged') return 'acknowledged';
  return m.snoozedUntil && Date.parse(m.snoozedUntil) > now ? 'snoozed' : 'open';
}

// `warehouse`: the code of the message's warehouse (messages carry its id; rows show its code).
export function patchReview(review: AlertReview, m: AlertMessage, warehouse: string | undefined, now = Date.now()): ReviewPatch {
  // A row without an alert yet (at risk) of the same product and warehouse: its alert has just opened.
  const i = review.rows.findIndex((r) => r.alertId === m.id || (r.alertId === null && r.productId === m.productId && r.warehouse === warehouse));
  if (i < 0) return { kind: 'absent' };
  const row = review.rows[i];
  if (row.alertId === m.id && row.version !== null && row.version >= m.version) return { kind: 'stale' };
  const state = stateOf(m, now);
  const next: ReviewRow = {
    ...row,
    alertId: m.id,
    kind: m.kind,
    state,
    available: m.available,
    threshold: m.threshold,
    snoozedUntil: m.snoozedUntil,
    acknowledgedBy: m.acknowledgedBy,
    acknowledgedAt: state === 'acknowledged' ? (row.acknowledgedAt ?? new Date(now).toISOString()) : row.acknowledgedAt,
    openedAt: row.openedAt ?? new Date(now).toISOString(),
    resolvedAt: state === 'resolved' ? new Date(now).toISOString() : row.resolvedAt,
    note: m.note,
    version: m.version,
  };
  const rows = review.rows.slice();
  rows[i] = next;
  return { kind: 'applied', data: { ...review, rows } };
}
