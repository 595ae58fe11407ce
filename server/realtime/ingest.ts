// Turns feed rows into cache updates and room messages, strictly in commit order. A row naming a product or
// location created after the snapshot waits (with everything behind it) while that one fact is loaded.
import type { AlertMessage, ApprovalMessage, LevelMessage, PlaceMessage } from '@/lib/contracts/realtime';
import { isSellable } from '@/server/inventory/kernel/availability-rule';
import type { AvailabilityCache, LevelRow } from './availability-cache';
import type { FeedEvent, FeedRow } from './change-feed';
import type { RealtimeMetrics } from './metrics';

export type IngestDeps = {
  cache: AvailabilityCache;
  metrics: RealtimeMetrics;
  loadMissing: (need: { productIds: number[]; locationIds: number[] }) => Promise<void>;
  emitLevel: (msg: LevelMessage) => void;
  emitAlert: (msg: AlertMessage) => void;
  // A warehouse or bin was created or edited: screens listing them refetch.
  emitPlace: (msg: PlaceMessage) => void;
  // A held stock change was asked for, approved or rejected: managers' queues read themselves again.
  emitApproval: (msg: ApprovalMessage) => void;
  productChanged: (productId: number) => void;
  // A storefront channel was created, changed or removed: the sidecar reloads them all (a handful of rows).
  channelsChanged: () => void;
  log: (line: string) => void;
};

const MAX_ALERT_VERSIONS = 50_000;
const MISS_ATTEMPTS = 3;

