// Query-key factories for every dashboard read. Keys are structured arrays so the realtime hook can patch one
// entry (setQueryData on stock.product(sku) when a level's version is the cached one + 1) or invalidate a whole
// family by prefix (stock.product(sku) also covers its history and series; picking.all every pick list).
import type { StockListParams } from '@/lib/contracts/stock';


export const queryKeys = {
  stock: {
    all: ['stock'] as const,
    lists: () => ['stock', 'list'] as const,
    list: (params: StockListParams) => ['stock', 'list', params] as const,
    products: () => ['stock', 'product'] as const,
    // Levels per location with their versions: the entry a realtime level message patches.
    product: (sku: string) => ['stock', 'product', sku] as const,
    history: (sku: string) => ['stock', 'product', sku, 'history'] as const,
    series: (sku: string, days: number) => ['stock', 'product', sku, 'series', days] as const,
    bins: () => ['stock', 'bin'] as const,
    bin: (warehouse: string, location: string) => ['stock', 'bin', warehouse, location] as const,
  },
  picking: {
    all: ['picking'] as const,
    list: (warehouseCode: string) => ['picking', 'list', warehouseCode] as const,
  },
  receiving: {
    all: ['receiving'] as const,
    openOrders: () => ['receiving', 'open'] as const,
    purchaseOrder: (reference: string) => ['receiving', 'purchase-order', reference] as const,
  },
  // The Orders page: one entry per state filter and search; every stock change in a warehouse may move an order.
  orders: {
    all: ['orders'] as const,
    list: (params: { status?: string; q?: string }) => ['orders', 'list', params] as const,
  },
  warehouses: () => ['warehouses'] as const,
  // Warehouses and bins as master data (the Warehouses pages). A warehouse's bins carry its id: the room to join.
  places: {
    all: ['places'] as const,
    list: () => ['places', 'list'] as const,
    bins: (code: string, id: number) => ['places', 'bins', code, id] as const,
  },
  // Scan lookups are cached briefly so five fast scans of one product cost one request.
  scan: (warehouse: string, code: string) => ['scan', warehouse, code] as const,
};
