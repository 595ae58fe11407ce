'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import { Button } from '@/components/ui/button';
import { figure, Table } from '@/components/ui/table';
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
      <Table caption="Movement history" compact columns={['When', 'What', 'Bin', figure('On hand'), figure('Reserved'), 'Why', 'Reference', 'Who']}>
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
      </Table>
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
