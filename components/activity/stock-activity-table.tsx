import Link from 'next/link';
import type { StockActivityRow } from '@/lib/contracts/activity';
import { figure, Table } from '@/components/ui/table';
import { actorName, signed, when } from './format';

// Ledger rows across products: when, what, which product and bin, the change and the level after it, why, and who.
export function StockActivityTable({ rows }: { rows: StockActivityRow[] }) {
  return (
    <Table caption="Stock movements" compact columns={['When', 'Kind', 'Product', 'Bin', figure('On hand'), figure('Reserved'), 'Why', 'Reference', 'Who']}>
      {rows.map((m) => (
        <tr key={m.id} className="border-t border-slate-100 align-top" data-testid="ledger-row">
          <td className="px-3 py-2 whitespace-nowrap">{when(m.at)}</td>
          <td className="px-3 py-2">{m.kind.replace('_', ' ')}</td>
          <td className="px-3 py-2">
            <Link href={`/stock/${encodeURIComponent(m.sku)}`} className="font-mono whitespace-nowrap text-brand-700 underline">
              {m.sku}
            </Link>
            <span className="block text-xs text-slate-600">{m.name}</span>
          </td>
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
          <td className="px-3 py-2 text-xs">{actorName(m.actor)}</td>
        </tr>
      ))}
    </Table>
  );
}
