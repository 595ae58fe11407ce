'use client';

import { useActionState } from 'react';
import { setThresholdAction } from '@/app/(shell)/alerts/actions';
import { idle } from '@/lib/action-state';

export function ThresholdForm({ sku, threshold }: { sku: string; threshold: number }) {
  const [state, action, pending] = useActionState(setThresholdAction, idle);
  const id = `threshold-${sku}`;
  return (
    <form action={action} className="flex items-center gap-2">
      <input type="hidden" name="sku" value={sku} />
      <label htmlFor={id} className="sr-only">
        Low-stock threshold for {sku}
      </label>
      <input
        id={id}
        name="threshold"
        type="number"
        min={0}
        defaultValue={threshold}
        aria-invalid={state.fieldErrors?.threshold ? true : undefined}
        className="min-h-11 w-20 rounded-md border border-slate-300 px-2"
      />
      <button disabled={pending} className="min-h-11 rounded-md border border-slate-300 px-3 text-sm disabled:opacity-50">
        Save
      </button>
      <span role="status" className={`text-xs ${state.status === 'error' ? 'text-red-700' : 'text-emerald-700'}`}>
        {state.status !== 'idle' ? (state.fieldErrors?.threshold?.[0] ?? state.message) : ''}
      </span>
    </form>
  );
}
