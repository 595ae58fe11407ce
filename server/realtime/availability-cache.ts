// The sidecar's memory: every stock level, with the location and product facts needed to place and sum it.
// Version guards make it order-proof: a level only ever moves to a higher version, so a duplicate from the
// feed or a snapshot that raced a change can never roll it back.
import type { StockStatus } from '@/lib/contracts/realtime';
import { afterBuffer, statusOf } from '@/server/inventory/kernel/availability-rule';

// updatedAt: epoch milliseconds of the row's last change (the REST answer's `updatedAt`).
export type LevelRow = { productId: number; locationId: number; onHand: number; reserved: number; version: number; updatedAt: number };
export type LocationInfo = { id: number; warehouseId: number; code: string; sellable: boolean };
// listed false: archived, answered as unknown (absent: listed).
export type ProductInfo = { id: number; sku: string; threshold: number; listed?: boolean };

// Which warehouses count towards a storefront figure (null: all of them), and the threshold under which it is
// low (null: the product's own), and the units kept back from it (buffer): what a channel asks of the cache.
export type WarehouseScope = ReadonlySet<number> | null;
export type FigureScope = { warehouses: WarehouseScope; lowStockThreshold: number | null; buffer?: number };
const EVERYWHERE: FigureScope = { warehouses: null, lowStockThreshold: null };

// A storefront figure, and the time of the newest sellable change behind it (the REST answer's updatedAt).
export type Figure = { sku: string; available: number; status: StockStatus; version: number; updatedAt: number | null };

export class AvailabilityCache {
  private readonly levels = new Map<number, Map<number, LevelRow>>();
  private readonly locationsById = new Map<number, LocationInfo>();
  private readonly productsById = new Map<number, ProductInfo>();
  private readonly productIdBySku = new Map<string, number>();
  readonly warehouseIds = new Set<number>();

  location(id: number) {
    return this.locationsById.get(id);
  }
  product(id: number) {
    return this.productsById.get(id);
  }
  productBySku(sku: string) {
    const id = this.productIdBySku.get(sku);
    const p = id === undefined ? undefined : this.productsById.get(id);
    return p?.listed === false ? undefined : p;
  }
  level(productId: number, locationId: number) {
    return this.levels.get(productId)?.get(locationId);
  }
  get skuCount() {
    return this.productsById.size;
  }

  putLocation(l: LocationInfo) {
    this.locationsById.set(l.id, l);
    this.warehouseIds.add(l.warehouseId);
  }

  // Returns true when the product's storefront facts (sku or threshold) changed.
  putProduct(p: ProductInfo): boolean {
    const before = this.productsById.get(p.id);
    if (before && before.sku !== p.sku) this.productIdBySku.delete(before.sku);
    this.productsById.set(p.id, p);
    this.productIdBySku.set(p.sku, p.id);
    return !before || before.sku !== p.sku || before.threshold !== p.threshold || before.listed !== p.listed;
  }

  // The guard: false (and nothing changes) unless the row is newer than what is held.
  apply(row: LevelRow): boolean {
    let byLocation = this.levels.get(row.productId);
    const held = byLocation?.get(row.locationId);
    if (held && held.version >= row.version) return false;
    if (!byLocation) this.levels.set(row.productId, (byLocation = new Map()));
    byLocation.set(row.locationId, { ...row });
    return true;
  }

  // The products with a level in this bin (a rare question: a bin's kind or flag changed).
  productsAt(locationId: number): number[] {
    const out: number[] = [];
    for (const [productId, byLocation] of this.levels) if (byLocation.has(locationId)) out.push(productId);
    return out;
  }

  remove(productId: number, locationId: number) {
    this.levels.get(productId)?.delete(locationId);
  }

  // Merges a fresh snapshot; returns the products whose figures moved, so their storefront rooms hear of it.
  mergeSnapshot(rows: Iterable<LevelRow>): Set<number> {
    const changed = new Set<number>();
    for (const r of rows) if (this.apply(r)) changed.add(r.productId);
    return changed;
  }

  // Σ(on_hand − reserved) over sellable locations in scope, and Σ version over all the product's rows: a
  // figure that only grows even when a location stops being sellable.
  availability(productId: number, scope: FigureScope = EVERYWHERE): Figure | undefined {
    const product = this.productsById.get(productId);
    if (!product) return undefined;
    let available = 0;
    let version = 0;
    let updatedAt: number | null = null;
    for (const row of this.levels.get(productId)?.values() ?? []) {
      version += row.version;
      const loc = this.locationsById.get(row.locationId);
      if (!loc?.sellable || (scope.warehouses && !scope.warehouses.has(loc.warehouseId))) continue;
      available += row.onHand - row.reserved;
      if (updatedAt === null || row.updatedAt > updatedAt) updatedAt = row.updatedAt;
    }
    available = afterBuffer(available, scope.buffer ?? 0);
    const status = statusOf(available, scope.lowStockThreshold ?? product.threshold);
    return { sku: product.sku, available, status, version, updatedAt };
  }
}
