import type { StockListParams } from '@/lib/contracts/stock';
import type { WarehouseWithLocations } from '@/lib/contracts/stock';

type Props = { params: StockListParams; warehouses: WarehouseWithLocations[]; onChange: (p: Partial<StockListParams>) => void };

const select = 'min-h-11 rounded-md border border-slate-300 bg-white px-2 text-base';

export function StockFilters({ params, warehouses, onChange }: Props) {
  const locations = warehouses.find((w) => w.code === params.warehouse)?.locations ?? [];
  return (
    <div className="flex flex-wrap gap-2" role="group" aria-label="Filters">
      <label className="sr-only" htmlFor="filter-warehouse">
        Warehouse
      </label>
      <select id="filter-warehouse" className={select} value={params.warehouse ?? ''} onChange={(e) => onChange({ warehouse: e.target.value || undefined, location: undefined })}>
        <option value="">All warehouses</option>
        {warehouses.map((w) => (
          <option key={w.code} value={w.code}>
            {w.code} · {w.name}
          </option>
        ))}
      </select>
      <label className="sr-only" htmlFor="filter-location">
        Bin
      </label>
      <select id="filter-location" className={select} value={params.location ?? ''} disabled={!params.warehouse} onChange={(e) => onChange({ location: e.target.value || undefined })}>
        <option value="">{params.warehouse ? 'All bins' : 'Choose a warehouse for bins'}</option>
        {locations.map((l) => (
          <option key={l.code} value={l.code}>
            {l.code} ({l.kind})
          </option>
        ))}
      </select>
      <label className="sr-only" htmlFor="filter-status">
        Status
      </label>
      <select id="filter-status" className={select} value={params.status ?? ''} onChange={(e) => onChange({ status: (e.target.value || undefined) as StockListParams['status'] })}>
        <option value="">All statuses</option>
        <option value="in_stock">In stock</option>
        <option value="low_stock">Low</option>
        <option value="out_of_stock">Out</option>
      </select>
    </div>
  );
}
