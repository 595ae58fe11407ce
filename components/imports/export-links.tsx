// The CSV exports: plain GET forms, so the browser downloads the streamed file itself.
const input = 'block min-h-11 rounded-md border border-slate-300 px-3 py-2';
const button = 'min-h-11 rounded-lg border border-slate-300 bg-white px-4 py-2 font-medium hover:bg-slate-50';

export function ExportLinks() {
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const monthAgo = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
  return (
    <section aria-labelledby="export-heading" className="space-y-4 rounded-xl border border-slate-200 bg-white p-5">
      <h2 id="export-heading" className="text-lg font-semibold">
        Export
      </h2>
      <div className="flex flex-wrap items-end gap-6">
        <form action="/api/dashboard/exports/stock" method="get" className="flex flex-wrap items-end gap-2">
          <div>
            <label htmlFor="export-as-of" className="mb-1 block text-sm font-medium text-slate-700">
              Stock per bin as of
            </label>
            <input id="export-as-of" name="asOf" type="datetime-local" className={input} />
          </div>
          <button className={button}>Export stock</button>
        </form>
        <form action="/api/dashboard/exports/ledger" method="get" className="flex flex-wrap items-end gap-2">
          <div>
            <label htmlFor="export-from" className="mb-1 block text-sm font-medium text-slate-700">
              Ledger from
            </label>
            <input id="export-from" name="from" type="date" defaultValue={monthAgo} required className={input} />
          </div>
          <div>
            <label htmlFor="export-to" className="mb-1 block text-sm font-medium text-slate-700">
              to (not included)
            </label>
            <input id="export-to" name="to" type="date" defaultValue={tomorrow} required className={input} />
          </div>
          <button className={button}>Export ledger</button>
        </form>
        <a href="/api/dashboard/exports/products" className={`${button} inline-flex items-center`}>
          Export products
        </a>
      </div>
      <p className="text-sm text-slate-600">Stock as of a moment is summed from the ledger. The product export has the columns a product import reads.</p>
    </section>
  );
}
