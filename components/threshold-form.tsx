'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId } from 'react';
import { setThresholdAction } from '@/app/(shell)/alerts/actions';
import { idle } from '@/lib/contracts/action-state';
import { alertKeys } from '@/lib/alerts-api';
import { useKeptForm } from '@/components/ui/use-kept-form';

// The product's default low-stock threshold, edited in place: it applies in every warehouse without an override.
export function ThresholdForm({ sku, threshold }: { sku: string; threshold: number }) {
  const [state, form, pending] = useKeptForm(setThresholdAction, idle);
  const id = useId();
  const error = state.fieldErrors?.threshold?.[0];
  const client = useQueryClient();
  // A new threshold moves forecast-only rows too, which no alert message reports.
  useEffect(() => {
    if (state.status === 'ok') void client.invalidateQueries({ queryKey: alertKeys.all });
  }, [state, client]);
  return (
    <form {...form} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="sku" value={sku} />
      <label htmlFor={id} className="sr-only">
        Default low-stock threshold for {sku}
      </label>
      <input
        id={id}
        name="threshold"
        type="number"
        inputMode="numeric"
        min={0}
        required
        defaultValue={threshold}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-status`}
        className="min-h-11 w-20 rounded-md border border-slate-300 px-2 tabular-nums"
      />
      <button disabled={pending} className="min-h-11 rounded-md border border-slate-300 px-3 text-sm disabled:opacity-50">
        Save
      </button>
      <span id={`${id}-status`} role="status" className={`text-xs ${state.status === 'error' ? 'text-red-800' : 'text-emerald-800'}`}>
        {state.status !== 'idle' ? `${state.status === 'error' ? '⚠ ' : '✓ '}${error ?? state.message}` : ''}
      </span>
    </form>
  );
}
