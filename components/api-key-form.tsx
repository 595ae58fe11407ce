'use client';

import { useState } from 'react';
import { createApiKeyAction } from '@/app/(shell)/settings/actions';
import { idle, type ActionState } from '@/lib/contracts/action-state';
import { Field } from './ui/field';
import { FormMessage } from './ui/form-message';
import { SubmitButton } from './ui/submit-button';
import { useKeptForm } from '@/components/ui/use-kept-form';

const scopes = ['stock:read', 'stock:write', 'reservations:write', 'orders:read', 'orders:write'];

export function ApiKeyForm({ defaultPerMinute }: { defaultPerMinute: number }) {
  const [state, form, pending] = useKeptForm(createApiKeyAction, idle as ActionState<{ secret: string }>);
  const [chosen, setChosen] = useState<string[]>(['stock:read']);
  return (
    <form {...form} className="space-y-3 rounded-xl border border-slate-200 bg-white p-4">
      <Field label="Name" name="name" placeholder="Storefront backend" errors={state.fieldErrors?.name} className="max-w-sm" />
      <Field
        label="Requests a minute"
        name="perMinute"
        inputMode="numeric"
        placeholder={`${defaultPerMinute.toLocaleString('en')} (default)`}
        hint="Left empty: the default for every key. The whole minute's allowance may be spent at once; change it later in the list below."
        errors={state.fieldErrors?.perMinute}
        className="max-w-sm"
      />
      <fieldset>
        <legend className="mb-1 text-sm font-medium text-slate-700">Scopes</legend>
        <div className="flex flex-wrap gap-4">
          {scopes.map((s) => (
            <label key={s} className="flex min-h-11 items-center gap-2 text-sm">
              <input
                type="checkbox"
                checked={chosen.includes(s)}
                onChange={(e) => setChosen((c) => (e.target.checked ? [...c, s] : c.filter((x) => x !== s)))}
              />
              <code>{s}</code>
            </label>
          ))}
        </div>
        <input type="hidden" name="scopes" value={chosen.join(',')} />
        {state.fieldErrors?.scopes ? <p className="mt-1 text-sm text-red-700">{state.fieldErrors.scopes[0]}</p> : null}
      </fieldset>
      <FormMessage state={state} />
      {state.status === 'ok' && state.data?.secret ? (
        <output className="block rounded-md bg-slate-900 p-3 font-mono text-sm break-all text-white" data-testid="new-api-key">
          {state.data.secret}
        </output>
      ) : null}
      <SubmitButton pending={pending}>Create key</SubmitButton>
    </form>
  );
}
