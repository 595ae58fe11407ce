// The browser's side of the dashboard reads: one fetcher over the session-authenticated /api/dashboard routes
// and a query-options factory per read, keyed by lib/query-keys.ts.
import { infiniteQueryOptions, keepPreviousData, queryOptions, type QueryClient } from '@tanstack/react-query';
import type { StockListParams } from '@/lib/contracts/stock';
import { queryKeys } from './query-keys';
import type { BinContents, ScanMatch, StockListResult } from '@/lib/contracts/stock';
import type { OpenPurchaseOrder, PickList, PurchaseOrderDetail } from '@/lib/contracts/floor';
import type { HistoryPage, ProductDetail, ProductSeries } from '@/lib/contracts/product';
import type { WarehousePage, WarehouseSummary } from '@/lib/contracts/locations';
import type { StaffOrders } from '@/lib/contracts/orders';

export class DashboardFetchError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Params = Record<string, string | number | undefined | null>;

export async function getJson<T>(path: string, params: Params = {}, signal?: AbortSignal): Promise<T> {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  const res = await fetch(`/api/dashboard/${path}${qs.size ? `?${qs}` : ''}`, { signal, headers: { accept: 'application/json' } });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { detail?: string } | null;
    throw new DashboardFetchError(res.status, body?.detail ?? `The server answered ${res.status}.`);
  }
  return (await res.json()) as T;
}

export const stockListQuery = (p: StockListParams) =>
  queryOptions({
    queryKey: queryKeys.stock.list(p),
    queryFn: ({ signal }) => getJson<StockListResult>('stock', p, signal),
    // Keeps the table on screen while the next page or filter loads: no flash, no layout shift.
    placeholderData: keepPreviousData,
  });

export const ordersQuery = (p: { status?: string; q?: string }) =>
  infiniteQueryOptions({
    queryKey: queryKeys.orders.list(p),
    queryFn: ({ pageParam, signal }) => getJson<StaffOrders>('orders', { ...p, after: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });

export const productQuery = (sku: string) =>
  queryOptions({ queryKey: queryKeys.stock.product(sku), queryFn: ({ signal }) => getJson<ProductDetail>('product', { sku }, signal) });

export const historyQuery = (sku: string) =>
  infiniteQueryOptions({
    queryKey: queryKeys.stock.history(sku),
    queryFn: ({ pageParam, signal }) => getJson<HistoryPage>('product/history', { sku, before: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

export const seriesQuery = (sku: string, days: number) =>
  queryOptions({ queryKey: queryKeys.stock.series(sku, days), queryFn: ({ signal }) => getJson<ProductSeries>('product/series', { sku, days }, signal) });

export const binQuery = (warehouse: string, location: string) =>
  queryOptions({
    queryKey: queryKeys.stock.bin(warehouse, location),
    queryFn: ({ signal }) => getJson<BinContents>('bin', { warehouse, location }, signal),
  });

export const pickListQuery = (warehouse: string) =>
  queryOptions({ queryKey: queryKeys.picking.list(warehouse), queryFn: ({ signal }) => getJson<PickList>('picking', { warehouse }, signal) });

export const openPurchaseOrdersQuery = () =>
  queryOptions({ queryKey: queryKeys.receiving.openOrders(), queryFn: ({ signal }) => getJson<OpenPurchaseOrder[]>('purchase-orders', {}, signal) });

export const purchaseOrderQuery = (reference: string) =>
  queryOptions({
    queryKey: queryKeys.receiving.purchaseOrder(reference),
    queryFn: ({ signal }) => getJson<PurchaseOrderDetail>('purchase-order', { reference }, signal),
  });

// A scan's meaning, cached for a short while so repeated scans of one code cost one request.
export function lookupScan(client: QueryClient, warehouse: string, code: string, gs?: string): Promise<ScanMatch> {
  return client.fetchQuery({
    queryKey: queryKeys.scan(warehouse, code),
    queryFn: () => getJson<ScanMatch>('scan', { code, warehouse, gs }),
    staleTime: 30_000,
  });
}

export const warehouseSummariesQuery = () =>
  queryOptions({ queryKey: queryKeys.places.list(), queryFn: ({ signal }) => getJson<WarehouseSummary[]>('places', {}, signal) });

export const warehousePageQuery = (code: string, id: number) =>
  queryOptions({ queryKey: queryKeys.places.bins(code, id), queryFn: ({ signal }) => getJson<WarehousePage>('places/bins', { warehouse: code }, signal) });
