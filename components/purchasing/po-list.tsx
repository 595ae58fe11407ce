'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { EmptyState } from '@/components/ui/empty-state';
import { figure, Table } from '@/components/ui/table';
import { getJson } from '@/lib/dashboard-api';
import { PO_STATUS_LABEL, PO_STATUSES, type PurchaseOrderSummary } from '@/lib/contracts/purchasing';

const FILTERS = [{ value: 'open', label: 'Open' }, ...PO_STATUSES.map((s) => ({ value: s, label: PO_STATUS_LABEL[s] })), { value: 'all', label: 'All' }];

// Purchase orders by status, newest first. Refetched when the window regains focus (a receipt on the floor moves
// an order on), and every 30 s while the page is open.
export function PurchaseOrderList({ initial }: { initial: PurchaseOrderSummary[] }) {
  const [status, setStatus] = useState('open');
  const list = useQuery({
    queryKey: ['purchasing', 'orders', status],
    queryFn: ({ signal }) => getJson<PurchaseOrderSummary[]>('purchasing', { status }, signal),
    initialData: status === 'open' ? initial : undefined,
    refetchOnWindowFocus: true,
    refetchInterval: 30_000,
  });
  const rows = list.data ?? [];
  return (
    <div className="space-y-3">
      <div role="group" aria-label="Status" className="flex flex-wrap gap-1">
        {FILTERS.map((f) => (
          <button
            key={f.value}
            type="button"
            aria-pressed={status === f.value}
            onClick={() => setStatus(f.value)}
            className={`min-h-11 rounded-md px-3 text-sm font-medium ${status === f.value ? 'bg-brand-50 text-brand-700' : 'text-slate-700 hover:bg-slate-100'}`}
          >
            {f.label}
          </button>
        ))}
      </div>
      {list.isError ? (
        <EmptyState title="Purchase orders did not load">{list.error.message}</EmptyState>
      ) : list.isPending ? (
        <p className="text-sm text-slate-600">Loading…</p>
      ) : rows.length ? (
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
          <Table caption="Purchase orders" columns={['Purchase order', 'Status', 'Supplier', 'Warehouse', 'Expected', figure('Lines'), figure('Received / ordered')]}>
            {rows.map((po) => (
              <tr key={po.reference} className="border-t border-slate-100">
                <td className="px-4 py-2">
                  <Link href={`/purchase-orders/${encodeURIComponent(po.reference)}`} className="font-mono text-brand-700 underline">
                    {po.reference}
                  </Link>
                </td>
                <td className="px-4 py-2">{PO_STATUS_LABEL[po.status]}</td>
                <td className="px-4 py-2">{po.supplier}</td>
                <td className="px-4 py-2">{po.warehouse}</td>
                <td className="px-4 py-2">{po.expectedAt ?? '—'}</td>
                <td className="px-4 py-2 text-right tabular-nums">{po.lines}</td>
                <td className="px-4 py-2 text-right tabular-nums">
                  {po.received} / {po.ordered}
                </td>
              </tr>
            ))}
          </Table>
        </div>
      ) : (
        <EmptyState title={`No ${status === 'all' ? '' : (FILTERS.find((f) => f.value === status)?.label.toLowerCase() ?? '') + ' '}purchase orders`}>
          Draft one below, or from the suggested orders on the Alerts page.
        </EmptyState>
      )}
    </div>
  );
}
