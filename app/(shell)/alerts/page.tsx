import { getDb } from '@/db/client';
import { ThresholdForm } from '@/components/threshold-form';
import { StatusChip } from '@/components/ui/status-chip';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { requirePageRole } from '@/server/auth/session';
import { stockList } from '@/server/inventory/read/stock-list';

export const metadata = { title: 'Alerts · Onhand' };

export default async function AlertsPage() {
  await requirePageRole('manager');
  const db = getDb();
  const [out, low] = await Promise.all([
    stockList(db, { status: 'out_of_stock', pageSize: 200 }),
    stockList(db, { status: 'low_stock', pageSize: 200 }),
  ]);
  const rows = [...out.rows, ...low.rows];
  return (
    <>
      <PageHeader title="Alerts">
        <p className="text-sm text-slate-600" data-testid="alert-summary">
          {out.total + low.total} products need attention: {out.total} out of stock, {low.total} low
        </p>
      </PageHeader>
      {rows.length === 0 ? (
        <EmptyState title="Nothing is low">Every product is above its threshold.</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
          <table className="w-full text-sm">
            <thead className="bg-slate-50 text-left text-slate-600">
              <tr>
                <th className="px-4 py-2 font-medium">SKU</th>
                <th className="px-4 py-2 font-medium">Name</th>
                <th className="px-4 py-2 text-right font-medium">Available</th>
                <th className="px-4 py-2 font-medium">Status</th>
                <th className="px-4 py-2 font-medium">Threshold</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} className="border-t border-slate-100">
                  <td className="px-4 py-2 font-mono">{r.sku}</td>
                  <td className="px-4 py-2">{r.name}</td>
                  <td className="px-4 py-2 text-right tabular-nums">{r.available}</td>
                  <td className="px-4 py-2">
                    <StatusChip status={r.status} />
                  </td>
                  <td className="px-4 py-2">
                    <ThresholdForm sku={r.sku} threshold={r.threshold} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
