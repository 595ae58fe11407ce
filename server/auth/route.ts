// Every dashboard JSON read goes through dashboardRoute: session and role first, then zod on the query string,
// then the body. Answers are private and never cached; errors are the public API's problem+json.
import 'server-only';
import { unstable_rethrow } from 'next/navigation';
import type { z } from 'zod';
import type { Role } from '@/db/schema';
import { errorResponse, parseQuery } from '@/server/adapters/middle';
import { requireRole, type SessionUser } from './session';

export function dashboardRoute<S extends z.ZodType, T>(
  role: Role,
  query: S,
  body: (input: z.output<S>, ctx: { user: SessionUser }) => Promise<T>,
) {
  return async (req: Request): Promise<Response> => {
    const url = new URL(req.url);
    try {
      const user = await requireRole(role);
      const input = parseQuery(query, url, 'The query is not valid.');
      return Response.json(await body(input, { user }), { headers: { 'Cache-Control': 'private, no-store' } });
    } catch (e) {
      unstable_rethrow(e);
      return errorResponse(e, `${req.method} ${url.pathname}`, 'Try again.');
    }
  };
}
