import { apiRoute, respond } from '@/server/api/api-route';
import { orderResponse } from '@/server/api/responses';
import { orderRequest, ordersQuery } from '@/server/api/schemas';
import { ordersPageSchema } from '@/lib/contracts/orders';
import { allocateOrder } from '@/server/inventory/commands/allocate-order';
import { ordersPage } from '@/server/inventory/read/orders';

export const dynamic = 'force-dynamic';

export const GET = apiRoute({
  scope: 'orders:read',
  query: ordersQuery,
  handler: async ({ query, db, key }) => respond(ordersPageSchema, await ordersPage(db, { ...query, ownerKeyId: key.id })),
});

export const POST = apiRoute({
  scope: 'orders:write',
  body: orderRequest,
  handler: async ({ body, db, opts }) => respond(orderResponse, await allocateOrder(db, body, opts), 201),
});
