// Every dashboard JSON read goes through dashboardRoute: session and role first, then zod on the query string,
// then the body. Answers are private and never cached; errors are problem+json like the public API's.
import 'server-only';
import type { z } from 'zod';
import type { Role } from '@/db/schema';
import { fieldsWithNul, httpStatusOf, InventoryError, NUL_MESSAGE } from '@/server/inventory/kernel/errors';
import { hasRole } from './roles';
import { currentUser, type SessionUser } from './session';

function problem(status: number, type: string, detail: string, extra: Record<string, unknown> = {}): Response {
  return new Response(JSON.stringify({ type: `https://onhand.dev/problems/${type}`, status, detail, ...extra }), {
    status,
    headers: { 'Content-Type': 'application/problem+json', 'Cache-Control': 'no-store' },
  });
}

export function dashboardRoute<S extends z.ZodType, T>(
  role: Role,
  query: S,
  body: (input: z.output<S>, ctx: { user: SessionUser }) => Promise<T>,
) {
  return async (req: Request): Promise<Response> => {
    const user = await currentUser();
    if (!user) return problem(401, 'unauthorized', 'Your session has ended. Sign in again to continue.');
    if (!hasRole(user.role, role)) return problem(403, 'forbidden', `This needs the ${role} role; you are signed in as ${user.role}.`);
    const raw = Object.fromEntries(new URL(req.url).searchParams);
    const parsed = query.safeParse(raw);
    const nul = fieldsWithNul(raw);
    if (!parsed.success || nul.length) {
      const errors = [
        ...(parsed.success ? [] : parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'query', message: i.message }))),
        ...nul.map((field) => ({ field, message: NUL_MESSAGE })),
      ];
      return problem(422, 'validation_failed', 'The query is not valid.', { errors });
    }
    try {
      return Response.json(await body(parsed.data, { user }), { headers: { 'Cache-Control': 'private, no-store' } });
    } catch (e) {
      if (e instanceof InventoryError) return problem(httpStatusOf[e.type], e.type, e.message);
      console.error(`[dashboard] ${new URL(req.url).pathname} failed`, e);
      return problem(500, 'internal_error', 'Something went wrong on our side. Try again.');
    }
  };
}
