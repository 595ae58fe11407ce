import { Button } from '@/components/ui/button';
import type { PurchaseOrderDetail } from '@/lib/contracts/floor';

// Finishing with lines short asks first, naming them. The purchase order stays open: the core has no command to
// close one yet, so the rest can still be received later.
export function FinishReceipt({ po, onFinish, onCancel }: { po: PurchaseOrderDetail; onFinish: () => void; onCancel: () => void }) {
  const short = po.lines.filter((l) => l.remaining > 0);
  return (
    <section aria-labelledby="finish-title" className="space-y-3 rounded-xl border-2 border-amber-300 bg-amber-50/60 p-4">
      <h2 id="finish-title" className="text-lg font-semibold">
        <span aria-hidden="true">⚠ </span>
        {short.length} {short.length === 1 ? 'line is' : 'lines are'} short. Finish the receipt anyway?
      </h2>
      <ul className="list-inside list-disc text-sm">
        {short.map((l) => (
          <li key={l.sku}>
            <span className="font-mono">{l.sku}</span>: {l.received} of {l.expected} received, {l.remaining} missing
          </li>
        ))}
      </ul>
      <p className="text-sm text-slate-700">{po.reference} stays open for the missing units.</p>
      <div className="flex flex-wrap gap-2">
        <Button variant="primary" onClick={onFinish}>
          Finish anyway
        </Button>
        <Button onClick={onCancel}>Keep receiving</Button>
      </div>
    </section>
  );
}
