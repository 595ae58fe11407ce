'use client';

import { bulkThresholdsAction } from '@/app/(shell)/alerts/actions';
import { FormMessage } from '@/components/ui/form-message';
import { SelectField } from '@/components/ui/select-field';
import { SubmitButton } from '@/components/ui/submit-button';
import { idle } from '@/lib/contracts/action-state';
import { useKeptForm } from '@/components/ui/use-kept-form';

// Many thresholds at once, pasted from a spreadsheet or edited in place; all saved or none.
export function BulkThresholdForm({ warehouses, warehouse, lines }: { warehouses: { code: string; name: string }[]; warehouse?: string; lines: string }) {
  const [state, form, pending] = useKeptForm(bulkThresholdsAction, idle);
  const errors = state.fieldErrors?.lines;
  return (
    <form {...form} className="space-y-4">
      <SelectField
        label="Apply to"
        name="warehouse"
        defaultValue={warehouse ?? ''}
        placeholder="Every warehouse (the products' defaults)"
        options={warehouses.map((w) => ({ value: w.code, label: `${w.code} only (an override there)` }))}
        className="max-w-md"
      />
      <div>
        <label htmlFor="bulk-lines" className="mb-1 block text-sm font-medium text-slate-700">
          One product per line: SKU, threshold, reorder quantity (optional)
        </label>
        <textarea
          id="bulk-lines"
          name="lines"
          rows={14}
          defaultValue={lines}
          spellCheck={false}
          aria-invalid={errors?.length ? true : undefined}
          aria-describedby="bulk-hint bulk-errors"
          className="block w-full max-w-2xl rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-sm aria-invalid:border-red-500"
        />
        <p id="bulk-hint" className="mt-1 text-xs text-slate-500">
          Commas, semicolons or tabs separate the cells, so cells copied from a spreadsheet paste as they are. Lines starting with # are skipped.
        </p>
        <ul id="bulk-errors" className="mt-1 list-disc pl-5 text-sm text-red-800">
          {errors?.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      </div>
      <SubmitButton pending={pending}>Save all</SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}
