import { apiRoute, respond } from '@/server/api/api-route';
import { locationsPageResponse } from '@/server/api/responses';
import { locationsQuery } from '@/server/api/schemas';
import { locationsPage } from '@/server/inventory/read/places';

export const dynamic = 'force-dynamic';

export const GET = apiRoute({
  scope: 'catalog:read',
  query: locationsQuery,
  handler: async ({ query, db }) => respond(locationsPageResponse, await locationsPage(db, query)),
});
