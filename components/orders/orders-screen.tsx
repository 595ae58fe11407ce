'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import { useCallback, useDeferredValue, useState } from 'react';
import { ordersQuery } from '@/lib/dashboard-api';
import { idle, type ActionState } from '@/lib/contracts/action-state';
import type { OrderStatus } from '@/lib/contracts/orders';
import { Button } from '../ui/button';
import { EmptyState } from '../ui/empty-state';
import { FormMessage } from '../ui/form-message';
import { PageHeader } from '../ui/page-header';
import { OrderCard } from './order-card';
import { STATE_TABS } from './order-state';

// Orders by state with a count per state, searchable by reference, each with its lines and the bins holding its
// units. Live: every stock change in a warehouse refetches the list (components/live).
export function OrdersScreen({ canCancel }: { canCancel: boolean }) {
  const [status, setStatus] = useState<OrderStatus | undefined>(undefined);
  const [search, setSearch] = useState('');
  const q = useDeferredValue(search.trim());
  const [banner, setBanner] = useState<ActionState>(idle);
  const onResult = useCallback((s: ActionState) => setBanner(s), []);
  const query = useInfiniteQuery(ordersQuery({ status, q: q || undefined }));
  const first = query.data?.pages[0];
  const counts = first?.counts ?? {};
  const total = Object.values(counts).reduce((s, n) => s + (n ?? 0), 0);
  const orders = query.data?.pages.flatMap((p) => p.items) ?? [];
  const tabs: { status: OrderStatus | undefined; label: string; n: number }[] = [
    { status: undefined, label: 'All', n: total },
    ...STATE_TABS.map((t) => ({ status: t.status, label: t.label, n: counts[t.status] ?? 0 })),
  ];
  return (
    <>
      <PageHeader title="Orders" />
      <div className="mb-4 flex flex-wrap items-end gap-4">
        <div>
          <label htmlFor="orders-search" className="mb-1 block text-sm font-medium text-slate-700">
            Search by reference
          </label>
          <input
            id="orders-search"
            type="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            placeholder="SO-1001"
            autoFocus
            className="min-h-11 w-64 rounded-md border border-slate-300 bg-white px-3 text-base shadow-sm"
          />
        </div>
        <div role="group" aria-label="Filter by state" className="flex flex-wrap gap-1">
          {tabs.map((t) => (
            <button
              key={t.label}
              type="button"
              aria-pressed={status === t.status}
              onClick={() => setStatus(t.status)}
              className={`min-h-11 rounded-md border px-3 text-sm font-medium ${
                status === t.status ? 'border-brand-600 bg-brand-50 text-brand-800' : 'border-slate-300 bg-white text-slate-700 hover:bg-slate-50'
              }`}
            >
              {t.label} <span className="tabular-nums text-slate-500">({t.n})</span>
            </button>
          ))}
        </div>
      </div>
      <div className="mb-4">
        <FormMessage state={banner} />
      </div>
      {query.isError ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-900">
          <span aria-hidden="true">⚠ </span>Orders could not be loaded: {query.error.message}{' '}
          <button type="button" className="underline" onClick={() => void query.refetch()}>
            Try again
          </button>
        </p>
      ) : query.isPending ? (
        <p className="text-sm text-slate-600">Loading orders…</p>
      ) : orders.length === 0 ? (
        <EmptyState title={q ? `No ${status ? `${status} ` : ''}order matches “${q}”` : status ? `No ${status} orders` : 'No orders yet'}>
          {q || status ? 'Try another state or reference.' : 'Orders placed through the API (POST /api/v1/orders) appear here as they are allocated.'}
        </EmptyState>
      ) : (
        <div className="space-y-4" aria-busy={query.isFetching || undefined}>
          {orders.map((o) => (
            <OrderCard key={o.id} order={o} canCancel={canCancel} onResult={onResult} />
          ))}
          {query.hasNextPage ? (
            <Button onClick={() => void query.fetchNextPage()} pending={query.isFetchingNextPage}>
              Show more orders
            </Button>
          ) : null}
        </div>
      )}
    </>
  );
}
