import { SelectField } from '@/components/ui/select-field';
import type { ReviewQuery } from '@/lib/contracts/alerts';

const statusOptions = [
  { value: 'active', label: 'All unresolved and at risk' },
  { value: 'attention', label: 'Needs attention' },
  { value: 'acknowledged', label: 'Acknowledged' },
  { value: 'snoozed', label: 'Snoozed' },
  { value: 'at_risk', label: 'At risk (no alert yet)' },
  { value: 'resolved', label: 'Resolved (last 30 days)' },
];

const urgencyOptions = [
  { value: 'out', label: 'Out of stock' },
  { value: 'lead_time', label: 'Runs out within lead time' },
  { value: 'low', label: 'Low' },
];

// A plain GET form: filters live in the URL, so a view can be bookmarked, shared and exported as it is. Applying a
// filter starts at the first page (the form carries no cursor).
export function AlertFilters({ query, warehouses, windows }: { query: ReviewQuery; warehouses: { code: string; name: string }[]; windows: readonly number[] }) {
  const windowOptions = [...new Set([...windows, query.windowDays ?? 28])].sort((a, b) => a - b).map((d) => ({ value: String(d), label: `${d} days` }));
  return (
    <form method="get" role="search" aria-label="Filter alerts" className="flex flex-wrap items-end gap-3">
      <div>
        <label htmlFor="f-q" className="mb-1 block text-sm font-medium text-slate-700">
          SKU or name
        </label>
        <input
          id="f-q"
          name="q"
          type="search"
          defaultValue={query.q ?? ''}
          maxLength={100}
          placeholder="Search"
          className="block min-h-11 w-44 rounded-md border border-slate-300 bg-white px-3 py-2 text-base"
        />
      </div>
      <SelectField
        label="Warehouse"
        name="warehouse"
        defaultValue={query.warehouse ?? ''}
        placeholder="All warehouses"
        options={warehouses.map((w) => ({ value: w.code, label: `${w.code} · ${w.name}` }))}
      />
      <SelectField label="Status" name="status" defaultValue={query.status ?? 'active'} options={statusOptions} />
      <SelectField label="Urgency" name="urgency" defaultValue={query.urgency ?? ''} placeholder="Any urgency" options={urgencyOptions} />
      <SelectField label="Velocity window" name="window" defaultValue={String(query.windowDays)} options={windowOptions} />
      <div>
        <label htmlFor="f-target" className="mb-1 block text-sm font-medium text-slate-700">
          Target cover (days)
        </label>
        <input
          id="f-target"
          name="target"
          type="number"
          min={1}
          max={365}
          defaultValue={query.targetDays}
          className="block min-h-11 w-24 rounded-md border border-slate-300 bg-white px-3 py-2 text-base"
        />
      </div>
      <button className="min-h-11 rounded-md bg-slate-800 px-4 font-medium text-white">Apply</button>
    </form>
  );
}
