// What the API accepts: the core's own zod input schemas (so the same rules apply everywhere), plus the query
// parameters. The OpenAPI document is generated from these same objects.
import { z } from 'zod';
import { PO_STATUSES } from '@/lib/contracts/purchasing';
import { adjustInput } from '@/server/inventory/commands/adjust';
import { allocateOrderInput } from '@/server/inventory/commands/allocate-order';
import { countInput } from '@/server/inventory/commands/count';
import { DEFAULT_MOVEMENTS_LIMIT, MAX_MOVEMENTS_LIMIT } from '@/server/inventory/read/movements';
import { DEFAULT_ORDERS_LIMIT, MAX_ORDERS_LIMIT } from '@/server/inventory/read/orders';
import { orderStatusSchema } from '@/lib/contracts/orders';
import { receiveInput } from '@/server/inventory/commands/receive';
import { reserveInput } from '@/server/inventory/commands/reserve';
import { sku, skuList, warehouseCode } from '@/server/inventory/kernel/schemas';
import { saveProductInput } from '@/server/inventory/commands/products';
import { archivedFilters, DEFAULT_CATALOGUE_LIMIT, MAX_CATALOGUE_LIMIT } from '@/server/inventory/read/catalogue';
import { transferInput } from '@/server/inventory/commands/transfer';
import { saveLocationInput } from '@/server/inventory/commands/locations';
import { DEFAULT_LOCATIONS_LIMIT, MAX_LOCATIONS_LIMIT } from '@/server/inventory/read/places';

export const reservationRequest = reserveInput.meta({
  id: 'ReservationRequest',
  description: 'A cart hold: all of qty is held, split over sellable locations, or nothing is.',
  example: { sku: 'TSHIRT-RED-M', qty: 2, ttlSeconds: 900, reference: 'cart-8f2a' },
});

export const orderRequest = allocateOrderInput.meta({
  id: 'OrderRequest',
  description: 'Creates the order and holds stock for every line, all or nothing. Lines naming one SKU are added together.',
  example: { reference: 'SO-1001', lines: [{ sku: 'TSHIRT-RED-M', qty: 2 }] },
});

const kind = <K extends string>(k: K, description: string) => z.literal(k).meta({ description });

export const movementRequest = z
  .discriminatedUnion(
    'kind',
    [
      receiveInput.extend({ kind: kind('receipt', 'Stock arrives in a location (optionally against a purchase order).') }).meta({ id: 'ReceiptMovement' }),
      adjustInput.extend({ kind: kind('adjustment', 'Corrects on-hand in one location by a signed delta, with a reason.') }).meta({ id: 'AdjustmentMovement' }),
      transferInput.extend({ kind: kind('transfer', 'Moves available units between two locations.') }).meta({ id: 'TransferMovement' }),
      countInput.extend({ kind: kind('count', 'A cycle count: applies only if on-hand is still `expected`.') }).meta({ id: 'CountMovement' }),
    ],
    { error: 'must be one of receipt, adjustment, transfer, count' },
  )
  .meta({ id: 'MovementRequest', description: 'A stock change from an integration or scanner; `kind` picks the command.' });

export type MovementRequest = z.output<typeof movementRequest>;

export const stockQuery = z.object({ sku: skuList, warehouse: warehouseCode.optional().meta({ description: 'Only this warehouse.' }) });

const wholeNumber = (description: string) =>
  z.string().regex(/^\d{1,15}$/, 'must be a whole number').transform(Number).meta({ description });

export const movementsQuery = z.object({
  sku: sku.optional().meta({ description: 'Only this SKU.' }),
  after: wholeNumber('The last movement id you have seen (`nextCursor` of the previous page); omit to start at the beginning.').optional(),
  limit: wholeNumber(`Rows per page, 1 to ${MAX_MOVEMENTS_LIMIT}; default ${DEFAULT_MOVEMENTS_LIMIT}.`)
    .pipe(z.number().min(1, 'must be at least 1').max(MAX_MOVEMENTS_LIMIT, `must be at most ${MAX_MOVEMENTS_LIMIT}`))
    .optional(),
});

