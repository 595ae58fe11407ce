import Link from 'next/link';
import { StatusChip } from '@/components/ui/status-chip';
import type { StockListParams } from '@/lib/contracts/stock';
import type { StockListRow, StockSort } from '@/lib/contracts/stock';

const columns: { key: string; label: string; sort?: StockSort; numeric?: boolean }[] = [
  { key: 'sku', label: 'SKU', sort: 'sku' },
  { key: 'name', label: 'Name', sort: 'name' },
  { key: 'bins', label: 'Bin' },
  { key: 'onHand', label: 'On hand', sort: 'onHand', numeric: true },
  { key: 'reserved', label: 'Reserved', sort: 'reserved', numeric: true },
  { key: 'available', label: 'Available', sort: 'available', numeric: true },
  { key: 'incoming', label: 'Incoming', numeric: true },
  { key: 'threshold', label: 'Threshold', sort: 'threshold', numeric: true },
  { key: 'status', label: 'Status' },
  { key: 'lastCounted', label: 'Last counted' },
];

type Props = {
  rows: StockListRow[] | undefined;
  params: StockListParams;
  busy: boolean;
  onSort: (sort: StockSort) => void;
};

const date = (iso: string | null) => (iso ? new Date(iso).toLocaleDateString(undefined, { day: 'numeric', month: 'short' }) : '—');

// Rows are a fixed height and the skeleton has as many as a page, so loading never shifts the layout.
export function StockTable({ rows, params, busy, onSort }: Props) {
  const sort = params.sort ?? 'sku';
  const dir = params.dir ?? 'asc';
  return (
    <table className={`w-full text-sm transition-opacity ${busy ? 'opacity-60' : ''}`} aria-busy={busy}>
      <caption className="sr-only">Stock by product. Column headers with buttons sort the list.</caption>
      <thead className="bg-slate-50 text-left text-slate-600">
        <tr>
          {columns.map((c) => {
            const active = c.sort === sort;
            return (
              <th
                key={c.key}
                scope="col"
                aria-sort={active ? (dir === 'asc' ? 'ascending' : 'descending') : undefined}
                className={`px-3 py-1 font-medium whitespace-nowrap ${c.numeric ? 'text-right' : ''}`}
              >
                {c.sort ? (
                  <button type="button" onClick={() => onSort(c.sort!)} className="inline-flex min-h-11 items-center gap-1 hover:text-slate-900">
                    {c.label}
                    <span aria-hidden="true" className="w-3 text-xs">
                      {active ? (dir === 'asc' ? '▲' : '▼') : ''}
                    </span>
                  </button>
                ) : (
                  c.label
                )}
              </th>
            );
          })}
        </tr>
      </thead>
      <tbody>
        {rows
          ? rows.map((r) => (
              <tr key={r.id} className="h-11 border-t border-slate-100">
                <td className="px-3 font-mono whitespace-nowrap">
                  {/* Not prefetched: fifty rows would ask the server for fifty pages each time the list shows, competing
                      with the scan the floor is waiting on; a click fetches its page when it happens. */}
                  <Link href={`/stock/${encodeURIComponent(r.sku)}`} prefetch={false} className="text-brand-700 underline-offset-2 hover:underline">
                    {r.sku}
                  </Link>
                </td>
                <td className="min-w-64 px-3">{r.name}</td>
                <td className="px-3 font-mono whitespace-nowrap">
                  {r.bins[0] ?? '—'}
                  {r.bins.length > 1 ? <span className="text-slate-500"> +{r.bins.length - 1}</span> : null}
                </td>
                <td className="px-3 text-right tabular-nums">{r.onHand}</td>
                <td className="px-3 text-right tabular-nums">{r.reserved}</td>
                <td className="px-3 text-right font-medium tabular-nums">{r.available}</td>
                <td className="px-3 text-right tabular-nums">{r.incoming || ''}</td>
                <td className="px-3 text-right tabular-nums">{r.threshold}</td>
                <td className="px-3 whitespace-nowrap">
                  <StatusChip status={r.status} />
                </td>
                <td className="px-3 whitespace-nowrap text-slate-600">{date(r.lastCountedAt)}</td>
              </tr>
            ))
          : Array.from({ length: 12 }, (_, i) => (
              <tr key={i} className="h-11 border-t border-slate-100" aria-hidden="true">
                {columns.map((c) => (
                  <td key={c.key} className="px-3">
                    <span className="block h-3 animate-pulse rounded bg-slate-100" />
                  </td>
                ))}
              </tr>
            ))}
      </tbody>
    </table>
  );
}
