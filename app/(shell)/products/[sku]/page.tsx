import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getDb } from '@/db/client';
import { AddBarcodeForm, ArchiveForm } from '@/components/catalogue/product-actions';
import { ProductForm } from '@/components/catalogue/product-form';
import { ProductSuppliers } from '@/components/purchasing/product-suppliers';
import { PageHeader } from '@/components/ui/page-header';
import { Table } from '@/components/ui/table';
import { requirePageRole } from '@/server/auth/session';
import { catalogProduct, productChanges } from '@/server/inventory/read/catalogue';
import { productSupplierTerms, supplierList } from '@/server/inventory/read/suppliers';

export const metadata = { title: 'Product · Onhand' };

// A product's master data: edit it, add a scanned barcode, archive or restore it, and every recorded change.
export default async function ProductPage({ params }: { params: Promise<{ sku: string }> }) {
  await requirePageRole('manager');
  const sku = decodeURIComponent((await params).sku);
  const db = getDb();
  const product = await catalogProduct(db, sku);
  if (!product) notFound();
  const [changes, terms, suppliers] = await Promise.all([productChanges(db, sku), productSupplierTerms(db, sku), supplierList(db)]);
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
      <section aria-label="Changes" className="space-y-2">
        <h2 className="text-lg font-medium">Changes</h2>
        <Table caption="Changes to this product" columns={['When', 'Who', 'What', 'Before', 'After']}>
          {changes.map((c) => (
            <tr key={c.id} className="border-t border-slate-100 align-top">
              <td className="px-4 py-2 whitespace-nowrap">{new Date(c.at).toLocaleString('en-GB', { timeZone: 'UTC' })} UTC</td>
              <td className="px-4 py-2">{c.actor}</td>
              <td className="px-4 py-2">{c.action}</td>
              <td className="px-4 py-2 font-mono text-xs">{diff(c.before, c.after, 'before')}</td>
              <td className="px-4 py-2 font-mono text-xs">{diff(c.before, c.after, 'after')}</td>
            </tr>
          ))}
        </Table>
      </section>
    </div>
  );
}

// Only the fields that changed (all of them for a create), the version aside.
function diff(before: Record<string, unknown> | null, after: Record<string, unknown> | null, side: 'before' | 'after'): string {
  const keys = Object.keys(after ?? before ?? {}).filter((k) => k !== 'version' && JSON.stringify(before?.[k]) !== JSON.stringify(after?.[k]));
  const from = side === 'before' ? before : after;
  return from ? keys.map((k) => `${k}: ${JSON.stringify(from[k])}`).join('\n') : '—';
}
