import { apiRoute, respond } from '@/server/api/api-route';
import { stockResponse } from '@/server/api/responses';
import { stockQuery } from '@/server/api/schemas';
import { stockLevelsOf } from '@/server/inventory/read/stock-levels';

export const dynamic = 'force-dynamic';

export const GET = apiRoute({
  scope: 'stock:read',
  query: stockQuery,
  handler: async ({ query, db }) => respond(stockResponse, await stockLevelsOf(db, { skus: query.sku, warehouse: query.warehouse })),
});
