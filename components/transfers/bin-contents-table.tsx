import type { BinContents } from '@/lib/contracts/stock';
import { figure, ProductCell, TableCard } from '@/components/ui/table';

// What the source bin holds, so the mover sees what is free to move (reserved units stay where their holds are).
export function BinContentsTable({ bin, highlight }: { bin: BinContents; highlight?: string }) {
  return (
    <TableCard
      id="bin-title"
      title={`In ${bin.warehouse} ${bin.location}`}
      columns={['Product', figure('On hand'), figure('Reserved'), figure('Free to move')]}
      empty={bin.levels.length === 0 ? 'This bin is empty.' : undefined}
    >
      {bin.levels.map((l) => (
        <tr key={l.sku} className={`border-t border-slate-100 ${l.sku === highlight ? 'bg-brand-50 font-medium' : ''}`}>
          <ProductCell sku={l.sku} name={l.name} />
          <td className="px-4 py-2 text-right tabular-nums">{l.onHand}</td>
          <td className="px-4 py-2 text-right tabular-nums">{l.reserved}</td>
          <td className="px-4 py-2 text-right tabular-nums">{l.available}</td>
        </tr>
      ))}
    </TableCard>
  );
}
