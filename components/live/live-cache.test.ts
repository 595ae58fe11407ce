import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { approvalKeys } from '@/lib/approvals-api';
import { queryKeys } from '@/lib/query-keys';
import type { AlertMessage, LevelMessage } from '@/lib/contracts/realtime';
import type { AlertReview, ReviewRow } from '@/lib/contracts/alerts';
import { alertKeys } from '@/lib/alerts-api';
import { createLiveCache, roomsFor, type Access } from './live-cache';
import type { LevelRow, ProductDetail } from '@/lib/contracts/product';
import type { StockListResult } from '@/lib/contracts/stock';

const access: Access = { warehouses: [{ id: 1, code: 'MAIN' }, { id: 2, code: 'EAST' }], alerts: false, approvals: false };

const level = (over: Partial<LevelRow> = {}): LevelRow => ({
  productId: 7,
  locationId: 70,
  warehouse: 'MAIN',
  location: 'A-01',
  locationKind: 'storage',
  sellable: true,
  onHand: 10,
  reserved: 2,
  available: 8,
  version: 4,
  updatedAt: '2026-01-01T00:00:00.000Z',
  lastCountedAt: null,
  ...over,
});

const detail = (levels: LevelRow[]): ProductDetail => ({
  product: { id: 7, sku: 'MUG-1', name: 'Mug', unit: 'each', barcodes: [], threshold: 5, reorderQty: 0 },
  levels,
  totals: { onHand: 10, reserved: 2, available: 8 },
  incoming: [],
});

const msg = (over: Partial<LevelMessage> = {}): LevelMessage => ({
  productId: 7,
  sku: 'MUG-1',
  warehouseId: 1,
  locationId: 70,
  locationCode: 'A-01',
  onHand: 9,
  reserved: 2,
  available: 7,
  version: 5,
  ...over,
});

function setup() {
  const client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
  const live = createLiveCache(client, () => access);
  const invalidated = () => client.getQueryCache().getAll().filter((q) => q.state.isInvalidated).map((q) => q.queryKey);
  return { client, live, invalidated };
}

afterEach(() => vi.useRealTimers());

describe('a level message', () => {
  it('patches the product page when it is the row’s next version, totals included', () => {
    const { client, live, invalidated } = setup();
    client.setQueryData(queryKeys.stock.product('MUG-1'), detail([level()]));
    live.onLevel(msg());
    const d = client.getQueryData<ProductDetail>(queryKeys.stock.product('MUG-1'))!;
    expect(d.levels[0]).toMatchObject({ onHand: 9, reserved: 2, available: 7, version: 5 });
    expect(d.totals).toEqual({ onHand: 9, reserved: 2, available: 7 });
    expect(invalidated()).toEqual([]);
    live.dispose();
  });

  it('ignores a duplicate and refetches on a gap (after the coalescing tick)', () => {
    vi.useFakeTimers();
    const { client, live, invalidated } = setup();
    client.setQueryData(queryKeys.stock.product('MUG-1'), detail([level()]));
    live.onLevel(msg({ version: 4, onHand: 1 }));
    expect(client.getQueryData<ProductDetail>(queryKeys.stock.product('MUG-1'))!.levels[0].onHand).toBe(10);
    live.onLevel(msg({ version: 7 }));
    expect(invalidated()).toEqual([]);
    vi.advanceTimersByTime(300);
    expect(invalidated()).toEqual([queryKeys.stock.product('MUG-1')]);
    live.dispose();
  });

  it('invalidates lists that show the product or could change with it, not the others', () => {
    vi.useFakeTimers();
    const { client, live, invalidated } = setup();
    const list = (ids: number[]): StockListResult => ({
      rows: ids.map((id) => ({ id, sku: `S${id}`, name: '', onHand: 0, reserved: 0, available: 0, threshold: 0, status: 'out_of_stock', bins: [], incoming: 0, lastCountedAt: null })),
      total: ids.length,
      page: 1,
      pageSize: 50,
    });
    client.setQueryData(queryKeys.stock.list({ q: 'mug' }), list([7, 8]));
    client.setQueryData(queryKeys.stock.list({ q: 'cup' }), list([9]));
    client.setQueryData(queryKeys.stock.list({ q: 'cup', status: 'low_stock' }), list([9]));
    client.setQueryData(queryKeys.picking.list('MAIN'), { warehouse: 'MAIN', tasks: [], orders: [] });
    client.setQueryData(queryKeys.picking.list('EAST'), { warehouse: 'EAST', tasks: [], orders: [] });
    client.setQueryData(queryKeys.stock.history('MUG-1'), { pages: [], pageParams: [] });
    live.onLevel(msg());
    vi.advanceTimersByTime(300);
    expect(invalidated().map((k) => JSON.stringify(k)).sort()).toEqual(
      [
        queryKeys.stock.list({ q: 'mug' }),
        queryKeys.stock.list({ q: 'cup', status: 'low_stock' }),
        queryKeys.picking.list('MAIN'),
        queryKeys.stock.history('MUG-1'),
      ]
        .map((k) => JSON.stringify(k))
        .sort(),
    );
    live.dispose();
  });

  it('never invalidates a query while its fetch is in flight, but right after it', async () => {
    vi.useFakeTimers();
    const { client, live } = setup();
    let release!: () => void;
    const slow = client.fetchQuery({ queryKey: queryKeys.picking.list('MAIN'), queryFn: () => new Promise((r) => (release = () => r({ tasks: [] }))) });
    live.onLevel(msg());
    vi.advanceTimersByTime(300);
    const q = client.getQueryCache().find({ queryKey: queryKeys.picking.list('MAIN') })!;
    expect(q.state.isInvalidated).toBe(false);
    release();
    await slow;
    vi.advanceTimersByTime(300);
    expect(q.state.isInvalidated).toBe(true);
    live.dispose();
  });
});

