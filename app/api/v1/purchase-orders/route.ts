import { apiRoute, respond } from '@/server/api/api-route';
import { purchaseOrdersResponse } from '@/server/api/responses';
import { purchaseOrdersQuery } from '@/server/api/schemas';
import { purchaseOrderList } from '@/server/inventory/read/purchase-orders';

export const dynamic = 'force-dynamic';

// Purchase orders are read with the catalogue's scope: the same integrations (ERP, purchasing tools) read both.
export const GET = apiRoute({
  scope: 'catalog:read',
  query: purchaseOrdersQuery,
  handler: async ({ query, db }) => respond(purchaseOrdersResponse, { items: await purchaseOrderList(db, { status: query.status }) }),
});
