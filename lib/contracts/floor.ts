// The floor screens' work lists: what to pick and ship, and the purchase orders to receive against.
import { z } from 'zod';

const isoTime = z.string();

export const pickTaskSchema = z.object({
  // The hold being picked: one per order line and bin.
  holdId: z.string(),
  orderId: z.string(),
  reference: z.string(),
  channel: z.string(),
  lineNo: z.number(),
  sku: z.string(),
  name: z.string(),
  barcodes: z.array(z.string()),
  location: z.string(),
  // Units the line holds in this bin: at most this many may be picked here.
  qty: z.number(),
  lineQty: z.number(),
  linePicked: z.number(),
  lineShort: z.number(),
});
export type PickTask = z.infer<typeof pickTaskSchema>;

export const pickOrderSchema = z.object({
  id: z.string(),
  reference: z.string(),
  channel: z.string(),
  status: z.string(),
  createdAt: isoTime,
  lines: z.number(),
  units: z.number(),
  picked: z.number(),
  short: z.number(),
  // Picked units waiting in this warehouse's shipping location.
  staged: z.number(),
});
export type PickOrder = z.infer<typeof pickOrderSchema>;

export const pickListSchema = z.object({ warehouse: z.string(), tasks: z.array(pickTaskSchema), orders: z.array(pickOrderSchema) });
export type PickList = z.infer<typeof pickListSchema>;

export const purchaseOrderLineSchema = z.object({
  sku: z.string(),
  name: z.string(),
  barcodes: z.array(z.string()),
  expected: z.number(),
  received: z.number(),
  remaining: z.number(),
  over: z.number(),
});
export type PurchaseOrderLineRow = z.infer<typeof purchaseOrderLineSchema>;

export const purchaseOrderDetailSchema = z.object({
  reference: z.string(),
  supplier: z.string(),
  warehouse: z.string(),
  status: z.string(),
  expectedAt: isoTime.nullable(),
  lines: z.array(purchaseOrderLineSchema),
});
export type PurchaseOrderDetail = z.infer<typeof purchaseOrderDetailSchema>;

export const openPurchaseOrderSchema = z.object({
  reference: z.string(),
  supplier: z.string(),
  warehouse: z.string(),
  expectedAt: isoTime.nullable(),
  lines: z.number(),
  expected: z.number(),
  received: z.number(),
});
export type OpenPurchaseOrder = z.infer<typeof openPurchaseOrderSchema>;
