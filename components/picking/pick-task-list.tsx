import type { PickTask } from '@/lib/contracts/floor';
import { figure, ProductCell, TableCard } from '@/components/ui/table';

// The walk ahead: every remaining task in bin-path order, the current one first.
export function PickTaskList({ tasks }: { tasks: PickTask[] }) {
  if (tasks.length === 0) return null;
  return (
    <TableCard id="walk-title" title={`Pick list (${tasks.length})`} columns={['Bin', 'Product', 'Order', figure('Qty')]}>
      {tasks.map((t, i) => (
        <tr key={t.holdId} className={`border-t border-slate-100 ${i === 0 ? 'bg-brand-50 font-medium' : ''}`} aria-current={i === 0 ? 'step' : undefined}>
          <td className="px-4 py-2 font-mono">{t.location}</td>
          <ProductCell sku={t.sku} name={t.name} />
          <td className="px-4 py-2 font-mono">{t.reference}</td>
          <td className="px-4 py-2 text-right tabular-nums">{t.qty}</td>
        </tr>
      ))}
    </TableCard>
  );
}
