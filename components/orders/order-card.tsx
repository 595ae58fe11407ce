'use client';

import type { ActionState } from '@/lib/contracts/action-state';
import type { OrderView } from '@/lib/contracts/orders';
import { figure, Table } from '../ui/table';
import { CancelOrder } from './cancel-order';
import { cancellable, stateLook } from './order-state';

// One order: its state, its lines (ordered, picked, short, shipped) and the bins that hold its units.
export function OrderCard({ order, canCancel, onResult }: { order: OrderView; canCancel: boolean; onResult: (s: ActionState) => void }) {
  const look = stateLook(order.status);
  const held = order.lines.reduce((s, l) => s + l.held.reduce((n, h) => n + h.qty, 0), 0);
  const headingId = `order-${order.id}`;
  return (
    <article aria-labelledby={headingId} className="rounded-xl border border-slate-200 bg-white p-4" data-testid="order">
      <header className="mb-3 flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 id={headingId} className="text-lg font-medium">
            {order.reference}
          </h2>
          <p className="text-sm text-slate-600">
            <span className={`mr-2 inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium ${look.cls}`} data-testid="order-state">
              <span aria-hidden="true">{look.icon}</span>
              {look.label}
            </span>
            Channel {order.channel} · placed {new Date(order.createdAt).toLocaleString()}
          </p>
        </div>
        {canCancel && cancellable(order.status) ? <CancelOrder orderId={order.id} reference={order.reference} heldUnits={held} onResult={onResult} /> : null}
      </header>
      <Table columns={['Line', 'SKU', figure('Ordered'), figure('Picked'), figure('Short'), figure('Shipped'), 'Held in']} caption={`Lines of ${order.reference}`} compact>
        {order.lines.map((l) => (
          <tr key={l.lineNo} className="border-t border-slate-100 align-top">
            <td className="px-3 py-2 tabular-nums">{l.lineNo}</td>
            <td className="px-3 py-2 font-mono">{l.sku}</td>
            <td className="px-3 py-2 text-right tabular-nums">{l.qty}</td>
            <td className="px-3 py-2 text-right tabular-nums">{l.picked}</td>
            <td className="px-3 py-2 text-right tabular-nums">{l.short}</td>
            <td className="px-3 py-2 text-right tabular-nums">{l.shipped}</td>
            <td className="px-3 py-2">
              {l.held.length ? (
                <ul>
                  {l.held.map((h) => (
                    <li key={`${h.warehouse}/${h.location}`}>
                      <span className="tabular-nums">{h.qty}</span> × <span className="font-mono">{h.warehouse} / {h.location}</span>
                      {h.staged ? <span className="ml-1 text-xs text-slate-500">(picked, waiting to ship)</span> : null}
                    </li>
                  ))}
                </ul>
              ) : (
                <span className="text-slate-500">nothing held</span>
              )}
            </td>
          </tr>
        ))}
      </Table>
    </article>
  );
}