describe('resync and joins', () => {
  it('a resync invalidates every live family; a late join only what was fetched before it', () => {
    const { client, live, invalidated } = setup();
    client.setQueryData(queryKeys.stock.product('MUG-1'), detail([level()]));
    client.setQueryData(queryKeys.picking.list('MAIN'), { tasks: [] });
    client.setQueryData(queryKeys.warehouses(), []);
    live.refetchFetchedBefore(0);
    expect(invalidated()).toEqual([]);
    live.refetchAll();
    expect(invalidated().length).toBe(2);
    live.dispose();
  });

  it('rooms follow the queries on screen', () => {
    const { client } = setup();
    const watch = (key: readonly unknown[]) => new QueryObserver(client, { queryKey: key, queryFn: () => null, enabled: false }).subscribe(() => {});
    expect(roomsFor(client.getQueryCache().getAll(), access)).toEqual(new Set());
    const stopPick = watch(queryKeys.picking.list('EAST'));
    expect(roomsFor(client.getQueryCache().getAll(), access)).toEqual(new Set(['warehouse:2']));
    watch(queryKeys.stock.product('MUG-1'));
    watch(['alerts', 'open']);
    expect(roomsFor(client.getQueryCache().getAll(), access)).toEqual(new Set(['warehouse:1', 'warehouse:2']));
    expect(roomsFor(client.getQueryCache().getAll(), { ...access, alerts: true })).toEqual(new Set(['warehouse:1', 'warehouse:2', 'alerts']));
    stopPick();
  });
});

describe('an approval message', () => {
  it('reads the queue and its badge again; only a manager’s access joins the approvals room', () => {
    vi.useFakeTimers();
    const { client, live, invalidated } = setup();
    client.setQueryData(approvalKeys.queue(), { rows: [] });
    client.setQueryData(approvalKeys.count(), { count: 0 });
    client.setQueryData(queryKeys.places.list(), []);
    live.onApproval();
    vi.advanceTimersByTime(300);
    expect(invalidated()).toEqual([approvalKeys.queue(), approvalKeys.count()]);
    live.dispose();

    const stop = new QueryObserver(client, { queryKey: approvalKeys.count(), queryFn: () => null, enabled: false }).subscribe(() => {});
    expect(roomsFor(client.getQueryCache().getAll(), access)).toEqual(new Set());
    expect(roomsFor(client.getQueryCache().getAll(), { ...access, approvals: true })).toEqual(new Set(['approvals']));
    stop();
  });
});

