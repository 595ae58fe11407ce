import { publicRoute } from '@/server/api/api-route';
import { openApiDocument } from '@/server/api/openapi';

export const dynamic = 'force-dynamic';

export const GET = publicRoute({
  // A public document: any page may read it.
  cors: async () => '*',
  handler: async () => Response.json(openApiDocument(), { headers: { 'Cache-Control': 'public, max-age=300' } }),
});
