import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getDb } from '@/db/client';
import { SupplierActiveForm, SupplierForm } from '@/components/purchasing/supplier-form';
import { PageHeader } from '@/components/ui/page-header';
import { requirePageRole } from '@/server/auth/session';
import { supplierById } from '@/server/inventory/read/suppliers';

export const metadata = { title: 'Supplier · Onhand' };

export default async function SupplierPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageRole('manager');
  const id = Number((await params).id);
  const supplier = await supplierById(getDb(), id);
  if (!supplier) notFound();
  return (
    <div className="space-y-8">
      <PageHeader title={supplier.name}>
        <p className="text-sm text-slate-600">
          {supplier.active ? 'Active' : 'Deactivated'} · version {supplier.version} ·{' '}
          <Link href="/suppliers" className="text-brand-700 underline">
            All suppliers
          </Link>
        </p>
      </PageHeader>
      <SupplierForm key={supplier.version} supplier={supplier} />
      <SupplierActiveForm key={`a${supplier.version}`} supplier={supplier} />
    </div>
  );
}
