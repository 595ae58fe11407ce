import { getDb } from '@/db/client';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { requirePageRole } from '@/server/auth/session';
import { openPurchaseOrders } from '@/server/inventory/read/open-work';

export const metadata = { title: 'Receiving · Onhand' };

export default async function ReceivingPage() {
  await requirePageRole('staff');
  const pos = await openPurchaseOrders(getDb());
  return (
    <>
      <PageHeader title="Receiving" />
      {pos.length === 0 ? (
        <EmptyState title="Nothing to receive">Open purchase orders appear here.</EmptyState>
      ) : (
        <ul className="grid gap-3 sm:grid-cols-2 xl:grid-cols-3">
          {pos.map((po) => (
            <li key={po.reference} className="rounded-xl border border-slate-200 bg-white p-4">
              <div className="flex items-baseline justify-between">
                <span className="font-mono font-medium">{po.reference}</span>
                <span className="text-xs text-slate-500">{po.warehouse}</span>
              </div>
              <div className="text-sm text-slate-700">{po.supplier}</div>
              <div className="mt-2 text-sm text-slate-600">
                {po.lines} lines · {po.received} / {po.expected} units received
                {po.expectedAt ? ` · due ${po.expectedAt}` : ''}
              </div>
              <div className="mt-2 h-2 rounded bg-slate-100" aria-hidden="true">
                <div className="h-2 rounded bg-brand-500" style={{ width: `${Math.min(100, (100 * po.received) / Math.max(po.expected, 1))}%` }} />
              </div>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
