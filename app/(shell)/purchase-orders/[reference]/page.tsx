import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getDb } from '@/db/client';
import { CancelForm, CloseForm, DraftLineForm, MarkOrderedForm } from '@/components/purchasing/po-actions';
import { PurchaseOrderLines } from '@/components/purchasing/po-lines';
import { PageHeader } from '@/components/ui/page-header';
import { PO_STATUS_LABEL } from '@/lib/contracts/purchasing';
import { requirePageRole } from '@/server/auth/session';
import { InventoryError } from '@/server/inventory';
import { allows } from '@/server/inventory/commands/purchase-orders';
import { purchaseOrderView } from '@/server/inventory/read/purchase-orders';

export const metadata = { title: 'Purchase order · Onhand' };

// One purchase order: its lines, received against ordered, and the actions its state allows.
export default async function PurchaseOrderPage({ params }: { params: Promise<{ reference: string }> }) {
  await requirePageRole('manager');
  const reference = decodeURIComponent((await params).reference);
  const po = await purchaseOrderView(getDb(), reference).catch((e: unknown) => {
    if (e instanceof InventoryError && e.type === 'not_found') notFound();
    throw e;
  });
  const href = encodeURIComponent(po.reference);
  return (
    <div className="space-y-8">
      <PageHeader title={`Purchase order ${po.reference}`}>
        <p className="text-sm text-slate-600">
          <span data-testid="po-status">{PO_STATUS_LABEL[po.status]}</span> · {po.supplier} · {po.warehouse}
          {po.expectedAt ? ` · expected ${po.expectedAt}` : ''} · version {po.version} ·{' '}
          <a href={`/purchase-orders/${href}/csv`} className="text-brand-700 underline" download>
            Download CSV
          </a>{' '}
          ·{' '}
          <Link href={`/purchase-orders/${href}/print`} className="text-brand-700 underline">
            Print
          </Link>
          {allows(po.status, 'receive') ? (
            <>
              {' '}
              ·{' '}
              <Link href={`/receiving/receipt?po=${href}`} className="text-brand-700 underline">
                Receive
              </Link>
            </>
          ) : null}
        </p>
      </PageHeader>
      <section aria-labelledby="lines" className="space-y-2">
        <h2 id="lines" className="text-lg font-medium">
          Lines
        </h2>
        {po.lines.length ? (
          <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
            <PurchaseOrderLines po={po} />
          </div>
        ) : (
          <p className="text-sm text-slate-600">No lines yet: add what to order below.</p>
        )}
      </section>
      {allows(po.status, 'editLines') ? (
        <section aria-labelledby="edit-lines" className="space-y-2">
          <h2 id="edit-lines" className="text-lg font-medium">
            Add or change a line
          </h2>
          <DraftLineForm key={po.version} po={po} />
        </section>
      ) : null}
      {allows(po.status, 'order') ? (
        <section aria-labelledby="order" className="space-y-2">
          <h2 id="order" className="text-lg font-medium">
            Place the order
          </h2>
          <MarkOrderedForm key={po.version} po={po} />
        </section>
      ) : null}
      {allows(po.status, 'close') ? (
        <section aria-labelledby="close" className="space-y-2">
          <h2 id="close" className="text-lg font-medium">
            Close
          </h2>
          <p className="text-sm text-slate-600">Closing stops receipts against this order; every line still short needs a reason.</p>
          <CloseForm key={po.version} po={po} />
        </section>
      ) : null}
      {allows(po.status, 'cancel') && po.lines.every((l) => l.received === 0) ? (
        <section aria-labelledby="cancel" className="space-y-2">
          <h2 id="cancel" className="text-lg font-medium">
            Cancel
          </h2>
          <CancelForm key={po.version} po={po} />
        </section>
      ) : null}
    </div>
  );
}
