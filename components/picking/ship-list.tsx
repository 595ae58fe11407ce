'use client';

import { shipOrderAction } from '@/app/(shell)/picking/actions';
import { useCommand } from '@/components/floor/use-command';
import { Button } from '@/components/ui/button';
import type { ActionState } from '@/lib/contracts/action-state';
import type { ShipOrderResult } from '@/server/inventory';
import type { PickOrder } from '@/lib/contracts/floor';

// Picked orders waiting in this warehouse's shipping location, each with its Ship button.
export function ShipList({ orders, onShipped }: { orders: PickOrder[]; onShipped: (s: ActionState<ShipOrderResult>) => void }) {
  const ready = orders.filter((o) => o.status === 'picked' && o.staged > 0);
  return (
    <section aria-labelledby="ship-title" className="rounded-xl border border-slate-200 bg-white p-4">
      <h2 id="ship-title" className="mb-2 text-lg font-semibold">
        Ready to ship
      </h2>
      {ready.length === 0 ? (
        <p className="text-sm text-slate-600">Orders appear here once every line is picked or reported short.</p>
      ) : (
        <ul className="divide-y divide-slate-100">
          {ready.map((o) => (
            <ShipRow key={o.id} order={o} onShipped={onShipped} />
          ))}
        </ul>
      )}
    </section>
  );
}

function ShipRow({ order, onShipped }: { order: PickOrder; onShipped: (s: ActionState<ShipOrderResult>) => void }) {
  const cmd = useCommand(shipOrderAction);
  return (
    <li className="flex flex-wrap items-center justify-between gap-3 py-2">
      <div>
        <span className="font-mono font-medium">{order.reference}</span>
        <span className="ml-2 text-sm text-slate-600">
          {order.staged} staged of {order.units} ordered{order.short ? ` · ${order.short} short` : ''}
        </span>
        {cmd.state.status === 'error' ? (
          <p role="alert" className="text-sm text-red-700">
            {cmd.state.message}
          </p>
        ) : null}
      </div>
      <Button
        variant="primary"
        pending={cmd.pending}
        aria-label={`Ship ${order.reference}`}
        onClick={async () => onShipped(await cmd.run({ orderId: order.id }))}
      >
        Ship
      </Button>
    </li>
  );
}
