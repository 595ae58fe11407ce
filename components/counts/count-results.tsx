import { figure, ProductCell, TableCard } from '@/components/ui/table';

export type CountRow = { sku: string; name: string; location: string; counted: number; delta: number };

// Differences appear only after submission (a blind count): more in green with +, fewer in red with −, in words too.
export function CountResults({ rows }: { rows: CountRow[] }) {
  if (rows.length === 0) return null;
  return (
    <TableCard id="counted-title" title="Counted this session" columns={['Bin', 'Product', figure('Counted'), 'Difference']}>
      {rows.map((r, i) => (
        <tr key={`${r.sku}-${r.location}-${i}`} className="border-t border-slate-100">
          <td className="px-4 py-2 font-mono">{r.location}</td>
          <ProductCell sku={r.sku} name={r.name} />
          <td className="px-4 py-2 text-right tabular-nums">{r.counted}</td>
          <td className={`px-4 py-2 font-medium ${r.delta > 0 ? 'text-emerald-700' : r.delta < 0 ? 'text-red-700' : 'text-slate-600'}`}>
            {r.delta > 0 ? `▲ +${r.delta} more` : r.delta < 0 ? `▼ −${-r.delta} fewer` : '= matches'}
          </td>
        </tr>
      ))}
    </TableCard>
  );
}
