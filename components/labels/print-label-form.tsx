import { labelSheets, MAX_COPIES } from '@/lib/contracts/labels';

// "Print label" on a product's page: how many and on which sheet, then the printable page opens.
export function PrintLabelForm({ skus }: { skus: string[] }) {
  return (
    <form action="/labels/products" aria-label="Print label" className="flex flex-wrap items-end gap-3">
      {skus.map((s) => (
        <input key={s} type="hidden" name="sku" value={s} />
      ))}
      <div>
        <label htmlFor="label-copies" className="mb-1 block text-sm font-medium text-slate-700">
          Copies
        </label>
        <input id="label-copies" name="copies" type="number" min={1} max={MAX_COPIES} defaultValue={1} className="block min-h-11 w-24 rounded-md border border-slate-300 px-3 py-2" />
      </div>
      <div>
        <label htmlFor="label-sheet" className="mb-1 block text-sm font-medium text-slate-700">
          Sheet
        </label>
        <select id="label-sheet" name="sheet" defaultValue="l7160" className="block min-h-11 rounded-md border border-slate-300 bg-white px-3 py-2">
          {labelSheets.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </div>
      <button className="min-h-11 rounded-md border border-slate-300 bg-white px-4 font-medium hover:bg-slate-50">Print label</button>
    </form>
  );
}
