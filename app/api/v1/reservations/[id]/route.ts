import { apiRoute, respond } from '@/server/api/api-route';
import { releaseResponse } from '@/server/api/responses';
import { uuidParam } from '@/server/api/schemas';
import { notFound } from '@/server/inventory/kernel/errors';
import { release } from '@/server/inventory/commands/release';

export const dynamic = 'force-dynamic';

// Releasing is idempotent in the core: a hold already released or expired answers its final state again.
export const DELETE = apiRoute({
  scope: 'reservations:write',
  handler: async ({ params, db, opts }) => {
    // An id that cannot exist is simply not found, as a path should be.
    if (!uuidParam('reservation').safeParse(params.id).success) throw notFound('reservation', params.id);
    return respond(releaseResponse, await release(db, { id: params.id }, opts));
  },
});
