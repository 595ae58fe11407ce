// Every server action goes through protectedAction: session and role first, then zod, then the body.
// The answer is a typed form state with per-field errors; every failure is answered by the shared middle.
import 'server-only';
import { unstable_rethrow } from 'next/navigation';
import type { z } from 'zod';
import type { Role } from '@/db/schema';
import type { ActionState } from '@/lib/contracts/action-state';
import { errorState, parseWith } from '@/server/adapters/middle';
import { withRequest } from '@/server/observability/request-context';
import type { Actor } from '@/server/inventory/kernel/actor';
import { requireRole, type SessionUser } from './session';

export type { ActionState };

export type ActionContext = { user: SessionUser; actor: Actor; idempotencyKey?: string };

export function protectedAction<S extends z.ZodType, T>(
  role: Role,
  schema: S,
  body: (input: z.output<S>, ctx: ActionContext) => Promise<{ message: string; data?: T }>,
  opts: { beforePasswordChange?: boolean } = {},
) {
  // Each call is a request of its own: its id is on its log lines and is its first command's id (command_id).
  return (_prev: ActionState<T>, formData: FormData): Promise<ActionState<T>> => withRequest(async () => {
    try {
      // The signed cookie cache may answer (server/auth/session.ts): no database read for the session on the busy path.
      const user = await requireRole(role, { ...opts, cached: true });
      const raw = formObject(formData);
      const input = parseWith(schema, raw, 'Check the highlighted fields.');
      const idempotencyKey = typeof raw.idempotencyKey === 'string' && raw.idempotencyKey ? raw.idempotencyKey : undefined;
      const result = await body(input, { user, actor: { kind: 'user', id: user.id, label: user.email }, idempotencyKey });
      return { status: 'ok', message: result.message, data: result.data, at: Date.now() };
    } catch (e) {
      unstable_rethrow(e);
      return errorState(e);
    }
  });
}

// Form fields as a plain object; Next's own $ACTION_* fields are not the caller's input.
function formObject(formData: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of formData.entries()) {
    if (k.startsWith('$ACTION')) continue;
    out[k] = typeof v === 'string' ? v : v.name;
  }
  return out;
}
