import { apiRoute, respond } from '@/server/api/api-route';
import { purchaseOrderResponse } from '@/server/api/responses';
import { purchaseOrderView } from '@/server/inventory/read/purchase-orders';

export const dynamic = 'force-dynamic';

// One purchase order with its lines; an unknown reference is 404 not_found.
export const GET = apiRoute({
  scope: 'catalog:read',
  handler: async ({ params, db }) => respond(purchaseOrderResponse, await purchaseOrderView(db, params.reference ?? '')),
});
