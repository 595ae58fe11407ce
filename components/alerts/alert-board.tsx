'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useCallback, useState, useSyncExternalStore } from 'react';
import Link from 'next/link';
import { EmptyState } from '@/components/ui/empty-state';
import { alertCountsQuery, alertKeys, alertReviewQuery } from '@/lib/alerts-api';
import { AlertRow } from './alert-row';
import { BulkBar } from './bulk-bar';
import { ThresholdDialog } from './threshold-dialog';
import type { AlertReview, ReviewQuery, ReviewRow, ReviewSummary } from '@/lib/contracts/alerts';

const emptyText: Record<NonNullable<ReviewQuery['status']>, string> = {
  active: 'No alerts and nothing projected to run out within its lead time.',
  attention: 'Every alert is acknowledged or snoozed.',
  acknowledged: 'No acknowledged alerts.',
  snoozed: 'No snoozed alerts.',
  at_risk: 'Nothing is projected to run out within its lead time.',
  resolved: 'No alerts were resolved in the last 30 days.',
};

export function summaryText(s: ReviewSummary): string {
  const n = (x: number) => x.toLocaleString('en');
  const alerts = `${n(s.alerts)} ${s.alerts === 1 ? 'alert' : 'alerts'}: ${n(s.out)} out of stock, ${n(s.low)} low`;
  const more = [
    s.atRisk ? `${n(s.atRisk)} more projected to run out within lead time` : '',
    s.acknowledged ? `${n(s.acknowledged)} acknowledged` : '',
    s.snoozed ? `${n(s.snoozed)} snoozed` : '',
  ].filter(Boolean);
  return more.length ? `${alerts} · ${more.join(' · ')}` : alerts;
}

// How many alerts "all matching" would act on: the open or snoozed ones the status shows.
function actionable(status: ReviewQuery['status'], s: ReviewSummary): number {
  if (status === 'attention') return s.attention;
  if (status === 'snoozed') return s.snoozed;
  if (status === 'active' || status === undefined) return s.attention + s.snoozed;
  return 0;
}

const noSubscription = () => () => {};

