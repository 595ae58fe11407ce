'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { createBinAction, createBinsByPatternAction } from '@/app/(shell)/warehouses/actions';
import { Field } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { SelectField } from '@/components/ui/select-field';
import { SubmitButton } from '@/components/ui/submit-button';
import { useKeptForm } from '@/components/ui/use-kept-form';
import { MAX_PATTERN_BINS } from '@/lib/bin-pattern';
import { idle, type ActionState } from '@/lib/contracts/action-state';
import { locationKinds, type Bin, type BinPatternPreview } from '@/lib/contracts/locations';
import { getJson } from '@/lib/dashboard-api';
import { useAnswered } from './use-answered';

const kindOptions = locationKinds.map((k) => ({ value: k, label: k }));

export function NewBinForm({ warehouse }: { warehouse: string }) {
  const [state, form, pending] = useKeptForm(createBinAction, idle as ActionState<Bin>);
  // Ready for the next bin: the code field cleared and focused.
  const key = useAnswered(state, () => {
    const code = document.getElementById('new-bin-code') as HTMLInputElement | null;
    if (code) code.value = '';
    code?.focus();
  });
  const errors = state.fieldErrors ?? {};
  return (
    <form {...form} aria-label="New bin" className="flex max-w-4xl flex-wrap items-start gap-3">
      <input type="hidden" name="idempotencyKey" value={key} />
      <input type="hidden" name="warehouse" value={warehouse} />
      <input type="hidden" name="sellableShown" value="1" />
      <Field label="Bin code" name="code" id="new-bin-code" required autoComplete="off" errors={errors.code ?? errors.warehouse} className="w-40" />
      <SelectField label="Kind" name="kind" id="new-bin-kind" options={kindOptions} defaultValue="storage" errors={errors.kind} className="w-40" />
      <label className="mt-6 flex min-h-11 items-center gap-2 text-sm">
        <input type="checkbox" name="sellable" defaultChecked className="size-5" />
        Sellable
      </label>
      <Field label="Pick order" name="pickOrder" id="new-bin-pick-order" type="number" inputMode="numeric" min={0} errors={errors.pickOrder} hint="Blank: the end of the path." className="w-32" />
      <SubmitButton pending={pending} className="mt-6">
        Create bin
      </SubmitButton>
      <div className="basis-full">
        <FormMessage state={state} />
      </div>
    </form>
  );
}

type PatternValues = { s1: string; s2: string; s3: string; s4: string; separator: string };
const SEGMENTS = [
  ['s1', 'Aisles', 'A-C'],
  ['s2', 'Racks', '01-10'],
  ['s3', 'Levels', '1-4'],
  ['s4', 'Positions (optional)', ''],
] as const;
const positionOf: Record<string, keyof PatternValues> = { 'segments.0': 's1', 'segments.1': 's2', 'segments.2': 's3', 'segments.3': 's4' };

// Bins by pattern: the names and any clashes with existing codes show as you type (nothing is written); the create
// refuses the whole batch if a code exists.
export function BinPatternForm({ warehouse }: { warehouse: string }) {
  const [state, form, pending] = useKeptForm(createBinsByPatternAction, idle as ActionState<{ warehouse: string; created: string[] }>);
  const [values, setValues] = useState<PatternValues>({ s1: '', s2: '', s3: '', s4: '', separator: '-' });
  // The preview follows the fields a moment after typing stops.
  const [asked, setAsked] = useState(values);
  useEffect(() => {
    const t = setTimeout(() => setAsked(values), 200);
    return () => clearTimeout(t);
  }, [values]);
  const anything = Boolean(asked.s1.trim());
  const preview = useQuery({
    queryKey: ['bin-pattern', warehouse, asked],
    queryFn: ({ signal }) => getJson<BinPatternPreview>('places/pattern', { warehouse, ...asked }, signal),
    enabled: anything,
    placeholderData: keepPreviousData,
  });
  const key = useAnswered(state, () => void preview.refetch());
  const p = anything ? preview.data : undefined;
  const previewErrors: Record<string, string[]> = p && 'fields' in p ? Object.fromEntries(Object.entries(p.fields).map(([k, v]) => [positionOf[k] ?? k, v])) : {};
  const errors = { ...previewErrors, ...(state.status === 'error' ? state.fieldErrors : {}) };
  const set = (name: keyof PatternValues) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [name]: e.target.value }));

  return (
    <form {...form} aria-label="Create bins by pattern" className="max-w-4xl space-y-3">
      <input type="hidden" name="idempotencyKey" value={key} />
      <input type="hidden" name="warehouse" value={warehouse} />
      <p className="text-sm text-slate-600">
        Each segment is a range (A-C, 01-10, 1-4) or a list (A,B,D); every combination becomes a bin, in pick-path order. At most {MAX_PATTERN_BINS.toLocaleString('en')} at once.
      </p>
      <div className="flex flex-wrap items-start gap-3">
        {SEGMENTS.map(([name, label, placeholder]) => (
          <Field key={name} label={label} name={name} id={`pattern-${name}`} value={values[name]} onChange={set(name)} placeholder={placeholder} autoComplete="off" errors={errors[name]} className="w-36" />
        ))}
        <SelectField
          label="Separator"
          name="separator"
          id="pattern-separator"
          value={values.separator}
          onChange={set('separator')}
          options={[
            { value: '-', label: '- (A-01-1)' },
            { value: '.', label: '. (A.01.1)' },
            { value: '/', label: '/ (A/01/1)' },
            { value: '_', label: '_ (A_01_1)' },
            { value: '', label: 'none (A011)' },
          ]}
          className="w-40"
        />
        <SelectField label="Kind" name="kind" id="pattern-kind" options={kindOptions} defaultValue="storage" errors={errors.kind} className="w-36" />
      </div>
      {errors.segments ? <p className="text-sm text-red-700">⚠ {errors.segments[0]}</p> : null}
      <PatternPreview preview={p} />
      <SubmitButton pending={pending} disabled={!p || !('codes' in p) || p.clashes.length > 0}>
        {p && 'codes' in p ? `Create ${p.codes.length} bin${p.codes.length === 1 ? '' : 's'}` : 'Create bins'}
      </SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}

function PatternPreview({ preview }: { preview: BinPatternPreview | undefined }) {
  if (!preview || !('codes' in preview)) return null;
  const { codes, clashes } = preview;
  const shown = codes.length > 12 ? [...codes.slice(0, 6), '…', ...codes.slice(-3)] : codes;
  return (
    <section aria-label="Preview" aria-live="polite" className="rounded-lg border border-slate-200 bg-white p-3 text-sm">
      <p>
        <strong data-testid="pattern-count">{codes.length}</strong> bin{codes.length === 1 ? '' : 's'}: <span className="font-mono">{shown.join(' ')}</span>
      </p>
      {clashes.length ? (
        <p className="mt-1 text-red-700" data-testid="pattern-clashes">
          ⚠ Already exist{clashes.length === 1 ? 's' : ''}: <span className="font-mono">{clashes.slice(0, 20).join(' ')}</span>
          {clashes.length > 20 ? ` and ${clashes.length - 20} more` : ''}. Change the pattern: nothing will be created while any code exists.
        </p>
      ) : (
        <p className="mt-1 text-emerald-800">✓ No clash with existing bins.</p>
      )}
    </section>
  );
}
