import Link from 'next/link';
import { Field } from '@/components/ui/field';
import { SelectField } from '@/components/ui/select-field';
import { movementKinds, type ActivityView } from '@/lib/contracts/activity';

type Props = { view: ActivityView; values: Record<string, string | undefined>; errors: Record<string, string[]> };

// A plain GET form: the filters land in the URL (a view can be shared), Enter in any field searches, and the
// browser's own controls are the keyboard support.
export function ActivityFilters({ view, values, errors }: Props) {
  const v = (k: string) => values[k] ?? '';
  return (
    <form role="search" aria-label="Filter activity" action="/activity" className="flex flex-wrap items-end gap-3">
      {view === 'changes' ? <input type="hidden" name="view" value="changes" /> : null}
      <Field label="From" name="from" type="date" defaultValue={v('from')} errors={errors.from} className="w-40" />
      <Field label="To" name="to" type="date" defaultValue={v('to')} errors={errors.to} className="w-40" />
      <Field label="Who" name="actor" defaultValue={v('actor')} errors={errors.actor} placeholder="email" autoComplete="off" className="w-56" />
      {view === 'stock' ? (
        <>
          <SelectField label="Kind" name="kind" defaultValue={v('kind')} errors={errors.kind} placeholder="Any kind" options={movementKinds.map((k) => ({ value: k, label: k.replace('_', ' ') }))} className="w-44" />
          <Field label="SKU or barcode" name="sku" defaultValue={v('sku')} errors={errors.sku} autoComplete="off" autoFocus className="w-48" />
          <Field label="Reference" name="reference" defaultValue={v('reference')} errors={errors.reference} placeholder="PO, order or command id" autoComplete="off" className="w-56" />
        </>
      ) : (
        <>
          <Field label="Record type" name="entity" defaultValue={v('entity')} errors={errors.entity} placeholder="product" list="activity-entities" autoComplete="off" className="w-40" />
          <datalist id="activity-entities">
            <option value="product" />
            <option value="warehouse" />
            <option value="location" />
          </datalist>
          <Field label="Key" name="key" defaultValue={v('key')} errors={errors.key} placeholder="SKU or code" autoComplete="off" autoFocus className="w-48" />
          <Field label="Action" name="action" defaultValue={v('action')} errors={errors.action} placeholder="create, update, …" autoComplete="off" className="w-40" />
        </>
      )}
      <button className="min-h-11 rounded-md bg-brand-600 px-4 font-medium text-white hover:bg-brand-700">Search</button>
      <Link href={view === 'changes' ? '/activity?view=changes' : '/activity'} className="flex min-h-11 items-center px-2 text-sm text-slate-600 underline">
        Clear filters
      </Link>
    </form>
  );
}
