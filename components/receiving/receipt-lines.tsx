import type { PurchaseOrderDetail } from '@/lib/contracts/floor';
import { figure, ProductCell, TableCard } from '@/components/ui/table';

export type SessionLine = { sku: string; name: string; qty: number; location: string };

// Expected · received · remaining · receiving now, per line, with over and short flagged in words.
export function ReceiptLines({ po, now }: { po: PurchaseOrderDetail; now: { sku: string; qty: number } | null }) {
  return (
    <TableCard
      id="lines-title"
      title={`${po.reference} · ${po.supplier} · ${po.warehouse}`}
      columns={['Product', figure('Expected'), figure('Received'), figure('Remaining'), figure('Receiving now'), 'State']}
    >
      {po.lines.map((l) => {
        const receiving = now?.sku === l.sku ? now.qty : 0;
        const state = l.over > 0 ? `▲ ${l.over} over` : l.remaining === 0 ? '✓ complete' : l.received > 0 ? `… ${l.remaining} to go` : '○ not started';
        return (
          <tr key={l.sku} className={`border-t border-slate-100 ${receiving ? 'bg-brand-50' : ''}`} data-sku={l.sku}>
            <ProductCell sku={l.sku} name={l.name} />
            <td className="px-4 py-2 text-right tabular-nums">{l.expected}</td>
            <td className="px-4 py-2 text-right tabular-nums">{l.received}</td>
            <td className="px-4 py-2 text-right tabular-nums">{l.remaining}</td>
            <td className="px-4 py-2 text-right font-medium tabular-nums">{receiving || ''}</td>
            <td className={`px-4 py-2 ${l.over > 0 ? 'text-amber-800' : l.remaining === 0 ? 'text-emerald-800' : 'text-slate-600'}`}>{state}</td>
          </tr>
        );
      })}
    </TableCard>
  );
}

export function SessionLines({ lines }: { lines: SessionLine[] }) {
  if (!lines.length) return null;
  return (
    <section aria-labelledby="session-title" className="rounded-xl border border-slate-200 bg-white p-4">
      <h2 id="session-title" className="mb-2 text-lg font-semibold">
        Put away in this session
      </h2>
      <ul className="space-y-1 text-sm">
        {lines.map((l, i) => (
          <li key={i}>
            <span className="tabular-nums">{l.qty}</span> × <span className="font-mono">{l.sku}</span> {l.name} → <span className="font-mono">{l.location}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
