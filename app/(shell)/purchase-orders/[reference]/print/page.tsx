import { notFound } from 'next/navigation';
import { getDb } from '@/db/client';
import { PrintButton } from '@/components/purchasing/print-button';
import { PurchaseOrderLines } from '@/components/purchasing/po-lines';
import { PO_STATUS_LABEL } from '@/lib/contracts/purchasing';
import { requirePageRole } from '@/server/auth/session';
import { InventoryError } from '@/server/inventory';
import { purchaseOrderView } from '@/server/inventory/read/purchase-orders';

export const metadata = { title: 'Print purchase order · Onhand' };

// The order as a page to print or save as PDF from the browser: the shell's navigation is hidden in print.
export default async function PrintPurchaseOrderPage({ params }: { params: Promise<{ reference: string }> }) {
  await requirePageRole('manager');
  const reference = decodeURIComponent((await params).reference);
  const po = await purchaseOrderView(getDb(), reference).catch((e: unknown) => {
    if (e instanceof InventoryError && e.type === 'not_found') notFound();
    throw e;
  });
  return (
    <article className="po-print space-y-6 bg-white p-6 print:p-0">
      <style>{`@media print { body * { visibility: hidden; } .po-print, .po-print * { visibility: visible; } .po-print { position: absolute; inset: 0; } .no-print { display: none; } }`}</style>
      <header className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Purchase order {po.reference}</h1>
          <p className="text-sm text-slate-600">{PO_STATUS_LABEL[po.status]}</p>
        </div>
        <PrintButton />
      </header>
      <dl className="grid grid-cols-2 gap-x-6 gap-y-1 text-sm sm:grid-cols-4">
        <dt className="text-slate-500">Supplier</dt>
        <dd>{po.supplier}</dd>
        <dt className="text-slate-500">Deliver to</dt>
        <dd>{po.warehouse}</dd>
        <dt className="text-slate-500">Ordered</dt>
        <dd>{po.orderedAt ? po.orderedAt.slice(0, 10) : '—'}</dd>
        <dt className="text-slate-500">Expected</dt>
        <dd>{po.expectedAt ?? '—'}</dd>
      </dl>
      <PurchaseOrderLines po={po} />
    </article>
  );
}
