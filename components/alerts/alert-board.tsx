'use client';

import { useQuery } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import Link from 'next/link';
import { EmptyState } from '@/components/ui/empty-state';
import { alertReviewQuery } from '@/lib/alerts-api';
import { AlertRow } from './alert-row';
import type { AlertReview, ReviewQuery, ReviewSummary } from '@/lib/contracts/alerts';

const emptyText: Record<NonNullable<ReviewQuery['status']>, string> = {
  active: 'No alerts and nothing projected to run out within its lead time.',
  attention: 'Every alert is acknowledged or snoozed.',
  acknowledged: 'No acknowledged alerts.',
  snoozed: 'No snoozed alerts.',
  at_risk: 'Nothing is projected to run out within its lead time.',
  resolved: 'No alerts were resolved in the last 30 days.',
};

export function summaryText(s: ReviewSummary): string {
  const alerts = `${s.alerts} ${s.alerts === 1 ? 'alert' : 'alerts'}: ${s.out} out of stock, ${s.low} low`;
  const more = [
    s.atRisk ? `${s.atRisk} more projected to run out within lead time` : '',
    s.acknowledged ? `${s.acknowledged} acknowledged` : '',
    s.snoozed ? `${s.snoozed} snoozed` : '',
  ].filter(Boolean);
  return more.length ? `${alerts} · ${more.join(' · ')}` : alerts;
}

// The manager's list, kept live: the realtime hook refetches it when an alert row changes (opened, resolved,
// acknowledged, or its figures moved), so new alerts appear and resolved ones leave without a reload.
const noSubscription = () => () => {};

export function AlertBoard({ initial, query, exportHref, bulkHref }: { initial: AlertReview; query: ReviewQuery; exportHref: string; bulkHref: string }) {
  const { data, isError, error, isFetching } = useQuery({ ...alertReviewQuery(query), initialData: initial, initialDataUpdatedAt: Date.parse(initial.asOf) });
  const review = data ?? initial;
  // The server renders no refetch in progress. A live event that arrives while this board is still hydrating can
  // start one (the shell's realtime hook refetches what was fetched before it joined its rooms); showing it before
  // hydration ends would not match the server's HTML (React #418) and re-render the whole page from scratch.
  const hydrated = useSyncExternalStore(noSubscription, () => true, () => false);
  const status = query.status ?? 'active';
  return (
    <section aria-labelledby="alert-list-title" className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="alert-list-title" className="sr-only">
          Alerts
        </h2>
        <p className="font-medium" data-testid="alert-summary" role="status" aria-live="polite">
          {summaryText(review.summary)}
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
      {review.rows.length === 0 ? (
        <EmptyState title="Nothing to review">{emptyText[status]}</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
          <table className="w-full text-sm">
            <caption className="sr-only">Alerts and projected stock-outs, most urgent first</caption>
            <thead className="bg-slate-50 text-left text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2 font-medium">Product</th>
                <th scope="col" className="px-3 py-2 font-medium">Warehouse</th>
                <th scope="col" className="px-3 py-2 font-medium">Alert</th>
                <th scope="col" className="px-3 py-2 text-right font-medium">Available</th>
                <th scope="col" className="px-3 py-2 font-medium">Threshold</th>
                <th scope="col" className="px-3 py-2 text-right font-medium">Days of cover</th>
                <th scope="col" className="px-3 py-2 font-medium">Runs out</th>
                <th scope="col" className="px-3 py-2 font-medium">Incoming</th>
                <th scope="col" className="px-3 py-2 text-right font-medium">Suggested order</th>
                <th scope="col" className="px-3 py-2 font-medium">Actions</th>
              </tr>
            </thead>
            <tbody>
              {review.rows.map((r) => (
                <AlertRow key={r.key} row={r} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