// The manager's list, a page at a time. Live without reshuffling: alert messages patch the rows on screen (the
// realtime cache), the counts are read again, and alerts opened since the page was read that would sort above its
// last row are announced as "N new" for the reader to load, rather than pushing rows down under the pointer.
export function AlertBoard({
  initial,
  query,
  exportHref,
  bulkHref,
  firstHref,
  nextHref,
}: {
  initial: AlertReview;
  query: ReviewQuery;
  exportHref: string;
  bulkHref: string;
  firstHref: string;
  nextHref: string | null;
}) {
  const client = useQueryClient();
  const router = useRouter();
  const { data, isError, error, isFetching } = useQuery({ ...alertReviewQuery(query), initialData: initial, initialDataUpdatedAt: Date.parse(initial.asOf) });
  const review = data ?? initial;
  // On the last page every new alert would land among these rows; on others, those sorting above the last one.
  const upto = review.next && review.rows.length ? review.rows[review.rows.length - 1].cursor : null;
  const counts = useQuery({ ...alertCountsQuery(query, review.asOf, upto), initialData: { summary: review.summary, newAbove: 0 } });
  const summary = counts.dataUpdatedAt > Date.parse(review.asOf) ? counts.data.summary : review.summary;
  const fresh = counts.data.newAbove;
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [allMatching, setAllMatching] = useState(false);
  const [editing, setEditing] = useState<ReviewRow | null>(null);
  // The server renders no refetch in progress; showing one before hydration ends would not match its HTML (React #418).
  const hydrated = useSyncExternalStore(noSubscription, () => true, () => false);
  const status = query.status ?? 'active';
  const pageIds = review.rows.filter((r) => r.alertId && (r.state === 'open' || r.state === 'snoozed')).map((r) => r.alertId!);
  const shown = pageIds.filter((id) => selected.has(id));
  const onSelect = useCallback((id: string, on: boolean) => {
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
    if (!on) setAllMatching(false);
  }, []);
  const onDone = useCallback(() => {
    setSelected(new Set());
    setAllMatching(false);
  }, []);
  // "N new": the first page, read again as of now.
  const loadNew = () => {
    if (query.after) router.push(firstHref);
    else void client.invalidateQueries({ queryKey: alertKeys.all });
  };
  return (
    <section aria-labelledby="alert-list-title" className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="alert-list-title" className="sr-only">
          Alerts
        </h2>
        <p className="font-medium" data-testid="alert-summary" role="status" aria-live="polite">
          {summaryText(summary)}
        </p>
        <div className="flex flex-wrap gap-2 text-sm">
          <a href={exportHref} className="inline-flex min-h-11 items-center rounded-md border border-slate-300 bg-white px-3 font-medium hover:bg-slate-50" download>
            Export CSV
          </a>
          <Link href={bulkHref} prefetch={false} className="inline-flex min-h-11 items-center rounded-md border border-slate-300 bg-white px-3 font-medium hover:bg-slate-50">
            Edit thresholds in bulk
          </Link>
        </div>
      </div>
      <p className="text-sm text-slate-600">
        Most urgent first: the longest gap between running out and new stock arriving (the next purchase order, or the lead time). Pick velocity over{' '}
        {review.windowDays} days; suggested orders cover the lead time plus {review.targetDays} days.
        {hydrated && isFetching ? <span className="sr-only"> Updating.</span> : null}
      </p>
      {isError ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-900">
          ⚠ The list could not be refreshed: {error.message} The figures shown may be out of date.
        </p>
      ) : null}
      {fresh > 0 ? (
        <button type="button" onClick={loadNew} data-testid="new-alerts" className="min-h-11 w-full rounded-md border border-sky-300 bg-sky-50 px-3 text-sm font-medium text-sky-900 hover:bg-sky-100">
          ↑ {fresh} new {fresh === 1 ? 'alert' : 'alerts'} above these rows: show {query.after ? 'the first page' : 'them'}
        </button>
      ) : null}
      {review.rows.length ? (
        <BulkBar query={query} selected={shown} allMatching={allMatching} matchingCount={actionable(status, summary)} onAllMatching={setAllMatching} onDone={onDone} />
      ) : null}
      {review.rows.length === 0 ? (
        <EmptyState title="Nothing to review">{emptyText[status]}</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
          <table className="w-full text-sm">
            <caption className="sr-only">Alerts and projected stock-outs, most urgent first</caption>
            <thead className="bg-slate-50 text-left text-slate-600">
              <tr>
                <th scope="col" className="px-2 py-2">
                  {pageIds.length ? (
                    <input
                      type="checkbox"
                      aria-label="Select every alert on this page"
                      className="size-5"
                      checked={shown.length === pageIds.length}
                      onChange={(e) => {
                        setSelected(e.target.checked ? new Set(pageIds) : new Set());
                        if (!e.target.checked) setAllMatching(false);
                      }}
                    />
                  ) : null}
                </th>
                <th scope="col" className="px-2 py-2 font-medium">Product</th>
                <th scope="col" className="px-2 py-2 font-medium">Warehouse</th>
                <th scope="col" className="px-2 py-2 font-medium">Alert</th>
                <th scope="col" className="px-2 py-2 text-right font-medium">Available</th>
                <th scope="col" className="px-2 py-2 font-medium">Threshold</th>
                <th scope="col" className="px-2 py-2 text-right font-medium">Days of cover</th>
                <th scope="col" className="px-2 py-2 font-medium">Runs out</th>
                <th scope="col" className="px-2 py-2 font-medium">Incoming</th>
                <th scope="col" className="px-2 py-2 text-right font-medium">Suggested order</th>
                <th scope="col" className="px-2 py-2 font-medium">Actions</th>
              </tr>
            </thead>
            <tbody>
              {review.rows.map((r) => (
                <AlertRow key={r.key} row={r} selected={r.alertId !== null && selected.has(r.alertId)} onSelect={onSelect} onEditThreshold={setEditing} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav aria-label="Pages" className="flex items-center justify-between gap-3 text-sm">
        <span className="text-slate-600">
          {review.rows.length ? `${review.rows.length} shown of ${summary.total.toLocaleString('en')} matching` : ''}
        </span>
        <span className="flex gap-2">
          {query.after ? (
            <Link href={firstHref} className="inline-flex min-h-11 items-center rounded-md border border-slate-300 bg-white px-3 font-medium hover:bg-slate-50">
              ⇤ First page
            </Link>
          ) : null}
          {nextHref ? (
            <Link href={nextHref} prefetch={false} className="inline-flex min-h-11 items-center rounded-md border border-slate-300 bg-white px-3 font-medium hover:bg-slate-50">
              Next {review.rows.length} →
            </Link>
          ) : null}
        </span>
      </nav>
      <ThresholdDialog row={editing} onClose={() => setEditing(null)} />
    </section>
  );
}
