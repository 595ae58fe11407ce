// How realtime messages land in TanStack Query's cache, kept free of React and sockets so it is unit-tested.
// A level message patches the product entry when it is that row's next version; everything without versions
// (lists, pick lists, bins) is invalidated, coalesced, and never while its own fetch is in flight (the answer
// of a fetch that started before the change would overwrite it).
import type { Query, QueryClient, QueryKey } from '@tanstack/react-query';
import { patchProductLevel } from '@/lib/level-patch';
import { patchReview } from '@/lib/alert-patch';
import { alertKeys } from '@/lib/alerts-api';
import { approvalKeys } from '@/lib/approvals-api';
import type { AlertReview } from '@/lib/contracts/alerts';
import type { StockListParams } from '@/lib/contracts/stock';
import { queryKeys } from '@/lib/query-keys';
import { rooms, type AlertMessage, type LevelMessage, type PlaceMessage, type RealtimeTokenResponse } from '@/lib/contracts/realtime';
import type { ProductDetail } from '@/lib/contracts/product';
import type { StockListResult } from '@/lib/contracts/stock';

export type Access = Pick<RealtimeTokenResponse, 'warehouses' | 'alerts' | 'approvals'>;

// Query families the realtime feed keeps fresh; `alerts` is the manager's alert views (their keys start so), and
// `approvals` the manager's queue of held stock changes and its badge.
export const liveFamilies: QueryKey[] = [
  queryKeys.stock.all,
  queryKeys.picking.all,
  queryKeys.receiving.all,
  queryKeys.places.all,
  queryKeys.orders.all,
  ['alerts'],
  approvalKeys.all,
];

const COALESCE_MS = 250;
const figureSorts = new Set(['onHand', 'reserved', 'available']);

// The rooms the queries on screen need: a query with observers is on screen.
export function roomsFor(queries: readonly Query[], access: Access): Set<string> {
  const wanted = new Set<string>();
  const idOf = new Map(access.warehouses.map((w) => [w.code, w.id]));
  const all = () => access.warehouses.forEach((w) => wanted.add(rooms.warehouse(w.id)));
  const one = (code: unknown) => {
    const id = idOf.get(String(code));
    if (id !== undefined) wanted.add(rooms.warehouse(id));
  };
  for (const q of queries) {
    if (q.getObserversCount() === 0) continue;
    const [family, kind, a] = q.queryKey as unknown[];
    if (family === 'stock' && kind === 'list') {
      const warehouse = (a as StockListParams | undefined)?.warehouse;
      if (warehouse) one(warehouse);
      else all();
    } else if (family === 'stock' && kind === 'bin') one(a);
    else if (family === 'picking' && kind === 'list') one(a);
    else if (family === 'stock' || family === 'receiving' || family === 'orders') all();
    else if (family === 'places' && kind === 'bins') wanted.add(rooms.warehouse(Number((q.queryKey as unknown[])[3])));
    else if (family === 'places') all();
    else if (family === 'alerts' && access.alerts) wanted.add(rooms.alerts);
    else if (family === 'approvals' && access.approvals) wanted.add(rooms.approvals);
  }
  return wanted;
}

