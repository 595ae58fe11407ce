import Link from 'next/link';
import { getDb } from '@/db/client';
import { StatusChip } from '@/components/ui/status-chip';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { requirePageRole } from '@/server/auth/session';
import { stockList, type StockStatus } from '@/server/inventory/read/stock-list';

export const metadata = { title: 'Stock · Onhand' };

const statuses: StockStatus[] = ['in_stock', 'low_stock', 'out_of_stock'];

export default async function StockPage({ searchParams }: { searchParams: Promise<{ q?: string; status?: string; page?: string }> }) {
  await requirePageRole('staff');
  const sp = await searchParams;
  const status = statuses.find((s) => s === sp.status);
  const page = Math.max(Number.parseInt(sp.page ?? '1', 10) || 1, 1);
  const { rows, total } = await stockList(getDb(), { q: sp.q, status, page });
  const pages = Math.max(Math.ceil(total / 50), 1);
  const link = (p: number) => `/stock?${new URLSearchParams({ ...(sp.q ? { q: sp.q } : {}), ...(status ? { status } : {}), page: String(p) })}`;
  return (
    <>
      <PageHeader title="Stock">
        <form className="flex flex-wrap gap-2" role="search">
          <label className="sr-only" htmlFor="stock-q">
            Search by SKU, name or barcode
          </label>
          <input
            id="stock-q"
            name="q"
            defaultValue={sp.q}
            placeholder="SKU, name or barcode"
            autoFocus
            className="min-h-11 w-64 rounded-md border border-slate-300 bg-white px-3"
          />
          <select name="status" defaultValue={status ?? ''} aria-label="Status" className="min-h-11 rounded-md border border-slate-300 bg-white px-2">
            <option value="">All statuses</option>
            <option value="in_stock">In stock</option>
            <option value="low_stock">Low</option>
            <option value="out_of_stock">Out</option>
          </select>
          <button className="min-h-11 rounded-md bg-slate-800 px-4 text-white">Search</button>
        </form>
      </PageHeader>
      {rows.length === 0 ? (
        <EmptyState title={sp.q ? `Nothing matches “${sp.q}”` : 'No products yet'}>
          {sp.q ? 'Try part of the SKU or name, or scan the barcode.' : 'Products appear here once they are created and received.'}
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
          <table className="w-full text-sm">
            <thead className="bg-slate-50 text-left text-slate-600">
              <tr>
                <th className="px-4 py-2 font-medium">SKU</th>
                <th className="px-4 py-2 font-medium">Name</th>
                <th className="px-4 py-2 text-right font-medium">On hand</th>
                <th className="px-4 py-2 text-right font-medium">Reserved</th>
                <th className="px-4 py-2 text-right font-medium">Available</th>
                <th className="px-4 py-2 font-medium">Status</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} className="border-t border-slate-100">
                  <td className="px-4 py-2 font-mono">{r.sku}</td>
                  <td className="px-4 py-2">{r.name}</td>
                  <td className="px-4 py-2 text-right tabular-nums">{r.onHand}</td>
                  <td className="px-4 py-2 text-right tabular-nums">{r.reserved}</td>
                  <td className="px-4 py-2 text-right font-medium tabular-nums">{r.available}</td>
                  <td className="px-4 py-2">
                    <StatusChip status={r.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="flex items-center justify-between border-t border-slate-100 px-4 py-2 text-sm text-slate-600">
            <span>
              {total.toLocaleString('en')} products · page {page} of {pages}
            </span>
            <span className="flex gap-3">
              {page > 1 ? <Link href={link(page - 1)}>← Previous</Link> : null}
              {page < pages ? <Link href={link(page + 1)}>Next →</Link> : null}
            </span>
          </div>
        </div>
      )}
    </>
  );
}