describe('a place message', () => {
  it('refetches the warehouse list and that warehouse’s bins, not another’s; a warehouse’s bins join its room, new ones too', () => {
    vi.useFakeTimers();
    const { client, live, invalidated } = setup();
    client.setQueryData(queryKeys.places.list(), []);
    client.setQueryData(queryKeys.places.bins('MAIN', 1), { bins: [] });
    client.setQueryData(queryKeys.places.bins('EAST', 2), { bins: [] });
    live.onPlace({ kind: 'location', warehouseId: 1, locationId: 70, code: 'A-01', active: true, version: 2 });
    vi.advanceTimersByTime(300);
    expect(invalidated()).toEqual([queryKeys.places.list(), queryKeys.places.bins('MAIN', 1)]);
    // A stock change shows in what each bin holds.
    live.onLevel(msg({ warehouseId: 2 }));
    vi.advanceTimersByTime(300);
    expect(invalidated()).toContainEqual(queryKeys.places.bins('EAST', 2));
    live.dispose();

    const watch = (key: readonly unknown[]) => new QueryObserver(client, { queryKey: key, queryFn: () => null, enabled: false }).subscribe(() => {});
    // Warehouse 9 was created after the token listed warehouses: its id is in the key all the same.
    const stop = watch(queryKeys.places.bins('NEW', 9));
    expect(roomsFor(client.getQueryCache().getAll(), access)).toEqual(new Set(['warehouse:9']));
    stop();
  });
});

describe('the Orders page', () => {
  it('joins every warehouse it may read, and refetches its lists after any level change there', () => {
    vi.useFakeTimers();
    const { client, live, invalidated } = setup();
    new QueryObserver(client, { queryKey: queryKeys.orders.list({ status: 'allocated' }), queryFn: () => null, enabled: false }).subscribe(() => {});
    expect(roomsFor(client.getQueryCache().getAll(), access)).toEqual(new Set(['warehouse:1', 'warehouse:2']));
    client.setQueryData(queryKeys.orders.list({ status: 'allocated' }), { pages: [], pageParams: [] });
    client.setQueryData(queryKeys.orders.list({ q: 'SO-1' }), { pages: [], pageParams: [] });
    live.onLevel(msg({ warehouseId: 2 }));
    expect(invalidated()).toEqual([]);
    vi.advanceTimersByTime(300);
    expect(invalidated()).toEqual(expect.arrayContaining([queryKeys.orders.list({ status: 'allocated' }), queryKeys.orders.list({ q: 'SO-1' })]));
  });
});

describe('an alert message', () => {
  const row = (over: Partial<ReviewRow>): ReviewRow => ({
    key: '7:MAIN', cursor: 'c', alertId: 'a-1', productId: 7, sku: 'MUG-1', name: 'Mug', warehouse: 'MAIN', kind: 'low_stock', state: 'acknowledged',
    available: 4, threshold: 5, thresholdOverridden: false, reorderQty: 0, leadTimeDays: 7, picked: 0, incoming: 0, incomingDate: null,
    forecast: { velocity: 0, daysOfCover: null, stockoutDate: null, atRisk: false, suggestedQty: 0, slackDays: null },
    openedAt: '2026-12-07T09:00:00.000Z', acknowledgedAt: '2026-12-07T09:10:00.000Z', acknowledgedBy: 'user:m@x', snoozedUntil: null, note: null, resolvedAt: null, version: 3,
    ...over,
  });
  const review = (rows: ReviewRow[]): AlertReview => ({
    asOf: '2026-12-07T09:30:00.000Z', windowDays: 28, targetDays: 14, next: null, warehouses: [], rows,
    summary: { alerts: 1, out: 0, low: 1, atRisk: 0, acknowledged: 1, snoozed: 0, attention: 0, leadTime: 0, total: 1 },
  });
  const resolved: AlertMessage = {
    id: 'a-1', productId: 7, sku: 'MUG-1', warehouseId: 1, kind: 'low_stock', status: 'resolved', available: 24, threshold: 5,
    snoozedUntil: null, acknowledgedBy: 'user:m@x', note: null, version: 4,
  };

  it('patches a review page in place, and again over a read that was in flight when it came', async () => {
    const { client, live } = setup();
    const key = alertKeys.review({ warehouse: 'MAIN' });
    client.setQueryData(key, review([row({})]));
    // The reader's own acknowledgement reads the page again; the server read it before the stock returned.
    let answer!: (r: AlertReview) => void;
    const reread = client.fetchQuery({ queryKey: key, queryFn: () => new Promise<AlertReview>((r) => (answer = r)), staleTime: 0 });
    live.onAlert(resolved);
    expect(client.getQueryData<AlertReview>(key)!.rows[0]).toMatchObject({ state: 'resolved', available: 24, version: 4 });
    answer(review([row({})]));
    await reread;
    await new Promise((r) => setTimeout(r, 0));
    expect(client.getQueryData<AlertReview>(key)!.rows[0]).toMatchObject({ state: 'resolved', available: 24, version: 4 });
    live.dispose();
  });
});