export function createIngest(d: IngestDeps) {
  const queue: FeedEvent[] = [];
  let draining = false;
  // Alerts are not part of the availability cache; their versions are kept only to drop duplicates.
  const alertVersions = new Map<string, number>();

  function push(e: FeedEvent) {
    d.metrics.feedChanges.inc({ table: e.table });
    if (!draining && queue.length === 0 && missing(e) === null) return handle(e);
    queue.push(e);
    if (!draining) void drain();
  }

  async function drain() {
    draining = true;
    try {
      while (queue.length) {
        const e = queue[0];
        const need = missing(e);
        if (need) await loadWithRetry(need);
        queue.shift();
        handle(e);
      }
    } finally {
      draining = false;
    }
  }

  async function loadWithRetry(need: { productIds: number[]; locationIds: number[] }) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await d.loadMissing(need);
      } catch (err) {
        // Give up on this row rather than stall the feed; the next resync reloads everything anyway.
        if (attempt >= MISS_ATTEMPTS) return d.log(`could not load ${JSON.stringify(need)}: ${err instanceof Error ? err.message : err}`);
        await new Promise((r) => setTimeout(r, 200 * attempt));
      }
    }
  }

  function missing(e: FeedEvent): { productIds: number[]; locationIds: number[] } | null {
    if (!e.row) return null;
    const productId = num(e.row.product_id);
    const productIds = productId !== undefined && !d.cache.product(productId) ? [productId] : [];
    const locationId = e.table === 'stock_levels' ? num(e.row.location_id) : undefined;
    const locationIds = locationId !== undefined && !d.cache.location(locationId) ? [locationId] : [];
    return productIds.length || locationIds.length ? { productIds, locationIds } : null;
  }

  function handle(e: FeedEvent) {
    if (e.table === 'channels' || e.table === 'channel_warehouses') return d.channelsChanged();
    if (!e.row) return;
    if (e.table === 'stock_levels') return handleLevel(e.command, e.row);
    if (e.table === 'alerts') return handleAlert(e.row);
    if (e.table === 'locations') return handleLocation(e.row);
    if (e.table === 'warehouses') return handleWarehouse(e.row);
    if (e.table === 'stock_change_requests') return handleApproval(e.row);
  }

  // No version on these rows: the feed's commit order is theirs, and a screen reads the whole queue on each one.
  function handleApproval(row: FeedRow) {
    const id = num(row.id);
    const command = row.command === 'count' || row.command === 'receive' ? row.command : null;
    const status = row.status === 'pending' || row.status === 'approved' || row.status === 'rejected' ? row.status : null;
    if (id === undefined || !command || !status) return;
    d.emitApproval({ id, command, status });
  }

  // A bin's kind or flag decides whether its stock is available: when that changes, its products' storefront
  // figures are worked out again.
  function handleLocation(row: FeedRow) {
    const id = num(row.id);
    const warehouseId = num(row.warehouse_id);
    if (id === undefined || warehouseId === undefined) return;
    const code = String(row.code ?? '');
    const sellable = isSellable({ sellable: row.sellable === true, kind: String(row.kind ?? '') });
    const before = d.cache.location(id);
    d.cache.putLocation({ id, warehouseId, code, sellable });
    if (before && before.sellable !== sellable) d.cache.productsAt(id).forEach((p) => d.productChanged(p));
    d.emitPlace({ kind: 'location', warehouseId, locationId: id, code, active: row.active !== false, version: num(row.version) ?? 0 });
  }

  function handleWarehouse(row: FeedRow) {
    const id = num(row.id);
    if (id === undefined) return;
    d.cache.warehouseIds.add(id);
    d.emitPlace({ kind: 'warehouse', warehouseId: id, locationId: null, code: String(row.code ?? ''), active: row.active !== false, version: num(row.version) ?? 0 });
  }

  function handleLevel(command: FeedEvent['command'], row: FeedRow) {
    const productId = num(row.product_id);
    const locationId = num(row.location_id);
    if (productId === undefined || locationId === undefined) return;
    if (command === 'delete') {
      d.cache.remove(productId, locationId);
      return d.productChanged(productId);
    }
    const level: LevelRow = { productId, locationId, onHand: num(row.on_hand) ?? 0, reserved: num(row.reserved) ?? 0, version: num(row.version) ?? 0, updatedAt: timeOf(row.updated_at) };
    if (!d.cache.apply(level)) return d.metrics.staleChanges.inc();
    if (row.updated_at instanceof Date) {
      // The database's clock and this one may disagree a little: a change never arrives before it was made.
      const lag = Math.max((Date.now() - row.updated_at.getTime()) / 1000, 0);
      d.metrics.feedLag.observe(lag);
      d.metrics.feedLagLast.set(lag);
    }
    const product = d.cache.product(productId);
    const location = d.cache.location(locationId);
    if (product && location) {
      d.emitLevel({
        productId,
        sku: product.sku,
        warehouseId: location.warehouseId,
        locationId,
        locationCode: location.code,
        onHand: level.onHand,
        reserved: level.reserved,
        available: level.onHand - level.reserved,
        version: level.version,
      });
    }
    d.productChanged(productId);
  }

  function handleAlert(row: FeedRow) {
    const id = String(row.id ?? '');
    const version = num(row.version) ?? 0;
    const productId = num(row.product_id);
    const warehouseId = num(row.warehouse_id);
    if (!id || productId === undefined || warehouseId === undefined) return;
    if ((alertVersions.get(id) ?? 0) >= version) return d.metrics.staleChanges.inc();
    alertVersions.delete(id);
    alertVersions.set(id, version);
    if (alertVersions.size > MAX_ALERT_VERSIONS) alertVersions.delete(alertVersions.keys().next().value as string);
    d.emitAlert({
      id,
      productId,
      sku: d.cache.product(productId)?.sku ?? '',
      warehouseId,
      kind: row.kind as AlertMessage['kind'],
      status: row.status as AlertMessage['status'],
      available: num(row.available) ?? 0,
      threshold: num(row.threshold) ?? 0,
      snoozedUntil: row.snoozed_until == null ? null : new Date(timeOf(row.snoozed_until)).toISOString(),
      acknowledgedBy: row.acknowledged_by == null ? null : String(row.acknowledged_by),
      note: row.note == null ? null : String(row.note),
      version,
    });
  }

  return { push, get pending() { return queue.length; } };
}

function timeOf(v: unknown): number {
  if (v instanceof Date) return v.getTime();
  const t = typeof v === 'string' ? Date.parse(v) : NaN;
  return Number.isFinite(t) ? t : Date.now();
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}
