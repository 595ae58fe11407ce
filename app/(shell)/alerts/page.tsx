import { AlertBoard } from '@/components/alerts/alert-board';
import { AlertFilters } from '@/components/alerts/alert-filters';
import { PageHeader } from '@/components/ui/page-header';
import { DraftPurchaseOrders } from '@/components/purchasing/draft-from-suggestions';
import { getDb } from '@/db/client';
import { requirePageRole } from '@/server/auth/session';
import { alertReviewQuery, reviewSearch } from '@/server/inventory/read/alert-query';
import { alertReview } from '@/server/inventory/read/alert-review';
import { WINDOW_CHOICES } from '@/lib/contracts/alerts';

export const metadata = { title: 'Alerts · Onhand' };

// One page of the review (50 rows), its counts, and links that keep the filter: the next page by cursor, the first.
export default async function AlertsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePageRole('manager');
  const query = alertReviewQuery.parse(await searchParams);
  const initial = await alertReview(getDb(), query);
  const skus = initial.rows.map((r) => r.sku);
  const bulk = new URLSearchParams({ ...(query.warehouse ? { warehouse: query.warehouse } : {}), ...(skus.length ? { skus: [...new Set(skus)].join(',') } : {}) });
  const { after: _after, ...filter } = query;
  return (
    <div className="space-y-5">
      <PageHeader title="Low-stock alerts">
        <AlertFilters query={query} warehouses={initial.warehouses} windows={WINDOW_CHOICES} />
      </PageHeader>
      <DraftPurchaseOrders warehouse={query.warehouse} windowDays={query.windowDays} targetDays={query.targetDays} />
      <AlertBoard
        initial={initial}
        query={query}
        exportHref={`/alerts/export${reviewSearch(filter)}`}
        bulkHref={`/alerts/thresholds?${bulk}`}
        firstHref={`/alerts${reviewSearch(filter)}`}
        nextHref={initial.next ? `/alerts${reviewSearch(filter, { after: initial.next })}` : null}
      />
    </div>
  );
}
