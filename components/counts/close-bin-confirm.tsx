import { Button } from '@/components/ui/button';
import { figure, ProductCell, TableCard } from '@/components/ui/table';

export type Unscanned = { sku: string; name: string; expected: number };

// Closing a bin's count: what the bin held (when it was scanned) that was not counted, and the question. The
// figures are shown on purpose: the blind count of this bin is over, and the counter decides on what will be zeroed.
export function CloseBinConfirm({ bin, lines, pending, onConfirm, onCancel }: { bin: string; lines: Unscanned[]; pending: boolean; onConfirm: () => void; onCancel: () => void }) {
  const n = lines.length;
  return (
    <section aria-labelledby="close-title" className="space-y-3 rounded-xl border-2 border-amber-300 bg-amber-50/60 p-4">
      <h2 id="close-title" className="text-lg font-semibold">
        Close the count of {bin}
      </h2>
      <p data-testid="close-question">
        These {n} product{n === 1 ? ' was' : 's were'} not scanned: set {n === 1 ? 'it' : 'them'} to 0?
      </p>
      <TableCard id="unscanned-title" title={`Not scanned in ${bin}`} columns={['Product', figure('Recorded'), figure('Becomes')]}>
        {lines.map((l) => (
          <tr key={l.sku} className="border-t border-slate-100">
            <ProductCell sku={l.sku} name={l.name} />
            <td className="px-4 py-2 text-right tabular-nums">{l.expected}</td>
            <td className="px-4 py-2 text-right tabular-nums text-red-700">0</td>
          </tr>
        ))}
      </TableCard>
      <p className="text-sm text-slate-700">Scan {bin} again or press the button to confirm; scan a product to count it instead.</p>
      <div className="flex flex-wrap gap-2">
        <Button variant="primary" pending={pending} onClick={onConfirm}>
          Set {n} to 0
        </Button>
        <Button onClick={onCancel}>Keep counting</Button>
      </div>
    </section>
  );
}