export function createLiveCache(client: QueryClient, access: () => Access | null) {
  const pending = new Map<string, QueryKey>();
  let timer: ReturnType<typeof setTimeout> | null = null;

  function later(key: QueryKey) {
    pending.set(JSON.stringify(key), key);
    timer ??= setTimeout(flush, COALESCE_MS);
  }

  function flush() {
    timer = null;
    for (const [hash, key] of pending) {
      const fetching = client.getQueryCache().find({ queryKey: key, exact: true })?.state.fetchStatus === 'fetching';
      if (fetching) continue;
      pending.delete(hash);
      void client.invalidateQueries({ queryKey: key, exact: true });
    }
    if (pending.size) timer = setTimeout(flush, COALESCE_MS);
  }

  function codeOf(warehouseId: number) {
    return access()?.warehouses.find((w) => w.id === warehouseId)?.code;
  }

  function onLevel(m: LevelMessage) {
    const warehouse = codeOf(m.warehouseId);
    for (const q of client.getQueryCache().findAll({ queryKey: queryKeys.stock.all })) {
      const key = q.queryKey as unknown[];
      if (key[1] === 'product' && key[2] === m.sku) {
        if (key.length === 3) patchProduct(q, m);
        // History and series have no versions of their own: each movement adds to them.
        else later(q.queryKey);
      } else if (key[1] === 'list' && listMayChange(q, m)) later(q.queryKey);
      else if (key[1] === 'bin' && key[2] === warehouse && key[3] === m.locationCode) later(q.queryKey);
    }
    for (const q of client.getQueryCache().findAll({ queryKey: queryKeys.picking.all })) {
      if (warehouse === undefined || (q.queryKey as unknown[])[2] === warehouse) later(q.queryKey);
    }
    for (const q of client.getQueryCache().findAll({ queryKey: queryKeys.receiving.all })) later(q.queryKey);
    // Every order command (allocate, pick, ship, cancel) moves a level's reserved figure: the Orders page follows.
    for (const q of client.getQueryCache().findAll({ queryKey: queryKeys.orders.all })) later(q.queryKey);
    placesOf(m.warehouseId);
  }

  // A warehouse's bins show what each holds, and the list how many hold something: both follow levels and places.
  function placesOf(warehouseId: number) {
    for (const q of client.getQueryCache().findAll({ queryKey: queryKeys.places.all })) {
      const key = q.queryKey as unknown[];
      if (key[1] === 'list' || (key[1] === 'bins' && key[3] === warehouseId)) later(q.queryKey);
    }
  }

  function onPlace(m: PlaceMessage) {
    placesOf(m.warehouseId);
  }

  function patchProduct(q: Query, m: LevelMessage) {
    const data = q.state.data as ProductDetail | undefined;
    if (!data || q.state.fetchStatus === 'fetching') return later(q.queryKey);
    const outcome = patchProductLevel(data, m);
    if (outcome.kind === 'applied') client.setQueryData(q.queryKey, outcome.data);
    else if (outcome.kind === 'gap') later(q.queryKey);
  }

  // A review page is patched in place, never read again for someone else's change: its rows keep their places
  // (its counts query is read again, and announces new alerts above them). Other alert views are read again.
  function onAlert(m: AlertMessage) {
    for (const q of client.getQueryCache().findAll({ queryKey: alertKeys.all })) {
      if ((q.queryKey as unknown[])[1] !== 'review') {
        later(q.queryKey);
        continue;
      }
      const patch = () => {
        const data = q.state.data as AlertReview | undefined;
        if (!data) return;
        const outcome = patchReview(data, m, codeOf(m.warehouseId));
        if (outcome.kind === 'applied') client.setQueryData(q.queryKey, outcome.data);
      };
      patch();
      // A read in flight (after the reader's own action) answers with what the server held when it read, perhaps
      // before this change: the change is applied again once that answer is in (patchReview keeps the newer version).
      if (q.state.fetchStatus === 'fetching') void q.promise?.then(() => setTimeout(patch, 0), () => undefined);
    }
  }

  // A request asked for or decided: the queue and its badge are read again (the message carries no rows).
  function onApproval() {
    for (const q of client.getQueryCache().findAll({ queryKey: approvalKeys.all })) later(q.queryKey);
  }

  // A reconnect or `resync`: anything held may have missed changes, so every live family is refetched.
  function refetchAll() {
    for (const key of liveFamilies) void client.invalidateQueries({ queryKey: key });
  }

  // After joining rooms: what was fetched before the join may have missed changes made in between.
  function refetchFetchedBefore(at: number) {
    for (const key of liveFamilies) {
      void client.invalidateQueries({ queryKey: key, predicate: (q) => q.state.dataUpdatedAt > 0 && q.state.dataUpdatedAt < at });
    }
  }

  return {
    onLevel,
    onAlert,
    onPlace,
    onApproval,
    refetchAll,
    refetchFetchedBefore,
    dispose() {
      if (timer) clearTimeout(timer);
      pending.clear();
    },
  };
}

// A list shows the product, or its membership or order could depend on figures: refetch; otherwise ignore.
function listMayChange(q: Query, m: LevelMessage) {
  const params = ((q.queryKey as unknown[])[2] ?? {}) as StockListParams;
  const data = q.state.data as StockListResult | undefined;
  if (!data || data.rows.some((r) => r.id === m.productId)) return true;
  return Boolean(params.status || params.location || params.warehouse || (params.sort && figureSorts.has(params.sort)));
}
