'use client';

import { useActionState } from 'react';
import { setApiKeyLimitAction } from '@/app/(shell)/settings/actions';
import { idle } from '@/lib/contracts/action-state';

// One key's requests a minute, changed in place: empty means the default. Enter saves.
export function KeyLimitForm({ id, name, perMinute, defaultPerMinute }: { id: string; name: string; perMinute: number | null; defaultPerMinute: number }) {
  const [state, action, pending] = useActionState(setApiKeyLimitAction, idle);
  const error = state.fieldErrors?.perMinute?.[0] ?? (state.status === 'error' ? state.message : undefined);
  const inputId = `limit-${id}`;
  return (
    <form action={action} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="id" value={id} />
      <label htmlFor={inputId} className="sr-only">
        Requests a minute for {name}
      </label>
      <input
        id={inputId}
        name="perMinute"
        inputMode="numeric"
        defaultValue={perMinute ?? ''}
        placeholder={`${defaultPerMinute.toLocaleString('en')} (default)`}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${inputId}-error` : undefined}
        className="min-h-11 w-36 rounded-md border border-slate-300 px-2 text-sm"
      />
      <button disabled={pending} className="min-h-11 text-sm text-brand-700 underline disabled:opacity-50">
        Save
      </button>
      {error ? (
        <span id={`${inputId}-error`} className="text-sm text-red-700">
          {error}
        </span>
      ) : state.status === 'ok' ? (
        <span role="status" className="text-sm text-slate-600">
          Saved
        </span>
      ) : null}
    </form>
  );
}
