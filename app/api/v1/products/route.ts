import { apiRoute, respond } from '@/server/api/api-route';
import { productsPageResponse } from '@/server/api/responses';
import { productsQuery } from '@/server/api/schemas';
import { catalogue } from '@/server/inventory/read/catalogue';

export const dynamic = 'force-dynamic';

export const GET = apiRoute({
  scope: 'catalog:read',
  query: productsQuery,
  handler: async ({ query, db }) => respond(productsPageResponse, await catalogue(db, query)),
});
