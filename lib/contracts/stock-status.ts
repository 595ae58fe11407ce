// A product's stock status as every screen, the REST API and the storefront badges show it. What each status
// means (the rule that picks one) lives in the core: server/inventory/kernel/availability-rule.ts.
import { z } from 'zod';

export const STOCK_STATUSES = ['in_stock', 'low_stock', 'out_of_stock'] as const;
export const stockStatusSchema = z.enum(STOCK_STATUSES);
export type StockStatus = z.infer<typeof stockStatusSchema>;
