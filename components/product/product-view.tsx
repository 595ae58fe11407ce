'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { WhyAvailable } from '@/components/why-available';
import { productQuery, seriesQuery } from '@/lib/dashboard-api';
import { HistoryTable } from './history-table';
import { LevelsTable } from './levels-table';
import { StockChart } from './stock-chart';

const link = 'inline-flex min-h-11 items-center rounded-lg border border-slate-300 bg-white px-4 font-medium hover:bg-slate-50';
const ranges = [7, 30, 90];

export function ProductView({ sku, canAdjust }: { sku: string; canAdjust: boolean }) {
  const detail = useQuery(productQuery(sku));
  const [days, setDays] = useState(30);
  const series = useQuery(seriesQuery(sku, days));
  if (detail.isError) {
    return (
      <EmptyState title={`No product ${sku}`}>
        {detail.error.message} <Link href="/stock" className="text-brand-700 underline">Back to stock</Link>
      </EmptyState>
    );
  }
  const d = detail.data;
  return (
    <div className="space-y-6">
      <PageHeader title={d ? d.product.name : sku}>
        <nav aria-label="Product actions" className="flex flex-wrap gap-2">
          <Link href="/counts" className={link}>
            Count
          </Link>
          <Link href="/transfers" className={link}>
            Transfer
          </Link>
          {canAdjust ? (
            <Link href="/adjust" className={link}>
              Adjust stock
            </Link>
          ) : null}
          {canAdjust ? (
            <Link href={`/alerts/product/${encodeURIComponent(sku)}`} className={link}>
              Forecast and alerts
            </Link>
          ) : null}
        </nav>
      </PageHeader>
      <section aria-label="Summary" className="grid min-h-20 grid-cols-2 gap-3 sm:grid-cols-4">
        {[
          ['SKU', d?.product.sku ?? sku],
          ['On hand', d?.totals.onHand],
          ['Reserved', d?.totals.reserved],
          ['Available to sell', d?.totals.available],
        ].map(([label, value]) => (
          <div key={label as string} className="rounded-xl border border-slate-200 bg-white p-3">
            <div className="text-xs text-slate-500">{label}</div>
            <div className="font-mono text-xl font-semibold tabular-nums" data-testid={`summary-${String(label).toLowerCase().replace(/ /g, '-')}`}>
              {value ?? '…'}
            </div>
          </div>
        ))}
      </section>
      {d?.product.barcodes.length ? <p className="text-sm text-slate-600">Barcodes: {d.product.barcodes.join(', ')}</p> : null}
      <section aria-labelledby="levels-title" className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
        <h2 id="levels-title" className="px-4 pt-3 text-lg font-semibold">
          Levels per location
        </h2>
        {d ? <LevelsTable levels={d.levels} /> : <div className="h-32 animate-pulse bg-slate-50" aria-label="Loading levels" />}
      </section>
      {d?.incoming.length ? (
        <section aria-labelledby="incoming-title" className="rounded-xl border border-slate-200 bg-white p-4">
          <h2 id="incoming-title" className="mb-2 text-lg font-semibold">
            Incoming
          </h2>
          <ul className="text-sm">
            {d.incoming.map((i) => (
              <li key={i.purchaseOrder}>
                {i.remaining} on <span className="font-mono">{i.purchaseOrder}</span> from {i.supplier} to {i.warehouse}
                {i.expectedAt ? `, due ${i.expectedAt}` : ''}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="chart-title" className="rounded-xl border border-slate-200 bg-white p-4">
        <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
          <h2 id="chart-title" className="text-lg font-semibold">
            Stock over time
          </h2>
          <div role="group" aria-label="Range" className="flex gap-1">
            {ranges.map((r) => (
              <button key={r} type="button" aria-pressed={days === r} onClick={() => setDays(r)} className={`min-h-11 min-w-11 rounded-md px-3 text-sm ${days === r ? 'bg-brand-50 font-medium text-brand-700' : 'hover:bg-slate-100'}`}>
                {r} days
              </button>
            ))}
          </div>
        </div>
        <div className="aspect-[16/5]">{series.data ? <StockChart series={series.data} /> : <div className="h-full animate-pulse rounded bg-slate-50" aria-label="Loading chart" />}</div>
      </section>
      <WhyAvailable sku={sku} />
      <section aria-labelledby="history-title" className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
        <h2 id="history-title" className="px-4 pt-3 text-lg font-semibold">
          Movement history
        </h2>
        <HistoryTable sku={sku} />
      </section>
    </div>
  );
}
