// Every server action goes through protectedAction: session and role first, then zod, then the body.
// The answer is a typed form state with per-field errors; core errors are shown as they are, anything
// else is logged and answered with a generic message (the transaction rolled back, so nothing changed).
import 'server-only';
import { unstable_rethrow } from 'next/navigation';
import type { z } from 'zod';
import type { Role } from '@/db/schema';
import type { Actor } from '@/server/inventory/kernel/actor';
import type { ActionState, FieldErrors } from '@/lib/action-state';
import { fieldsWithNul, InventoryError, NUL_MESSAGE } from '@/server/inventory/kernel/errors';
import { hasRole } from './roles';
import { currentUser, type SessionUser } from './session';

export type { ActionState };

export type ActionContext = { user: SessionUser; actor: Actor; idempotencyKey?: string };

export function protectedAction<S extends z.ZodType, T>(
  role: Role,
  schema: S,
  body: (input: z.output<S>, ctx: ActionContext) => Promise<{ message: string; data?: T }>,
) {
  return async (_prev: ActionState<T>, formData: FormData): Promise<ActionState<T>> => {
    const user = await currentUser();
    if (!user) return { status: 'error', message: 'Your session has ended. Sign in again to continue.', at: Date.now() };
    if (!hasRole(user.role, role)) {
      return { status: 'error', message: `This needs the ${role} role; you are signed in as ${user.role}.`, at: Date.now() };
    }
    const raw = formObject(formData);
    const parsed = schema.safeParse(raw);
    const nul = fieldsWithNul(raw);
    if (!parsed.success || nul.length) {
      const fieldErrors: FieldErrors = {};
      if (!parsed.success) for (const issue of parsed.error.issues) (fieldErrors[issue.path.join('.') || '_'] ??= []).push(issue.message);
      for (const field of nul) (fieldErrors[field] ??= []).push(NUL_MESSAGE);
      return { status: 'error', message: 'Check the highlighted fields.', fieldErrors, at: Date.now() };
    }
    const idempotencyKey = typeof raw.idempotencyKey === 'string' && raw.idempotencyKey ? raw.idempotencyKey : undefined;
    try {
      const result = await body(parsed.data, {
        user,
        actor: { kind: 'user', id: user.id, label: user.email },
        idempotencyKey,
      });
      return { status: 'ok', message: result.message, data: result.data, at: Date.now() };
    } catch (e) {
      unstable_rethrow(e);
      if (e instanceof InventoryError) {
        return { status: 'error', message: e.message, fieldErrors: e.details.fields as FieldErrors | undefined, at: Date.now() };
      }
      console.error('server action failed', e);
      return { status: 'error', message: 'Something went wrong on our side and nothing was changed. Try again.', at: Date.now() };
    }
  };
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
