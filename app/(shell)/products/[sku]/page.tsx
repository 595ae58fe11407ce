import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getDb } from '@/db/client';
import { ChangeTable } from '@/components/activity/change-table';
import { AddBarcodeForm, ArchiveForm } from '@/components/catalogue/product-actions';
import { PrintLabelForm } from '@/components/labels/print-label-form';
import { ProductForm } from '@/components/catalogue/product-form';
import { ProductSuppliers } from '@/components/purchasing/product-suppliers';
import { PageHeader } from '@/components/ui/page-header';
import { activityHref } from '@/lib/contracts/activity';
import { requirePageRole } from '@/server/auth/session';
import { changeActivity } from '@/server/inventory/read/activity';
import { catalogProduct } from '@/server/inventory/read/catalogue';
import { productSupplierTerms, supplierList } from '@/server/inventory/read/suppliers';

export const metadata = { title: 'Product · Onhand' };

// A product's master data: edit it, add a scanned barcode, archive or restore it, and every recorded change.
export default async function ProductPage({ params }: { params: Promise<{ sku: string }> }) {
  await requirePageRole('manager');
  const sku = decodeURIComponent((await params).sku);
  const db = getDb();
  const product = await catalogProduct(db, sku);
  if (!product) notFound();
  const [changes, terms, suppliers] = await Promise.all([changeActivity(db, { entity: 'product', key: sku }, 20), productSupplierTerms(db, sku), supplierList(db)]);
  return (
    <div className="space-y-8">
      <PageHeader title={product.name}>
        <p className="text-sm text-slate-600">
          <span className="font-mono">{product.sku}</span> · {product.active ? 'Active' : 'Archived'} · <span data-testid="product-version">version {product.version}</span> ·{' '}
          <Link href={`/stock/${encodeURIComponent(product.sku)}`} className="text-brand-700 underline">
            Stock and movements
          </Link>
        </p>
      </PageHeader>
      <section aria-labelledby="print-label" className="space-y-2">
        <h2 id="print-label" className="text-lg font-medium">
          Label
        </h2>
        <PrintLabelForm skus={[product.sku]} />
      </section>
      <section aria-labelledby="add-barcode" className="space-y-2">
        <h2 id="add-barcode" className="text-lg font-medium">
          Add a barcode
        </h2>
        <AddBarcodeForm sku={product.sku} />
      </section>
      <section aria-labelledby="edit" className="space-y-2">
        <h2 id="edit" className="text-lg font-medium">
          Details
        </h2>
        <ProductForm key={product.version} product={product} />
      </section>
      <section aria-labelledby="suppliers" className="space-y-2">
        <h2 id="suppliers" className="text-lg font-medium">
          Suppliers
        </h2>
        <ProductSuppliers sku={product.sku} terms={terms} suppliers={suppliers.filter((s) => s.active).map(({ id, name }) => ({ id, name }))} />
      </section>
      <section aria-labelledby="archive" className="space-y-2">
        <h2 id="archive" className="text-lg font-medium">
          {product.active ? 'Archive' : 'Restore'}
        </h2>
        <ArchiveForm key={product.version} product={product} />
      </section>
      <section aria-labelledby="changes" className="space-y-2">
        <h2 id="changes" className="text-lg font-medium">
          Changes
        </h2>
        {changes.items.length ? (
          <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
            <ChangeTable rows={changes.items} caption="Changes to this product" />
          </div>
        ) : (
          <p className="text-sm text-slate-600">No recorded changes.</p>
        )}
        {changes.nextCursor ? (
          <Link href={activityHref('changes', { entity: 'product', key: product.sku, before: changes.nextCursor })} className="text-sm text-brand-700 underline">
            Older changes in Activity
          </Link>
        ) : null}
      </section>
    </div>
  );
}
