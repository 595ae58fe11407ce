'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { FeedbackBanner } from '@/components/floor/feedback-banner';
import { useFeedback } from '@/components/floor/use-feedback';
import { claimEarlyScans } from '@/components/floor/early-scans';
import { useLatest } from '@/components/floor/use-floor';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { lookupScan, productQuery, stockListQuery } from '@/lib/dashboard-api';
import type { StockListParams } from '@/lib/contracts/stock';
import { parseScan } from '@/lib/scan';
import { StockFilters } from './stock-filters';
import { StockTable } from './stock-table';
import type { StockSort, WarehouseWithLocations } from '@/lib/contracts/stock';

const toSearch = (p: StockListParams) => {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(p)) if (v !== undefined && v !== '' && !(k === 'page' && v === 1)) qs.set(k, String(v));
  return qs.size ? `?${qs}` : '';
};

// Search, filters, sorting and paging all run on the server; the URL keeps them, so a view can be shared.
// Enter in the search field first asks what the code is: a product opens, a bin filters the list to it.
export function StockBrowser({ initial, warehouses }: { initial: StockListParams; warehouses: WarehouseWithLocations[] }) {
  const router = useRouter();
  const client = useQueryClient();
  const [params, setParams] = useState<StockListParams>(initial);
  const [text, setText] = useState(initial.q ?? '');
  const [feedback, say] = useFeedback();
  const input = useRef<HTMLInputElement>(null);
  const list = useQuery(stockListQuery(params));

  const update = (p: Partial<StockListParams>) => setParams((cur) => ({ ...cur, page: 1, ...p }));
  // Once a scan opens a product, this page must not rewrite the URL under the navigation.
  const leaving = useRef(false);
  const debounce = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => {
    if (!leaving.current) window.history.replaceState(null, '', `/stock${toSearch(params)}`);
  }, [params]);
  useEffect(() => {
    debounce.current = setTimeout(() => setParams((cur) => ((cur.q ?? '') === text.trim() ? cur : { ...cur, q: text.trim() || undefined, page: 1 })), 300);
    return () => clearTimeout(debounce.current);
  }, [text]);

  // Scans are answered one at a time in arrival order: a second scan typed while the first is looked up waits.
  const paramsRef = useLatest(params);
  const chain = useRef<Promise<void>>(Promise.resolve());
  const handle = async (code: string) => {
    if (leaving.current) return;
    const params = paramsRef.current;
    const match = await lookupScan(client, params.warehouse ?? warehouses[0]?.code ?? '', code).catch(() => null);
    if (!match) return say('error', `No answer for ${code}: check the connection and try again.`);
    if (match.kind === 'product') {
      leaving.current = true;
      clearTimeout(debounce.current);
      // The product's figures are asked for now, alongside the page itself, rather than by the page once it has
      // arrived: one round trip saved between the scan and the product on screen.
      void client.prefetchQuery(productQuery(match.product.sku));
      say('info', `Opening ${match.product.sku} · ${match.product.name}…`);
      return router.push(`/stock/${encodeURIComponent(match.product.sku)}`);
    }
    if (match.kind === 'location') {
      say('info', `Showing what ${match.location.warehouse} ${match.location.code} holds.`);
      return update({ q: undefined, warehouse: match.location.warehouse, location: match.location.code });
    }
    if (match.kind === 'purchase_order') {
      leaving.current = true;
      return router.push(`/receiving/receipt?po=${encodeURIComponent(match.reference)}`);
    }
    const scan = parseScan(code);
    if (scan.gtin || scan.badCheckDigit || scan.gs1 || /^\d{8,}$/.test(scan.code)) {
      update({ q: undefined });
      say('error', `No product or bin matches ${scan.code}.`);
      return input.current?.focus();
    }
    // Not a code: the words are a search, kept in the field.
    setText(code);
    update({ q: code });
  };
  const enqueue = (code: string) => {
    chain.current = chain.current.then(() => handle(code)).catch((e) => console.error('scan handling failed', e));
  };

  // Scans typed while the page loaded (see early-scans.ts) are answered first; a half-typed one stays in the field.
  useEffect(() => {
    const early = claimEarlyScans();
    if (early.rest) setText((t) => early.rest + t);
    for (const code of early.scans) enqueue(code.trim());
    return early.release;
    // Once, on mount: the buffer is drained exactly once.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    const code = e.currentTarget.value.trim();
    if (!code) return;
    // Enter ends a scan: what the code is decides, not the half-typed search the debounce was about to run. The
    // field is emptied at once so the next scan starts clean.
    clearTimeout(debounce.current);
    setText('');
    enqueue(code);
  };

  const onSort = (sort: StockSort) =>
    setParams((cur) => ({ ...cur, page: 1, sort, dir: (cur.sort ?? 'sku') === sort && (cur.dir ?? 'asc') === 'asc' ? 'desc' : 'asc' }));
  const total = list.data?.total ?? 0;
  const pages = Math.max(Math.ceil(total / (list.data?.pageSize ?? 50)), 1);
  const page = params.page ?? 1;

  return (
    <>
      <PageHeader title="Stock">
        <form role="search" className="flex flex-wrap gap-2" onSubmit={(e) => e.preventDefault()}>
          <label className="sr-only" htmlFor="stock-q">
            Search by SKU, name or barcode
          </label>
          <input
            id="stock-q"
            ref={input}
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={onKeyDown}
            placeholder="Scan or search: SKU, name, barcode"
            autoFocus
            data-scan-field=""
            autoComplete="off"
            className="min-h-11 w-80 max-w-full rounded-md border border-slate-300 bg-white px-3 text-base"
          />
          <StockFilters params={params} warehouses={warehouses} onChange={update} />
        </form>
      </PageHeader>
      <div className="-mt-3 mb-2">
        <FeedbackBanner feedback={feedback} compact />
      </div>
      {list.isError ? (
        <EmptyState title="The stock list did not load">
          <p>{list.error.message}</p>
          <Button className="mt-3" onClick={() => list.refetch()}>
            Try again
          </Button>
        </EmptyState>
      ) : list.data && list.data.rows.length === 0 ? (
        <EmptyState title={params.q ? `Nothing matches “${params.q}”` : 'No products match these filters'}>
          {params.q ? 'Try part of the SKU or name, or scan the barcode.' : 'Clear a filter to see more.'}
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
          <StockTable rows={list.data?.rows} params={params} busy={list.isFetching && !list.isPending} onSort={onSort} />
          <div className="flex min-h-12 flex-wrap items-center justify-between gap-2 border-t border-slate-100 px-4 py-1 text-sm text-slate-600">
            <span aria-live="polite">{list.data ? `${total.toLocaleString('en')} products · page ${page} of ${pages}` : 'Loading…'}</span>
            <span className="flex gap-2">
              <Button variant="ghost" disabled={page <= 1} onClick={() => setParams((c) => ({ ...c, page: page - 1 }))}>
                ← Previous
              </Button>
              <Button variant="ghost" disabled={page >= pages} onClick={() => setParams((c) => ({ ...c, page: page + 1 }))}>
                Next →
              </Button>
            </span>
          </div>
        </div>
      )}
    </>
  );
}
