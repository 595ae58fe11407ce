import { Button } from '@/components/ui/button';
import { figure, ProductCell, TableCard } from '@/components/ui/table';
import type { BinContents } from '@/lib/contracts/stock';

type Place = { warehouse: string; location: string };

// "Move everything": what will move (each product's free units) and what stays (units held for carts and orders),
// then the destination, confirmed by scanning it again or by the button.
export function MoveAllConfirm({ bin, to, pending, onConfirm, onCancel }: { bin: BinContents; to: Place | null; pending: boolean; onConfirm: () => void; onCancel: () => void }) {
  const moving = bin.levels.filter((l) => l.available > 0);
  const units = moving.reduce((s, l) => s + l.available, 0);
  const held = bin.levels.reduce((s, l) => s + l.reserved, 0);
  return (
    <section aria-labelledby="move-all-title" className="space-y-3 rounded-xl border-2 border-brand-200 bg-brand-50/60 p-4">
      <h2 id="move-all-title" className="text-lg font-semibold">
        Move everything from {bin.location}
        {to ? ` to ${to.warehouse} ${to.location}` : ''}
      </h2>
      <p data-testid="move-all-summary">
        {units} units of {moving.length} product{moving.length === 1 ? '' : 's'} will move.{' '}
        {held > 0 ? `${held} held units (reserved for carts and orders) stay in ${bin.location}.` : 'No units are held here.'}
      </p>
      <TableCard id="move-all-lines" title={`Moving from ${bin.location}`} columns={['Product', figure('Moves'), figure('Stays (held)')]}>
        {moving.map((l) => (
          <tr key={l.sku} className="border-t border-slate-100">
            <ProductCell sku={l.sku} name={l.name} />
            <td className="px-4 py-2 text-right tabular-nums">{l.available}</td>
            <td className="px-4 py-2 text-right tabular-nums">{l.reserved}</td>
          </tr>
        ))}
      </TableCard>
      <p className="text-sm text-slate-700">{to ? `Scan ${to.location} again or press the button to confirm.` : 'Scan the destination bin.'}</p>
      <div className="flex flex-wrap gap-2">
        {to ? (
          <Button variant="primary" pending={pending} onClick={onConfirm}>
            Move all to {to.warehouse} {to.location}
          </Button>
        ) : null}
        <Button onClick={onCancel}>Cancel moving everything</Button>
      </div>
    </section>
  );
}
