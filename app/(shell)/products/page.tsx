import Link from 'next/link';
import { getDb } from '@/db/client';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { figure, Table } from '@/components/ui/table';
import { requirePageRole } from '@/server/auth/session';
import { catalogue } from '@/server/inventory/read/catalogue';

export const metadata = { title: 'Products · Onhand' };

type Search = { q?: string; after?: string; archived?: string };

// The catalogue for its editors (managers and admins): search by SKU, name or a scanned barcode.
export default async function ProductsPage({ searchParams }: { searchParams: Promise<Search> }) {
  await requirePageRole('manager');
  const sp = await searchParams;
  const archived = sp.archived === 'include' ? 'include' : 'exclude';
  const page = await catalogue(getDb(), { q: sp.q, after: sp.after || undefined, archived });
  const next = page.nextCursor ? `?${new URLSearchParams({ ...(sp.q ? { q: sp.q } : {}), archived, after: page.nextCursor })}` : null;
  return (
    <div className="space-y-4">
      <PageHeader title="Products">
        <Link href="/products/new" className="inline-flex min-h-11 items-center rounded-lg bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700">
          New product
        </Link>
      </PageHeader>
      <form role="search" className="flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor="products-q" className="mb-1 block text-sm font-medium text-slate-700">
            Search or scan
          </label>
          <input id="products-q" name="q" defaultValue={sp.q} autoFocus autoComplete="off" placeholder="SKU, name or barcode" className="block min-h-11 w-72 rounded-md border border-slate-300 px-3 py-2" />
        </div>
        <label className="flex min-h-11 items-center gap-2 text-sm">
          <input type="checkbox" name="archived" value="include" defaultChecked={archived === 'include'} className="size-5" />
          Include archived
        </label>
        <button className="min-h-11 rounded-md border border-slate-300 px-4">Search</button>
      </form>
      {page.items.length ? (
        <>
          {/* The ticks below belong to this form (form="print-labels"): the search form above stays a form of its own. */}
          <form id="print-labels" action="/labels/products" aria-label="Print labels" className="flex items-center gap-3">
            <button className="min-h-11 rounded-md border border-slate-300 bg-white px-4 font-medium hover:bg-slate-50">Print labels</button>
            <span className="text-sm text-slate-600">for the ticked products</span>
          </form>
          <Table caption="Products" columns={[{ label: <span className="sr-only">Select</span> }, 'SKU', 'Name', 'Barcodes', 'Unit', figure('Low at'), figure('Lead time (days)'), 'Status']}>
            {page.items.map((p) => (
              <tr key={p.sku} className="border-t border-slate-100">
                <td className="w-12 px-4 py-2">
                  <input type="checkbox" name="sku" value={p.sku} form="print-labels" aria-label={`Select ${p.sku}`} className="size-5" />
                </td>
                <td className="px-4 py-2 font-mono">
                  <Link href={`/products/${encodeURIComponent(p.sku)}`} className="text-brand-700 underline">
                    {p.sku}
                  </Link>
                </td>
                <td className="px-4 py-2">{p.name}</td>
                <td className="px-4 py-2 font-mono text-xs">{p.barcodes.join(' ')}</td>
                <td className="px-4 py-2">{p.unit}</td>
                <td className="px-4 py-2 text-right tabular-nums">{p.lowStockThreshold}</td>
                <td className="px-4 py-2 text-right tabular-nums">{p.leadTimeDays}</td>
                <td className="px-4 py-2">{p.active ? 'Active' : 'Archived'}</td>
              </tr>
            ))}
          </Table>
        </>
      ) : (
        <EmptyState title="No products match" />
      )}
      {next ? (
        <Link href={`/products${next}`} className="text-brand-700 underline">
          Next page
        </Link>
      ) : null}
    </div>
  );
}
