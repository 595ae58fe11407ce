import { apiRoute, respond } from '@/server/api/api-route';
import { cancelResponse } from '@/server/api/responses';
import { uuidParam } from '@/server/api/schemas';
import { cancelOrder } from '@/server/inventory/commands/cancel-order';
import { notFound } from '@/server/inventory/kernel/errors';

export const dynamic = 'force-dynamic';

// Cancelling a cancelled order answers the same again; a shipped order is refused (409 invalid_state).
export const POST = apiRoute({
  scope: 'orders:write',
  handler: async ({ params, db, opts }) => {
    if (!uuidParam('order').safeParse(params.id).success) throw notFound('order', params.id);
    return respond(cancelResponse, await cancelOrder(db, { id: params.id }, opts));
  },
});
