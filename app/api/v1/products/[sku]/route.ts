import { apiRoute, respond } from '@/server/api/api-route';
import { productResponse } from '@/server/api/responses';
import { productRequest } from '@/server/api/schemas';
import { saveProduct } from '@/server/inventory/commands/products';

export const dynamic = 'force-dynamic';

// Create or update: 201 when it made the product, 200 when it was there (changed or not).
export const PUT = apiRoute({
  scope: 'catalog:write',
  body: productRequest,
  handler: async ({ params, body, db, opts }) => {
    const { created, changed: _, ...product } = await saveProduct(db, { ...body, sku: params.sku, mode: 'upsert' }, opts);
    return respond(productResponse, product, created ? 201 : 200);
  },
});
