'use client';

import { signIn } from '@/app/sign-in/actions';
import { idle } from '@/lib/contracts/action-state';
import { Field } from './ui/field';
import { FormMessage } from './ui/form-message';
import { SubmitButton } from './ui/submit-button';
import { useKeptForm } from '@/components/ui/use-kept-form';

export function SignInForm() {
  const [state, form, pending] = useKeptForm(signIn, idle);
  return (
    <form {...form} className="space-y-4" noValidate>
      <Field label="Email" name="email" type="email" autoComplete="username" autoFocus errors={state.fieldErrors?.email} />
      <Field label="Password" name="password" type="password" autoComplete="current-password" errors={state.fieldErrors?.password} />
      <FormMessage state={state} />
      <SubmitButton pending={pending} className="w-full">
        Sign in
      </SubmitButton>
    </form>
  );
}