export const ordersQuery = z.object({
  reference: z.string().trim().min(1).max(200).optional().meta({ description: 'Only the order with this reference (exact).' }),
  channel: z.string().trim().min(1).max(64).optional().meta({ description: 'Only orders of this channel.' }),
  status: orderStatusSchema.optional().meta({ description: 'Only orders in this state.' }),
  after: z.string().max(200).optional().meta({ description: '`nextCursor` of the previous page; omit for the newest orders.' }),
  limit: wholeNumber(`Orders per page, 1 to ${MAX_ORDERS_LIMIT}; default ${DEFAULT_ORDERS_LIMIT}.`)
    .pipe(z.number().min(1, 'must be at least 1').max(MAX_ORDERS_LIMIT, `must be at most ${MAX_ORDERS_LIMIT}`))
    .optional(),
});

export const uuidParam = (what: string) => z.uuid().meta({ description: `The ${what} id (UUID).` });

// PUT /api/v1/products/{sku}: the SKU is the path's; `mode` is the API's own (create or update, whichever applies).
// Unknown members are refused: a misspelt field would otherwise be a save that silently changed nothing.
export const productRequest = z
  .strictObject(saveProductInput.omit({ sku: true, mode: true }).shape)
  .meta({
    id: 'ProductRequest',
    description:
      'Creates the product, or updates the fields sent (omitted fields keep their value; a new product needs a name). ' +
      'Barcodes are EAN-13, UPC-A, EAN-8 or GTIN-14 with a valid check digit, answered as 14 digits. Send `version` ' +
      'to refuse the save (409 conflict, with what changed) if the product changed since you read it.',
    example: { name: 'T-shirt red M', barcodes: ['5012345678900'], unit: 'each', lowStockThreshold: 5, leadTimeDays: 7 },
  });

export const purchaseOrdersQuery = z.object({
  status: z
    .enum([...PO_STATUSES, 'open', 'all'], { error: `must be one of ${[...PO_STATUSES, 'open', 'all'].join(', ')}` })
    .optional()
    .meta({ description: 'One status, `open` (draft, ordered, partially received; the default) or `all`.' }),
});

export const productsQuery = z.object({
  q: z.string().trim().max(200).optional().meta({ description: 'Part of a SKU or name, or a whole barcode.' }),
  after: sku.optional().meta({ description: 'The last SKU you have seen (`nextCursor` of the previous page).' }),
  limit: wholeNumber(`Rows per page, 1 to ${MAX_CATALOGUE_LIMIT}; default ${DEFAULT_CATALOGUE_LIMIT}.`)
    .pipe(z.number().min(1, 'must be at least 1').max(MAX_CATALOGUE_LIMIT, `must be at most ${MAX_CATALOGUE_LIMIT}`))
    .optional(),
  archived: z.enum(archivedFilters, { error: `must be one of ${archivedFilters.join(', ')}` }).optional().meta({ description: 'Archived products: exclude (default), include, or only.' }),
});

export const archiveQuery = z.object({
  version: wholeNumber('The version you read: the archive is refused (409 conflict) if the product changed since.').optional(),
});

// PUT /api/v1/locations/{warehouse}/{code}: warehouse and code are the path's; unknown members are refused.
export const locationRequest = z
  .strictObject(saveLocationInput.omit({ warehouse: true, code: true, mode: true }).shape)
  .meta({
    id: 'LocationRequest',
    description:
      'Creates the bin (a kind is then required; sellable follows the kind, pick order puts it at the end of the path) or ' +
      'updates the fields sent. `active: false` deactivates it: refused (409 invalid_state) while it holds stock or open ' +
      'holds, naming them. Send `version` to refuse the save (409 conflict) if the bin changed since you read it.',
    example: { kind: 'storage', sellable: true, pickOrder: 120 },
  });

export const locationsQuery = z.object({
  warehouse: warehouseCode.optional().meta({ description: 'Only this warehouse.' }),
  q: z.string().trim().max(64).optional().meta({ description: 'Part of a bin code.' }),
  after: z.string().max(200).optional().meta({ description: '`nextCursor` of the previous page.' }),
  limit: wholeNumber(`Rows per page, 1 to ${MAX_LOCATIONS_LIMIT}; default ${DEFAULT_LOCATIONS_LIMIT}.`)
    .pipe(z.number().min(1, 'must be at least 1').max(MAX_LOCATIONS_LIMIT, `must be at most ${MAX_LOCATIONS_LIMIT}`))
    .optional(),
  inactive: z.enum(['exclude', 'include'], { error: 'must be one of exclude, include' }).optional().meta({ description: 'Deactivated bins (and bins of deactivated warehouses): exclude (default) or include.' }),
});
