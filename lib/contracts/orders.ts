// Orders as they cross the wire: GET /api/v1/orders (storefront backends) and the staff Orders page read the same
// shape. Storefront-safe: no staff names, no notes; where each unit is held is the warehouse and bin code.
import { z } from 'zod';

export const ORDER_STATUSES = ['open', 'allocated', 'picking', 'picked', 'shipped', 'cancelled'] as const;
export const orderStatusSchema = z.enum(ORDER_STATUSES, { error: `must be one of ${ORDER_STATUSES.join(', ')}` });
export type OrderStatus = z.output<typeof orderStatusSchema>;

const int = z.number().int();

export const orderHoldSchema = z
  .object({
    warehouse: z.string(),
    location: z.string(),
    qty: int,
    staged: z.boolean().meta({ description: 'Picked: the units wait in the warehouse’s shipping location.' }),
  })
  .meta({ id: 'OrderHold', description: 'Units of a line held in one bin.' });

export const orderLineSchema = z.object({
  lineNo: int,
  sku: z.string(),
  qty: int,
  picked: int.meta({ description: 'Units picked so far (staged or shipped).' }),
  short: int.meta({ description: 'Units declared short at picking (not found, damaged); never shipped.' }),
  shipped: int,
  held: z.array(orderHoldSchema).meta({ description: 'Where the units the order still holds are; empty once shipped or cancelled.' }),
});
export type OrderLineView = z.output<typeof orderLineSchema>;

export const orderSchema = z
  .object({
    id: z.string().meta({ format: 'uuid' }),
    reference: z.string(),
    channel: z.string(),
    status: orderStatusSchema,
    createdAt: z.string().meta({ format: 'date-time' }),
    updatedAt: z.string().meta({ format: 'date-time' }),
    lines: z.array(orderLineSchema),
  })
  .meta({ id: 'Order' });
export type OrderView = z.output<typeof orderSchema>;

export const ordersPageSchema = z
  .object({
    items: z.array(orderSchema),
    nextCursor: z.string().nullable().meta({ description: 'Pass as `after` for the next page; null on the last.' }),
  })
  .meta({ id: 'OrdersPage' });
export type OrdersPage = z.output<typeof ordersPageSchema>;

// The staff page's answer: a page, plus how many orders each state holds (for the search, not the state filter).
export const staffOrdersSchema = ordersPageSchema.extend({ counts: z.partialRecord(orderStatusSchema, int) });
export type StaffOrders = z.output<typeof staffOrdersSchema>;
