'use client';

import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { actorLabel, fmtDateTime } from '@/components/alerts/format';
import { whyAvailableQuery } from '@/lib/alerts-api';
import type { WhyWarehouse } from '@/lib/contracts/product';

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));
const th = 'px-3 py-1.5 font-medium';

// "Why is available X?": the sum spelled out per warehouse, then the bins, holds and movements it comes from.
// Live: its query sits under the product's stock key, which the realtime hook refetches on every level change.
export function WhyAvailable({ sku, warehouse }: { sku: string; warehouse?: string }) {
  const { data, isError, error } = useQuery(whyAvailableQuery(sku));
  const titleId = useId();
  const shown = data?.warehouses.filter((w) => !warehouse || w.code === warehouse) ?? [];
  const total = !data ? undefined : warehouse ? shown.reduce((s, w) => s + w.available, 0) : data.available;
  return (
    <section aria-labelledby={titleId} className="space-y-4 rounded-xl border border-slate-200 bg-white p-4">
      <h2 id={titleId} className="text-lg font-semibold">
        Why is available {total ?? '…'}
        {warehouse ? ` in ${warehouse}` : ''}?
      </h2>
      {isError ? <p role="alert" className="text-sm text-red-800">⚠ {error.message}</p> : null}
      {data && shown.length === 0 ? <p className="text-sm text-slate-600">No stock has ever been here.</p> : null}
      {shown.map((w) => (
        <WarehouseWhy key={w.code} w={w} />
      ))}
    </section>
  );
}

function WarehouseWhy({ w }: { w: WhyWarehouse }) {
  const unsellable = w.bins.filter((b) => !b.sellable && b.onHand > 0);
  return (
    <div className="space-y-3" data-testid={`why-${w.code}`}>
      <p className="text-sm">
        <strong>{w.code}</strong>: available <strong className="tabular-nums">{w.available}</strong> = {w.sellableOnHand} on hand in sellable bins − {w.sellableReserved} reserved.
        {unsellable.length ? (
          <>
            {' '}
            {w.notSellableOnHand} more on hand do not count: {unsellable.map((b) => `${b.location} (${b.kind}) ${b.onHand}`).join(', ')} — only pick and storage bins can be sold from.
          </>
        ) : null}
      </p>
      {w.bins.length ? (
        <table className="w-full text-sm">
          <caption className="sr-only">On hand per bin in {w.code}</caption>
          <thead className="bg-slate-50 text-left text-slate-600">
            <tr>
              <th scope="col" className={th}>Bin</th>
              <th scope="col" className={th}>Counts towards available</th>
              <th scope="col" className={`${th} text-right`}>On hand</th>
              <th scope="col" className={`${th} text-right`}>Reserved</th>
              <th scope="col" className={`${th} text-right`}>Available</th>
            </tr>
          </thead>
          <tbody>
            {w.bins.map((b) => (
              <tr key={b.location} className="border-t border-slate-100">
                <th scope="row" className="px-3 py-1.5 text-left font-mono font-normal">{b.location}</th>
                <td className="px-3 py-1.5">{b.sellable ? `✓ yes (${b.kind})` : `✕ no (${b.kind})`}</td>
                <td className="px-3 py-1.5 text-right tabular-nums">{b.onHand}</td>
                <td className="px-3 py-1.5 text-right tabular-nums">{b.reserved}</td>
                <td className="px-3 py-1.5 text-right tabular-nums">{b.sellable ? b.available : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <div>
        <h3 className="text-sm font-semibold">Reserved for</h3>
        {w.holds.length === 0 ? (
          <p className="text-sm text-slate-600">Nothing is held.</p>
        ) : (
          <ul className="list-disc pl-5 text-sm">
            {w.holds.map((h) => (
              <li key={h.id}>
                {h.qty} in <span className="font-mono">{h.location}</span> for{' '}
                {h.owner === 'order' ? `order ${h.reference ?? '?'} (${h.orderStatus})` : `cart ${h.reference ?? h.id.slice(0, 8)}`}, since {fmtDateTime(h.createdAt)}
                {h.expiresAt ? `, expires ${fmtDateTime(h.expiresAt)}` : ''}
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="overflow-x-auto">
        <h3 className="text-sm font-semibold">Last movements</h3>
        <table className="w-full text-sm">
          <caption className="sr-only">Last movements in {w.code}</caption>
          <thead className="bg-slate-50 text-left text-slate-600">
            <tr>
              <th scope="col" className={th}>When</th>
              <th scope="col" className={th}>What</th>
              <th scope="col" className={th}>Bin</th>
              <th scope="col" className={`${th} text-right`}>On hand</th>
              <th scope="col" className={`${th} text-right`}>Reserved</th>
              <th scope="col" className={th}>Reason or reference</th>
              <th scope="col" className={th}>By</th>
            </tr>
          </thead>
          <tbody>
            {w.moves.map((m) => (
              <tr key={m.id} className="border-t border-slate-100">
                <td className="px-3 py-1.5 whitespace-nowrap">{fmtDateTime(m.at)}</td>
                <td className="px-3 py-1.5">{m.kind.replace('_', ' ')}</td>
                <td className="px-3 py-1.5 font-mono">{m.location}</td>
                <td className="px-3 py-1.5 text-right tabular-nums">{m.onHandDelta ? signed(m.onHandDelta) : ''}</td>
                <td className="px-3 py-1.5 text-right tabular-nums">{m.reservedDelta ? signed(m.reservedDelta) : ''}</td>
                <td className="px-3 py-1.5">{[m.reasonCode, m.reference].filter(Boolean).join(' · ')}</td>
                <td className="px-3 py-1.5">{actorLabel(m.actor)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
