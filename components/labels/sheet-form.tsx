import type { ReactNode } from 'react';
import { SelectField } from '@/components/ui/select-field';
import { Field } from '@/components/ui/field';
import { labelSheets, MAX_COPIES, type LabelSheetId } from '@/lib/contracts/labels';

type Props = {
  action: string;
  sheet: LabelSheetId;
  copies: number;
  skip: number;
  // What the page prints (sku=…, or warehouse and codes), carried along when the sheet changes.
  keep: [string, string][];
  errors?: Record<string, string[]>;
  children?: ReactNode;
};

// The sheet, copies and used labels of a label page, as a GET form: the URL says what to print, so it can be
// bookmarked or linked from other pages.
export function SheetForm({ action, sheet, copies, skip, keep, errors = {}, children }: Props) {
  return (
    <form action={action} aria-label="Label sheet" className="flex flex-wrap items-end gap-3">
      {keep.map(([k, v], i) => (
        <input key={`${k}-${i}`} type="hidden" name={k} value={v} />
      ))}
      <SelectField label="Sheet" name="sheet" defaultValue={sheet} errors={errors.sheet} options={labelSheets.map((s) => ({ value: s.id, label: s.name }))} className="w-80" />
      <Field label="Copies of each" name="copies" type="number" min={1} max={MAX_COPIES} defaultValue={copies} errors={errors.copies} className="w-32" />
      <Field label="Used labels to skip" name="skip" type="number" min={0} max={79} defaultValue={skip} errors={errors.skip} className="w-40" />
      <button className="min-h-11 rounded-md border border-slate-300 bg-white px-4 font-medium hover:bg-slate-50">Update</button>
      {children}
    </form>
  );
}
