// A product's page: its levels per bin, what is on order, its ledger history and series, and why its available
// figure is what it is.
import { z } from 'zod';

const isoTime = z.string();

export const levelRowSchema = z.object({
  productId: z.number(),
  locationId: z.number(),
  warehouse: z.string(),
  location: z.string(),
  locationKind: z.string(),
  sellable: z.boolean(),
  onHand: z.number(),
  reserved: z.number(),
  available: z.number(),
  version: z.number(),
  updatedAt: isoTime,
  lastCountedAt: isoTime.nullable(),
});
export type LevelRow = z.infer<typeof levelRowSchema>;

export const productSummarySchema = z.object({
  id: z.number(),
  sku: z.string(),
  name: z.string(),
  unit: z.string(),
  barcodes: z.array(z.string()),
  threshold: z.number(),
  reorderQty: z.number(),
});
export type ProductSummary = z.infer<typeof productSummarySchema>;

export const incomingLineSchema = z.object({ purchaseOrder: z.string(), warehouse: z.string(), supplier: z.string(), expectedAt: isoTime.nullable(), remaining: z.number() });
export type IncomingLine = z.infer<typeof incomingLineSchema>;

export const productDetailSchema = z.object({
  product: productSummarySchema,
  levels: z.array(levelRowSchema),
  // Available counts sellable locations only, like every list and the storefront.
  totals: z.object({ onHand: z.number(), reserved: z.number(), available: z.number() }),
  incoming: z.array(incomingLineSchema),
});
export type ProductDetail = z.infer<typeof productDetailSchema>;

export const historyRowSchema = z.object({
  id: z.number(),
  createdAt: isoTime,
  kind: z.string(),
  warehouse: z.string(),
  location: z.string(),
  onHandDelta: z.number(),
  reservedDelta: z.number(),
  onHandAfter: z.number(),
  reservedAfter: z.number(),
  reasonCode: z.string().nullable(),
  referenceType: z.string().nullable(),
  referenceId: z.string().nullable(),
  // An order's own reference (SO-2001) when the ledger row names the order by id.
  referenceLabel: z.string().nullable(),
  note: z.string().nullable(),
  actor: z.string(),
});
export type HistoryRow = z.infer<typeof historyRowSchema>;
export const historyPageSchema = z.object({ items: z.array(historyRowSchema), nextCursor: z.string().nullable() });
export type HistoryPage = z.infer<typeof historyPageSchema>;

export const seriesPointSchema = z.object({ t: isoTime, onHand: z.number(), reserved: z.number() });
export type SeriesPoint = z.infer<typeof seriesPointSchema>;
export const productSeriesSchema = z.object({ from: isoTime, to: isoTime, start: z.object({ onHand: z.number(), reserved: z.number() }), points: z.array(seriesPointSchema) });
export type ProductSeries = z.infer<typeof productSeriesSchema>;

export const whyBinSchema = z.object({ location: z.string(), kind: z.string(), sellable: z.boolean(), onHand: z.number(), reserved: z.number(), available: z.number() });
export type WhyBin = z.infer<typeof whyBinSchema>;
export const whyHoldSchema = z.object({
  id: z.string(),
  location: z.string(),
  qty: z.number(),
  // An order line's allocation or a cart's hold (a storefront or API reservation).
  owner: z.enum(['order', 'cart']),
  reference: z.string().nullable(),
  orderStatus: z.string().nullable(),
  createdAt: isoTime,
  expiresAt: isoTime.nullable(),
});
export type WhyHold = z.infer<typeof whyHoldSchema>;
export const whyMoveSchema = z.object({
  id: z.number(),
  at: isoTime,
  kind: z.string(),
  location: z.string(),
  onHandDelta: z.number(),
  reservedDelta: z.number(),
  reasonCode: z.string().nullable(),
  reference: z.string().nullable(),
  actor: z.string(),
});
export type WhyMove = z.infer<typeof whyMoveSchema>;
export const whyWarehouseSchema = z.object({
  code: z.string(),
  name: z.string(),
  available: z.number(),
  sellableOnHand: z.number(),
  sellableReserved: z.number(),
  notSellableOnHand: z.number(),
  bins: z.array(whyBinSchema),
  holds: z.array(whyHoldSchema),
  moves: z.array(whyMoveSchema),
});
export type WhyWarehouse = z.infer<typeof whyWarehouseSchema>;
export const whyAvailableSchema = z.object({ sku: z.string(), name: z.string(), available: z.number(), warehouses: z.array(whyWarehouseSchema) });
export type WhyAvailable = z.infer<typeof whyAvailableSchema>;
