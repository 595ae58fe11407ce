import { apiRoute, respond } from '@/server/api/api-route';
import { productResponse } from '@/server/api/responses';
import { archiveQuery } from '@/server/api/schemas';
import { archiveProduct } from '@/server/inventory/commands/products';

export const dynamic = 'force-dynamic';

// Archiving an archived product answers it again; stock on hand or open holds are refused (409 invalid_state).
export const POST = apiRoute({
  scope: 'catalog:write',
  query: archiveQuery,
  handler: async ({ params, query, db, opts }) => {
    const { created: _c, changed: _ch, ...product } = await archiveProduct(db, { sku: params.sku, version: query.version }, opts);
    return respond(productResponse, product);
  },
});
