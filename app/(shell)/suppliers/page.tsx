import Link from 'next/link';
import { getDb } from '@/db/client';
import { SupplierForm } from '@/components/purchasing/supplier-form';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { figure, Table } from '@/components/ui/table';
import { requirePageRole } from '@/server/auth/session';
import { supplierList } from '@/server/inventory/read/suppliers';

export const metadata = { title: 'Suppliers · Onhand' };

// Who the shop buys from, for managers and admins: the list, and a new supplier below it.
export default async function SuppliersPage() {
  await requirePageRole('manager');
  const suppliers = await supplierList(getDb());
  return (
    <div className="space-y-6">
      <PageHeader title="Suppliers" />
      {suppliers.length ? (
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
          <Table caption="Suppliers" columns={['Name', 'Email', 'Phone', figure('Lead time (days)'), figure('Products'), 'Status']}>
            {suppliers.map((s) => (
              <tr key={s.id} className="border-t border-slate-100">
                <td className="px-4 py-2">
                  <Link href={`/suppliers/${s.id}`} className="text-brand-700 underline">
                    {s.name}
                  </Link>
                </td>
                <td className="px-4 py-2">{s.email ?? '—'}</td>
                <td className="px-4 py-2">{s.phone ?? '—'}</td>
                <td className="px-4 py-2 text-right tabular-nums">{s.leadTimeDays}</td>
                <td className="px-4 py-2 text-right tabular-nums">{s.products}</td>
                <td className="px-4 py-2">{s.active ? 'Active' : 'Deactivated'}</td>
              </tr>
            ))}
          </Table>
        </div>
      ) : (
        <EmptyState title="No suppliers yet">Create the first one below, then add it to products on their pages.</EmptyState>
      )}
      <section aria-labelledby="new-supplier" className="space-y-2">
        <h2 id="new-supplier" className="text-lg font-medium">
          New supplier
        </h2>
        <SupplierForm />
      </section>
    </div>
  );
}
