import { Button } from '@/components/ui/button';
import type { HistoryRow } from '@/lib/contracts/product';

export type Conflict = { current: number; counted: number; expected: number; moved: HistoryRow[] };

// Stock moved while the bin was being counted: the new figure, what moved, and the counter's two choices.
export function CountConflict({ conflict, pending, onConfirm, onRecount }: { conflict: Conflict; pending: boolean; onConfirm: () => void; onRecount: () => void }) {
  return (
    <section aria-labelledby="conflict-title" className="space-y-3 rounded-xl border-2 border-amber-300 bg-amber-50/60 p-4">
      <h2 id="conflict-title" className="text-lg font-semibold">
        <span aria-hidden="true">⚠ </span>Stock moved since you started counting
      </h2>
      <p data-testid="count-conflict">
        On hand is now <strong className="tabular-nums">{conflict.current}</strong> (it was {conflict.expected} when you scanned the bin). You counted{' '}
        <strong className="tabular-nums">{conflict.counted}</strong>.
      </p>
      {conflict.moved.length ? (
        <ul className="list-inside list-disc text-sm text-slate-700">
          {conflict.moved.map((m) => (
            <li key={m.id}>
              {m.onHandDelta > 0 ? '+' : ''}
              {m.onHandDelta} · {m.kind.replace('_', ' ')} by {m.actor.replace(/^\w+:/, '')} at {new Date(m.createdAt).toLocaleTimeString()}
            </li>
          ))}
        </ul>
      ) : null}
      <div className="flex flex-wrap gap-2">
        <Button variant="primary" pending={pending} onClick={onConfirm}>
          Confirm my count of {conflict.counted}
        </Button>
        <Button onClick={onRecount}>Recount</Button>
      </div>
    </section>
  );
}
