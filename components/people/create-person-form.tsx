'use client';

import { createPersonAction } from '@/app/(shell)/settings/people/actions';
import { idle, type ActionState } from '@/lib/contracts/action-state';
import type { OneTimePassword } from '@/lib/contracts/people';
import { roleLabel, roles } from '@/lib/contracts/roles';
import { Field } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { SelectField } from '@/components/ui/select-field';
import { SubmitButton } from '@/components/ui/submit-button';
import { useKeptForm } from '@/components/ui/use-kept-form';
import { OneTimePasswordNote } from './one-time-password';

export function CreatePersonForm() {
  const [state, form, pending] = useKeptForm(createPersonAction, idle as ActionState<OneTimePassword>);
  return (
    <form {...form} className="space-y-3 rounded-xl border border-slate-200 bg-white p-4" noValidate aria-label="Add a person">
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <Field label="Name" name="name" autoComplete="off" errors={state.fieldErrors?.name} />
        <Field label="E-mail" name="email" type="email" autoComplete="off" errors={state.fieldErrors?.email} />
        <SelectField label="Role" name="role" defaultValue="staff" options={roles.map((r) => ({ value: r, label: roleLabel[r] }))} errors={state.fieldErrors?.role} />
        <Field
          label="Password (optional)"
          name="password"
          type="password"
          autoComplete="new-password"
          hint="Leave empty for a one-time password. Either way it must be changed at first sign-in."
          errors={state.fieldErrors?.password}
        />
      </div>
      <FormMessage state={state} />
      {state.status === 'ok' && state.data ? <OneTimePasswordNote value={state.data} /> : null}
      <SubmitButton pending={pending}>Add person</SubmitButton>
    </form>
  );
}
