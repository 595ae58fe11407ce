import { getDb } from '@/db/client';
import { NewPurchaseOrderForm } from '@/components/purchasing/new-po-form';
import { PurchaseOrderList } from '@/components/purchasing/po-list';
import { PageHeader } from '@/components/ui/page-header';
import { requirePageRole } from '@/server/auth/session';
import { purchaseOrderList } from '@/server/inventory/read/purchase-orders';
import { supplierList } from '@/server/inventory/read/suppliers';
import { warehouseList } from '@/server/inventory/read/warehouses';

export const metadata = { title: 'Purchase orders · Onhand' };

// Purchase orders by status, for managers and admins, and a new draft below.
export default async function PurchaseOrdersPage() {
  await requirePageRole('manager');
  const db = getDb();
  const [orders, suppliers, warehouses] = await Promise.all([purchaseOrderList(db), supplierList(db), warehouseList(db)]);
  return (
    <div className="space-y-6">
      <PageHeader title="Purchase orders" />
      <PurchaseOrderList initial={orders} />
      <section aria-labelledby="new-po" className="space-y-2">
        <h2 id="new-po" className="text-lg font-medium">
          New purchase order
        </h2>
        <NewPurchaseOrderForm suppliers={suppliers.filter((s) => s.active).map(({ id, name }) => ({ id, name }))} warehouses={warehouses.map((w) => w.code)} />
      </section>
    </div>
  );
}
