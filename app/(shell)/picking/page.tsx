import { getDb } from '@/db/client';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { requirePageRole } from '@/server/auth/session';
import { ordersToPick } from '@/server/inventory/read/open-work';

export const metadata = { title: 'Picking · Onhand' };

export default async function PickingPage() {
  await requirePageRole('staff');
  const orders = await ordersToPick(getDb());
  return (
    <>
      <PageHeader title="Picking" />
      {orders.length === 0 ? (
        <EmptyState title="No orders to pick">Allocated orders appear here, oldest first.</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
          <table className="w-full text-sm">
            <thead className="bg-slate-50 text-left text-slate-600">
              <tr>
                <th className="px-4 py-2 font-medium">Order</th>
                <th className="px-4 py-2 font-medium">Channel</th>
                <th className="px-4 py-2 font-medium">Status</th>
                <th className="px-4 py-2 text-right font-medium">Lines</th>
                <th className="px-4 py-2 text-right font-medium">Picked</th>
              </tr>
            </thead>
            <tbody>
              {orders.map((o) => (
                <tr key={o.id} className="border-t border-slate-100">
                  <td className="px-4 py-2 font-mono">{o.reference}</td>
                  <td className="px-4 py-2">{o.channel}</td>
                  <td className="px-4 py-2 capitalize">{o.status}</td>
                  <td className="px-4 py-2 text-right tabular-nums">{o.lines}</td>
                  <td className="px-4 py-2 text-right tabular-nums">
                    {o.picked} / {o.units}
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
