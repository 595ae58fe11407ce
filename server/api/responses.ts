// What the API answers, as zod schemas for the OpenAPI document. Handlers answer through respond(schema, data),
// which types the data by these schemas, so a core result that changes shape fails to compile here.
import { z } from 'zod';
import { apiScopes } from '@/server/auth/api-keys';
import { PROBLEM_BASE } from '@/server/adapters/middle';
import { catalogProductSchema } from '@/lib/contracts/catalog';
import { binSchema } from '@/lib/contracts/locations';
import { purchaseOrderSchema, purchaseOrderSummarySchema } from '@/lib/contracts/purchasing';

const int = z.number().int();
const dateTime = z.string().meta({ format: 'date-time' });

export const allocation = z
  .object({ warehouse: z.string(), location: z.string(), qty: int })
  .meta({ id: 'Allocation', description: 'Units held in one location.' });

export const reservationResponse = z
  .object({
    id: z.string().meta({ format: 'uuid', description: 'The hold id: DELETE /api/v1/reservations/{id} releases it.' }),
    sku: z.string(),
    qty: int,
    expiresAt: dateTime,
    reference: z.string().nullable(),
    allocations: z.array(allocation),
  })
  .meta({ id: 'Reservation' });

export const releaseResponse = z
  .object({
    id: z.string(),
    sku: z.string(),
    qty: int,
    status: z.enum(['released', 'expired']).meta({ description: '`expired` when the hold had already timed out.' }),
    reference: z.string().nullable(),
    allocations: z.array(allocation),
  })
  .meta({ id: 'ReleasedReservation' });

export const orderResponse = z
  .object({
    id: z.string().meta({ format: 'uuid' }),
    reference: z.string(),
    channel: z.string(),
    status: z.literal('allocated'),
    lines: z.array(z.object({ lineNo: int, sku: z.string(), qty: int, allocations: z.array(allocation) })),
  })
  .meta({ id: 'AllocatedOrder' });

export const cancelResponse = z
  .object({
    id: z.string(),
    reference: z.string(),
    channel: z.string(),
    status: z.literal('cancelled'),
    released: z.array(
      z.object({
        lineNo: int,
        sku: z.string(),
        warehouse: z.string(),
        location: z.string(),
        qty: int,
        staged: z.boolean().meta({ description: 'Already picked: the units wait, unreserved, in a shipping location.' }),
      }),
    ),
  })
  .meta({ id: 'CancelledOrder' });

export const stockResponse = z
  .object({
    items: z.array(
      z.object({
        sku: z.string(),
        warehouse: z.string(),
        location: z.string(),
        locationKind: z.string(),
        sellable: z.boolean(),
        onHand: int,
        reserved: int,
        available: int,
        version: int,
        updatedAt: dateTime,
      }),
    ),
    unknown: z.array(z.string()),
  })
  .meta({ id: 'StockLevels' });

const level = { onHand: int, available: int };
const receipt = z.object({
  kind: z.literal('receipt'),
  movementId: int,
  sku: z.string(),
  warehouse: z.string(),
  location: z.string(),
  qty: int,
  ...level,
  version: int,
  purchaseOrderLine: z.object({ expected: int, received: int, remaining: int, overReceived: int }).nullable(),
});
const adjusted = { movementId: int, sku: z.string(), warehouse: z.string(), location: z.string(), ...level, reserved: int, version: int };
const adjustment = z.object({ kind: z.literal('adjustment'), ...adjusted, delta: int, reason: z.string() });
const count = z.object({ kind: z.literal('count'), ...adjusted, counted: int, delta: int });
const side = z.object({ warehouse: z.string(), location: z.string(), ...level, movementId: int });
const transfer = z.object({ kind: z.literal('transfer'), sku: z.string(), qty: int, from: side, to: side });

export const movementResponse = z.discriminatedUnion('kind', [receipt, adjustment, transfer, count]).meta({ id: 'MovementResult' });

export const movementsPageResponse = z
  .object({
    items: z.array(
      z.object({
        id: int,
        sku: z.string(),
        warehouse: z.string(),
        location: z.string(),
        kind: z.string(),
        onHandDelta: int,
        reservedDelta: int,
        onHandAfter: int,
        reservedAfter: int,
        version: int,
        reasonCode: z.string().nullable(),
        referenceType: z.string().nullable(),
        referenceId: z.string().nullable(),
        note: z.string().nullable(),
        actor: z.string(),
        commandId: z.string(),
        createdAt: dateTime,
      }),
    ),
    nextCursor: z.string().nullable().meta({ description: 'Pass as `after` for the next page; null when this page was the last.' }),
  })
  .meta({ id: 'MovementsPage' });

export const productResponse = catalogProductSchema;

export const productsPageResponse = z
  .object({
    items: z.array(catalogProductSchema),
    nextCursor: z.string().nullable().meta({ description: 'Pass as `after` for the next page; null when this page was the last.' }),
  })
  .meta({ id: 'ProductsPage' });

export const locationResponse = binSchema;

export const locationsPageResponse = z
  .object({
    items: z.array(binSchema),
    nextCursor: z.string().nullable().meta({ description: 'Pass as `after` for the next page; null when this page was the last.' }),
  })
  .meta({ id: 'LocationsPage' });

export const purchaseOrderResponse = purchaseOrderSchema.meta({ id: 'PurchaseOrder' });

export const purchaseOrdersResponse = z
  .object({ items: z.array(purchaseOrderSummarySchema.meta({ id: 'PurchaseOrderSummary' })) })
  .meta({ id: 'PurchaseOrders', description: 'Newest first, at most 500.' });

export const problemResponseSchema = z
  .looseObject({
    type: z.string().meta({ description: `${PROBLEM_BASE}<slug>; switch on the slug.`, example: `${PROBLEM_BASE}insufficient_stock` }),
    title: z.string(),
    status: int,
    detail: z.string(),
    instance: z.string().optional(),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .meta({ description: 'validation_failed: every bad field, by its path (lines.0.qty).' }),
  })
  .meta({
    id: 'Problem',
    description:
      'RFC 9457 problem details. Other members carry the figures of the error: `available` (insufficient_stock), `lines` ' +
      `(an order's short lines), \`current\` (a count's conflict), \`scope\` (forbidden: one of ${apiScopes.join(', ')}), ` +
      '`retryAfter` (rate_limited).',
  });
