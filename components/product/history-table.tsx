'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import { Button } from '@/components/ui/button';
import { historyQuery } from '@/lib/dashboard-api';

const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '0');

// The ledger for this product, newest first, paged by cursor: who, when, why and against what.
export function HistoryTable({ sku }: { sku: string }) {
  const history = useInfiniteQuery(historyQuery(sku));
  if (history.isPending) return <div className="h-40 animate-pulse bg-slate-50" aria-label="Loading history" />;
  if (history.isError) return <p className="px-4 py-3 text-sm text-red-700">History did not load: {history.error.message}</p>;
  const rows = history.data.pages.flatMap((p) => p.items);
  if (rows.length === 0) return <p className="px-4 py-3 text-sm text-slate-600">No movements yet.</p>;
  return (
    <>
      <table className="w-full text-sm">
        <caption className="sr-only">Movement history</caption>
        <thead className="bg-slate-50 text-left text-slate-600">
          <tr>
            <th className="px-3 py-2 font-medium">When</th>
            <th className="px-3 py-2 font-medium">What</th>
            <th className="px-3 py-2 font-medium">Bin</th>
            <th className="px-3 py-2 text-right font-medium">On hand</th>
            <th className="px-3 py-2 text-right font-medium">Reserved</th>
            <th className="px-3 py-2 font-medium">Why</th>
            <th className="px-3 py-2 font-medium">Reference</th>
            <th className="px-3 py-2 font-medium">Who</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((m) => (
            <tr key={m.id} className="border-t border-slate-100 align-top">
              <td className="px-3 py-2 whitespace-nowrap">{new Date(m.createdAt).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' })}</td>
              <td className="px-3 py-2 capitalize">{m.kind.replace('_', ' ')}</td>
              <td className="px-3 py-2 font-mono whitespace-nowrap">
                {m.warehouse} {m.location}
              </td>
              <td className="px-3 py-2 text-right whitespace-nowrap tabular-nums">
                {m.onHandDelta ? signed(m.onHandDelta) : ''} <span className="text-slate-500">→ {m.onHandAfter}</span>
              </td>
              <td className="px-3 py-2 text-right whitespace-nowrap tabular-nums">
                {m.reservedDelta ? signed(m.reservedDelta) : ''} <span className="text-slate-500">→ {m.reservedAfter}</span>
              </td>
              <td className="px-3 py-2">
                {m.reasonCode?.replace('_', ' ') ?? ''}
                {m.note ? <span className="block text-xs text-slate-500">{m.note}</span> : null}
              </td>
              <td className="px-3 py-2 font-mono text-xs">{m.referenceLabel ?? m.referenceId ?? ''}</td>
              <td className="px-3 py-2 text-xs">{m.actor.replace(/^\w+:/, '')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="flex min-h-12 items-center justify-center border-t border-slate-100">
        {history.hasNextPage ? (
          <Button variant="ghost" pending={history.isFetchingNextPage} onClick={() => history.fetchNextPage()}>
            Load older movements
          </Button>
        ) : (
          <span className="text-sm text-slate-500">Start of history</span>
        )}
      </div>
    </>
  );
}
