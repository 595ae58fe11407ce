import { apiRoute, respond } from '@/server/api/api-route';
import { locationResponse } from '@/server/api/responses';
import { locationRequest } from '@/server/api/schemas';
import { saveLocation } from '@/server/inventory/commands/locations';

export const dynamic = 'force-dynamic';

// Create or update: 201 when it made the bin, 200 when it was there (changed or not).
export const PUT = apiRoute({
  scope: 'catalog:write',
  body: locationRequest,
  handler: async ({ params, body, db, opts }) => {
    const { created, changed: _, ...bin } = await saveLocation(db, { ...body, warehouse: params.warehouse, code: params.code, mode: 'upsert' }, opts);
    return respond(locationResponse, bin, created ? 201 : 200);
  },
});
