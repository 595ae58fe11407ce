import { getDb } from '@/db/client';
import { PageHeader } from '@/components/ui/page-header';
import { NewWarehouseForm } from '@/components/warehouses/warehouse-forms';
import { WarehouseList } from '@/components/warehouses/warehouse-list';
import { requirePageRole } from '@/server/auth/session';
import { warehouseSummaries } from '@/server/inventory/read/places';

export const metadata = { title: 'Warehouses · Onhand' };

// Warehouses and their bins as master data, for managers and admins.
export default async function WarehousesPage() {
  await requirePageRole('manager');
  const summaries = await warehouseSummaries(getDb());
  return (
    <div className="space-y-6">
      <PageHeader title="Warehouses" />
      <WarehouseList initial={summaries} />
      <section aria-labelledby="new-warehouse" className="space-y-2">
        <h2 id="new-warehouse" className="text-lg font-medium">
          New warehouse
        </h2>
        <NewWarehouseForm />
      </section>
    </div>
  );
}
