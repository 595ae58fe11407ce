import { apiRoute, respond } from '@/server/api/api-route';
import { uuidParam } from '@/server/api/schemas';
import { orderSchema } from '@/lib/contracts/orders';
import { notFound } from '@/server/inventory/kernel/errors';
import { orderById } from '@/server/inventory/read/orders';

export const dynamic = 'force-dynamic';

// An id that is not a UUID names no order: 404, like an unknown one.
export const GET = apiRoute({
  scope: 'orders:read',
  handler: async ({ params, db, key }) => {
    if (!uuidParam('order').safeParse(params.id).success) throw notFound('order', params.id);
    return respond(orderSchema, await orderById(db, params.id, { ownerKeyId: key.id }));
  },
});
