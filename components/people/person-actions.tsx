'use client';

import { useActionState } from 'react';
import { resetPasswordAction, setActiveAction, setRoleAction } from '@/app/(shell)/settings/people/actions';
import { idle, type ActionState } from '@/lib/contracts/action-state';
import type { OneTimePassword, Person } from '@/lib/contracts/people';
import { roleLabel, roles } from '@/lib/contracts/roles';
import { OneTimePasswordNote } from './one-time-password';

const small = 'min-h-11 rounded-md border border-slate-300 bg-white px-3 text-sm font-medium hover:bg-slate-50 disabled:opacity-50';

// A refusal (the last admin, yourself) is shown next to the control that asked for it.
function Refused({ state, field }: { state: ActionState; field: string }) {
  if (state.status === 'idle') return null;
  const text = state.fieldErrors?.[field]?.[0] ?? state.message;
  return (
    <p role="status" className={`mt-1 text-sm ${state.status === 'ok' ? 'text-emerald-800' : 'text-red-700'}`}>
      {state.status === 'ok' ? '✓ ' : '⚠ '}
      {text}
    </p>
  );
}

export function RoleForm({ person }: { person: Person }) {
  const [state, action, pending] = useActionState(setRoleAction, idle);
  return (
    <form action={action} className="flex flex-wrap items-center gap-2" aria-label={`Role of ${person.name}`}>
      <input type="hidden" name="userId" value={person.id} />
      <label className="sr-only" htmlFor={`role-${person.id}`}>
        Role of {person.name}
      </label>
      <select id={`role-${person.id}`} name="role" defaultValue={person.role} className="min-h-11 rounded-md border border-slate-300 bg-white px-2 text-sm">
        {roles.map((r) => (
          <option key={r} value={r}>
            {roleLabel[r]}
          </option>
        ))}
      </select>
      <button type="submit" disabled={pending} className={small}>
        Save role
      </button>
      <Refused state={state} field="role" />
    </form>
  );
}

export function ActiveForm({ person }: { person: Person }) {
  const [state, action, pending] = useActionState(setActiveAction, idle);
  const next = !person.active;
  return (
    <form
      action={action}
      onSubmit={(e) => {
        if (!next && !confirm(`Deactivate ${person.name}? They are signed out everywhere at once and cannot sign in until reactivated.`)) e.preventDefault();
      }}
    >
      <input type="hidden" name="userId" value={person.id} />
      <input type="hidden" name="active" value={String(next)} />
      <button type="submit" disabled={pending} className={`${small} ${next ? '' : 'text-red-700'}`}>
        {next ? 'Reactivate' : 'Deactivate'}
      </button>
      <Refused state={state} field="active" />
    </form>
  );
}

export function ResetPasswordForm({ person }: { person: Person }) {
  const [state, action, pending] = useActionState(resetPasswordAction, idle as ActionState<OneTimePassword>);
  return (
    <form
      action={action}
      onSubmit={(e) => {
        if (!confirm(`Give ${person.name} a new one-time password? Their current password stops working and they are signed out everywhere.`)) e.preventDefault();
      }}
    >
      <input type="hidden" name="userId" value={person.id} />
      <button type="submit" disabled={pending} className={small}>
        Reset password
      </button>
      <Refused state={state} field="userId" />
      {state.status === 'ok' && state.data ? <OneTimePasswordNote value={state.data} /> : null}
    </form>
  );
}
