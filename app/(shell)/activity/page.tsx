import Link from 'next/link';
import type { ReactNode } from 'react';
import { getDb } from '@/db/client';
import { ActivityFilters } from '@/components/activity/activity-filters';
import { ChangeTable } from '@/components/activity/change-table';
import { StockActivityTable } from '@/components/activity/stock-activity-table';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { activityHref, changeActivityQuerySchema, stockActivityQuerySchema, type ActivityView } from '@/lib/contracts/activity';
import { fieldErrorsOf } from '@/server/inventory/kernel/errors';
import { requirePageRole } from '@/server/auth/session';
import { changeActivity, stockActivity } from '@/server/inventory/read/activity';

export const metadata = { title: 'Activity · Onhand' };

type Search = Record<string, string | string[] | undefined>;

const tabs: { view: ActivityView; label: string }[] = [
  { view: 'stock', label: 'Stock ledger' },
  { view: 'changes', label: 'Master-data changes' },
];

// Who did what, when: the stock ledger across products, or the master-data change log, filtered by the URL and
// paged newest first by keyset ("Older" carries the last id seen).
export default async function ActivityPage({ searchParams }: { searchParams: Promise<Search> }) {
  await requirePageRole('manager');
  const sp = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const view: ActivityView = sp.view === 'changes' ? 'changes' : 'stock';
  const found = await read(view, sp);
  const errors = found.ok ? {} : found.errors;
  const filters = found.ok ? found.filters : {};
  const filtered = Object.values(filters).some((v) => v !== undefined);

  let body;
  if (!found.ok) {
    body = <EmptyState title="Check the highlighted filters">{Object.entries(errors).map(([k, m]) => `${k}: ${m[0]}`).join('; ')}</EmptyState>;
  } else {
    const page = found;
    const older = page.nextCursor ? activityHref(view, { ...filters, before: page.nextCursor }) : null;
    const paged = found.before !== undefined;
    body = page.count ? (
      <>
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
          {page.table}
        </div>
        <nav aria-label="Pages" className="flex items-center gap-4 text-sm">
          {paged ? (
            <Link href={activityHref(view, filters)} className="text-brand-700 underline">
              Newest
            </Link>
          ) : null}
          {older ? (
            <Link href={older} rel="next" className="text-brand-700 underline">
              Older
            </Link>
          ) : (
            <span className="text-slate-500">{paged ? 'End of the results' : 'That is everything that matches'}</span>
          )}
        </nav>
      </>
    ) : (
      <EmptyState title={paged ? 'No older entries' : filtered ? 'Nothing matches these filters' : 'No activity yet'}>
        {filtered ? (
          <Link href={activityHref(view, {})} className="text-brand-700 underline">
            Clear the filters
          </Link>
        ) : view === 'stock' ? (
          'Receipts, picks, adjustments, transfers and counts appear here as they happen.'
        ) : (
          'Creating, editing or archiving a product appears here.'
        )}
      </EmptyState>
    );
  }

  return (
    <div className="space-y-4">
      <PageHeader title="Activity">
        {found.ok ? (
          <a href={activityHref(view, filters, '/activity/export')} download className="inline-flex min-h-11 items-center rounded-lg border border-slate-300 bg-white px-4 font-medium hover:bg-slate-50">
            Download CSV
          </a>
        ) : null}
      </PageHeader>
      <nav aria-label="Activity views" className="flex gap-2 border-b border-slate-200">
        {tabs.map((t) => (
          <Link
            key={t.view}
            href={activityHref(t.view, {})}
            aria-current={t.view === view ? 'page' : undefined}
            className={`-mb-px flex min-h-11 items-center border-b-2 px-3 text-sm font-medium ${t.view === view ? 'border-brand-600 text-brand-700' : 'border-transparent text-slate-600 hover:text-slate-900'}`}
          >
            {t.label}
          </Link>
        ))}
      </nav>
      <ActivityFilters view={view} values={sp} errors={errors} />
      {body}
    </div>
  );
}

type Read =
  | { ok: false; errors: Record<string, string[]> }
  | { ok: true; filters: Record<string, string | number | undefined>; before?: number; count: number; nextCursor: string | null; table: ReactNode };

// The view's filters parsed from the URL (a bad one is named on its field), then its page.
async function read(view: ActivityView, sp: Record<string, string | undefined>): Promise<Read> {
  const without = (data: Record<string, unknown> & { before?: number }) => {
    const { before, ...filters } = data;
    return { before, filters: filters as Record<string, string | undefined> };
  };
  if (view === 'changes') {
    const q = changeActivityQuerySchema.safeParse(sp);
    if (!q.success) return { ok: false, errors: fieldErrorsOf(q.error) };
    const page = await changeActivity(getDb(), q.data);
    return { ok: true, ...without(q.data), count: page.items.length, nextCursor: page.nextCursor, table: <ChangeTable rows={page.items} withRecord caption="Master-data changes" /> };
  }
  const q = stockActivityQuerySchema.safeParse(sp);
  if (!q.success) return { ok: false, errors: fieldErrorsOf(q.error) };
  const page = await stockActivity(getDb(), q.data);
  return { ok: true, ...without(q.data), count: page.items.length, nextCursor: page.nextCursor, table: <StockActivityTable rows={page.items} /> };
}
