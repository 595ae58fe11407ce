// What the stock screens ask for and get back: the stock list, warehouses and their bins, a bin's contents and a
// scan's meaning. The dashboard routes, the query keys, the screens and the reads all take these shapes from here.
import { z } from 'zod';
import { stockStatusSchema } from './stock-status';

export const STOCK_SORTS = ['sku', 'name', 'onHand', 'reserved', 'available', 'threshold'] as const;
export type StockSort = (typeof STOCK_SORTS)[number];

export const stockListParamsSchema = z.object({
  q: z.string().trim().max(200).optional(),
  warehouse: z.string().trim().min(1).max(64).optional(),
  location: z.string().trim().min(1).max(64).optional(),
  status: stockStatusSchema.optional(),
  sort: z.enum(STOCK_SORTS).optional(),
  dir: z.enum(['asc', 'desc']).optional(),
  page: z.coerce.number().int().min(1).max(100_000).optional(),
});
export type StockListParams = z.infer<typeof stockListParamsSchema>;

// The same parameters from a page's address: a malformed or empty field is dropped rather than refused (a
// bookmark outlives a filter), and the page defaults to the first.
export function stockListParamsFromUrl(search: Record<string, string | undefined>): StockListParams {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(stockListParamsSchema.shape)) {
    const parsed = field.safeParse(search[key]);
    if (parsed.success && parsed.data !== undefined && parsed.data !== '') out[key] = parsed.data;
  }
  return { ...out, page: (out.page as number | undefined) ?? 1 } as StockListParams;
}

export const stockListRowSchema = z.object({
  id: z.number(),
  sku: z.string(),
  name: z.string(),
  onHand: z.number(),
  reserved: z.number(),
  available: z.number(),
  threshold: z.number(),
  status: stockStatusSchema,
  // Bins holding units, pick bins first.
  bins: z.array(z.string()),
  // Still to come on open purchase orders.
  incoming: z.number(),
  lastCountedAt: z.string().nullable(),
});
export type StockListRow = z.infer<typeof stockListRowSchema>;

export const stockListResultSchema = z.object({ rows: z.array(stockListRowSchema), total: z.number(), page: z.number(), pageSize: z.number() });
export type StockListResult = z.infer<typeof stockListResultSchema>;

export const warehouseLocationSchema = z.object({ code: z.string(), kind: z.string(), sellable: z.boolean() });
export type WarehouseLocation = z.infer<typeof warehouseLocationSchema>;
export const warehouseWithLocationsSchema = z.object({ code: z.string(), name: z.string(), locations: z.array(warehouseLocationSchema) });
export type WarehouseWithLocations = z.infer<typeof warehouseWithLocationsSchema>;

export const binLevelSchema = z.object({
  productId: z.number(),
  sku: z.string(),
  name: z.string(),
  barcodes: z.array(z.string()),
  onHand: z.number(),
  reserved: z.number(),
  available: z.number(),
  version: z.number(),
});
export type BinLevel = z.infer<typeof binLevelSchema>;
export const binContentsSchema = z.object({ warehouse: z.string(), location: z.string(), kind: z.string(), sellable: z.boolean(), levels: z.array(binLevelSchema) });
export type BinContents = z.infer<typeof binContentsSchema>;

export const scannedProductSchema = z.object({ id: z.number(), sku: z.string(), name: z.string(), barcodes: z.array(z.string()), unit: z.string() });
export type ScannedProduct = z.infer<typeof scannedProductSchema>;
export const scannedLocationSchema = z.object({ id: z.number(), warehouse: z.string(), code: z.string(), kind: z.string(), sellable: z.boolean() });
export type ScannedLocation = z.infer<typeof scannedLocationSchema>;
export const scanMatchSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('product'), product: scannedProductSchema }),
  z.object({ kind: z.literal('location'), location: scannedLocationSchema }),
  z.object({ kind: z.literal('purchase_order'), reference: z.string(), warehouse: z.string(), status: z.string() }),
  z.object({ kind: z.literal('order'), id: z.string(), reference: z.string(), status: z.string() }),
  z.object({ kind: z.literal('none'), code: z.string(), badCheckDigit: z.boolean() }),
]);
export type ScanMatch = z.infer<typeof scanMatchSchema>;
