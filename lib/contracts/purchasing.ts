// Suppliers, a product's supplier terms and purchase orders with their lifecycle, as the dashboard, the REST API
// and the CSV download see them. Money is in minor units (cents) so sums are exact.
import { z } from 'zod';

export const PO_STATUSES = ['draft', 'ordered', 'partially_received', 'received', 'closed', 'cancelled'] as const;
export const poStatus = z.enum(PO_STATUSES);
export type PoStatus = z.infer<typeof poStatus>;
export const PO_STATUS_LABEL: Record<PoStatus, string> = {
  draft: 'Draft',
  ordered: 'Ordered',
  partially_received: 'Partially received',
  received: 'Received',
  closed: 'Closed',
  cancelled: 'Cancelled',
};

// The statuses a receipt may be booked against (the core's PO_ACTIONS.receive says the same).
export const RECEIVABLE_PO_STATUSES: readonly PoStatus[] = ['ordered', 'partially_received'];
export const isReceivable = (status: string) => (RECEIVABLE_PO_STATUSES as readonly string[]).includes(status);

export const SHORT_REASONS = ['supplier_short', 'damaged', 'cancelled'] as const;
export const shortReason = z.enum(SHORT_REASONS, { error: `must be one of ${SHORT_REASONS.join(', ')}` });
export type ShortReason = z.infer<typeof shortReason>;
export const SHORT_REASON_LABEL: Record<ShortReason, string> = { supplier_short: 'Supplier short', damaged: 'Damaged', cancelled: 'Cancelled' };

export const supplierSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  leadTimeDays: z.number().int(),
  active: z.boolean(),
  version: z.number().int(),
});
export type SupplierMaster = z.infer<typeof supplierSchema>;

export const productSupplierSchema = z.object({
  sku: z.string(),
  supplierId: z.number().int(),
  supplier: z.string(),
  supplierSku: z.string().nullable(),
  packSize: z.number().int(),
  minOrderQty: z.number().int(),
  unitCostCents: z.number().int().nullable(),
  preferred: z.boolean(),
  leadTimeDays: z.number().int(),
  version: z.number().int(),
});
export type ProductSupplierTerms = z.infer<typeof productSupplierSchema>;

export const purchaseOrderLineSchema = z.object({
  sku: z.string(),
  name: z.string(),
  ordered: z.number().int(),
  received: z.number().int(),
  remaining: z.number().int(),
  over: z.number().int(),
  shortReason: shortReason.nullable(),
  supplierSku: z.string().nullable(),
  packSize: z.number().int(),
  minOrderQty: z.number().int(),
  unitCostCents: z.number().int().nullable(),
});
export type PurchaseOrderLineView = z.infer<typeof purchaseOrderLineSchema>;

export const purchaseOrderSchema = z.object({
  reference: z.string(),
  status: poStatus,
  supplier: z.string(),
  supplierId: z.number().int().nullable(),
  warehouse: z.string(),
  expectedAt: z.string().nullable().meta({ description: 'Expected delivery date (YYYY-MM-DD), set when the order is placed.' }),
  createdAt: z.string(),
  orderedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  createdBy: z.string().nullable(),
  version: z.number().int(),
  lines: z.array(purchaseOrderLineSchema),
});
export type PurchaseOrderView = z.infer<typeof purchaseOrderSchema>;

export const purchaseOrderSummarySchema = purchaseOrderSchema.omit({ lines: true }).extend({
  lines: z.number().int(),
  ordered: z.number().int(),
  received: z.number().int(),
});
export type PurchaseOrderSummary = z.infer<typeof purchaseOrderSummarySchema>;

// What a change to an order answers: its new state, and for a draft line what was asked and what was set.
export type PoChangeResult = { reference: string; status: PoStatus; version: number };
export type DraftLineResult = { sku: string; asked: number; qty: number; note: string | null };
export type DraftFromSuggestionsResult = {
  drafts: { reference: string; supplier: string; warehouse: string; created: boolean; lines: DraftLineResult[] }[];
  // Products with a suggestion but no preferred supplier: not drafted (an order needs someone to send it to).
  needsSupplier: { sku: string; warehouse: string; suggested: number }[];
  // Already on an open draft for the same supplier and warehouse: left as they are.
  alreadyDrafted: { sku: string; reference: string }[];
};
