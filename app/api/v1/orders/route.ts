import { apiRoute, respond } from '@/server/api/api-route';
import { orderResponse } from '@/server/api/responses';
import { orderRequest } from '@/server/api/schemas';
import { allocateOrder } from '@/server/inventory/commands/allocate-order';

export const dynamic = 'force-dynamic';

export const POST = apiRoute({
  scope: 'orders:write',
  body: orderRequest,
  handler: async ({ body, db, opts }) => respond(orderResponse, await allocateOrder(db, body, opts), 201),
});
