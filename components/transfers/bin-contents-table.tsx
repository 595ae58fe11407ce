import type { BinContents } from '@/lib/contracts/stock';

// What the source bin holds, so the mover sees what is free to move (reserved units stay where their holds are).
export function BinContentsTable({ bin, highlight }: { bin: BinContents; highlight?: string }) {
  return (
    <section aria-labelledby="bin-title" className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
      <h2 id="bin-title" className="px-4 pt-3 text-lg font-semibold">
        In {bin.warehouse} {bin.location}
      </h2>
      {bin.levels.length === 0 ? (
        <p className="px-4 py-3 text-sm text-slate-600">This bin is empty.</p>
      ) : (
        <table className="w-full text-sm">
          <thead className="text-left text-slate-600">
            <tr>
              <th className="px-4 py-2 font-medium">Product</th>
              <th className="px-4 py-2 text-right font-medium">On hand</th>
              <th className="px-4 py-2 text-right font-medium">Reserved</th>
              <th className="px-4 py-2 text-right font-medium">Free to move</th>
            </tr>
          </thead>
          <tbody>
            {bin.levels.map((l) => (
              <tr key={l.sku} className={`border-t border-slate-100 ${l.sku === highlight ? 'bg-brand-50 font-medium' : ''}`}>
                <td className="px-4 py-2">
                  <span className="font-mono">{l.sku}</span> · {l.name}
                </td>
                <td className="px-4 py-2 text-right tabular-nums">{l.onHand}</td>
                <td className="px-4 py-2 text-right tabular-nums">{l.reserved}</td>
                <td className="px-4 py-2 text-right tabular-nums">{l.available}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
