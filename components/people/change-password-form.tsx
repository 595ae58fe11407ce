'use client';

import { changePasswordAction } from '@/app/account/actions';
import { idle } from '@/lib/contracts/action-state';
import { MIN_PASSWORD } from '@/lib/contracts/people';
import { Field } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { SubmitButton } from '@/components/ui/submit-button';
import { useKeptForm } from '@/components/ui/use-kept-form';

export function ChangePasswordForm({ email }: { email: string }) {
  const [state, form, pending] = useKeptForm(changePasswordAction, idle);
  return (
    <form {...form} className="space-y-4" noValidate aria-label="Change password">
      {/* For password managers: which account this password belongs to. */}
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      <Field label="Current password" name="currentPassword" type="password" autoComplete="current-password" autoFocus errors={state.fieldErrors?.currentPassword} />
      <Field
        label="New password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        hint={`At least ${MIN_PASSWORD} characters; not your e-mail or name.`}
        errors={state.fieldErrors?.newPassword}
      />
      <Field label="Repeat the new password" name="confirmPassword" type="password" autoComplete="new-password" errors={state.fieldErrors?.confirmPassword} />
      <FormMessage state={state} />
      <SubmitButton pending={pending} className="w-full">
        Change password
      </SubmitButton>
    </form>
  );
}
