import type { PickTask } from '@/lib/contracts/floor';

// The walk ahead: every remaining task in bin-path order, the current one first.
export function PickTaskList({ tasks }: { tasks: PickTask[] }) {
  if (tasks.length === 0) return null;
  return (
    <section aria-labelledby="walk-title" className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
      <h2 id="walk-title" className="px-4 pt-3 text-lg font-semibold">
        Pick list ({tasks.length})
      </h2>
      <table className="w-full text-sm">
        <thead className="text-left text-slate-600">
          <tr>
            <th className="px-4 py-2 font-medium">Bin</th>
            <th className="px-4 py-2 font-medium">Product</th>
            <th className="px-4 py-2 font-medium">Order</th>
            <th className="px-4 py-2 text-right font-medium">Qty</th>
          </tr>
        </thead>
        <tbody>
          {tasks.map((t, i) => (
            <tr key={t.holdId} className={`border-t border-slate-100 ${i === 0 ? 'bg-brand-50 font-medium' : ''}`} aria-current={i === 0 ? 'step' : undefined}>
              <td className="px-4 py-2 font-mono">{t.location}</td>
              <td className="px-4 py-2">
                <span className="font-mono">{t.sku}</span> · {t.name}
              </td>
              <td className="px-4 py-2 font-mono">{t.reference}</td>
              <td className="px-4 py-2 text-right tabular-nums">{t.qty}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
