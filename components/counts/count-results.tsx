export type CountRow = { sku: string; name: string; location: string; counted: number; delta: number };

// Differences appear only after submission (a blind count): more in green with +, fewer in red with −, in words too.
export function CountResults({ rows }: { rows: CountRow[] }) {
  if (rows.length === 0) return null;
  return (
    <section aria-labelledby="counted-title" className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
      <h2 id="counted-title" className="px-4 pt-3 text-lg font-semibold">
        Counted this session
      </h2>
      <table className="w-full text-sm">
        <thead className="text-left text-slate-600">
          <tr>
            <th className="px-4 py-2 font-medium">Bin</th>
            <th className="px-4 py-2 font-medium">Product</th>
            <th className="px-4 py-2 text-right font-medium">Counted</th>
            <th className="px-4 py-2 font-medium">Difference</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={`${r.sku}-${r.location}-${i}`} className="border-t border-slate-100">
              <td className="px-4 py-2 font-mono">{r.location}</td>
              <td className="px-4 py-2">
                <span className="font-mono">{r.sku}</span> · {r.name}
              </td>
              <td className="px-4 py-2 text-right tabular-nums">{r.counted}</td>
              <td className={`px-4 py-2 font-medium ${r.delta > 0 ? 'text-emerald-700' : r.delta < 0 ? 'text-red-700' : 'text-slate-600'}`}>
                {r.delta > 0 ? `▲ +${r.delta} more` : r.delta < 0 ? `▼ −${-r.delta} fewer` : '= matches'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
