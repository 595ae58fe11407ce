import Link from 'next/link';
import { getDb } from '@/db/client';
import { Barcode, LabelSheets } from '@/components/labels/label-sheets';
import { PrintButton } from '@/components/labels/print-button';
import { SheetForm } from '@/components/labels/sheet-form';
import { EmptyState } from '@/components/ui/empty-state';
import { binLabelsQuerySchema, MAX_LABELS, sheetById } from '@/lib/contracts/labels';
import { requirePageRole } from '@/server/auth/session';
import { fieldErrorsOf } from '@/server/inventory/kernel/errors';
import { binsForLabels, warehouseChoices } from '@/server/inventory/read/labels';
import { barcodeSvg, binBarcode } from '@/server/labels/barcode';

export const metadata = { title: 'Bin labels · Onhand' };

type Search = Record<string, string | string[] | undefined>;

// Printable bin labels: a Code 128 of "WAREHOUSE:CODE", the code in large type and the warehouse. Other pages link
// here with /labels/bins?warehouse=EAST&codes=A-01-01,A-01-02 (or code=… repeated, all=1 for every bin, ids=12,13
// for location ids), plus sheet, copies and skip. With a warehouse alone it offers that warehouse's bins to tick.
export default async function BinLabelsPage({ searchParams }: { searchParams: Promise<Search> }) {
  await requirePageRole('staff');
  const parsed = binLabelsQuerySchema.safeParse(await searchParams);
  const q = parsed.success ? parsed.data : binLabelsQuerySchema.parse({});
  const errors = parsed.success ? {} : fieldErrorsOf(parsed.error);
  const db = getDb();
  const codes = [...q.codes, ...q.code];
  const ids = q.ids.map(Number);
  const { found, unknown } = parsed.success ? await binsForLabels(db, { warehouse: q.warehouse, codes, ids, all: !!q.all }) : { found: [], unknown: [] };
  const sheet = sheetById(q.sheet);
  const total = found.length * q.copies;
  const labels =
    total > MAX_LABELS
      ? []
      : found.flatMap((b) => {
          const code = binBarcode(b);
          const label = (
            <>
              <Barcode svg={barcodeSvg(code)} label={`Barcode ${code.text}`} />
              <p className="flex items-baseline justify-between gap-2 pt-[1mm] leading-none">
                <span className="truncate font-mono text-[14pt] font-bold">{b.code}</span>
                <span className="truncate text-[8pt]">
                  {b.warehouse} · {b.warehouseName}
                </span>
              </p>
            </>
          );
          return Array.from({ length: q.copies }, () => label);
        });
  const keep: [string, string][] = [
    ...(q.warehouse ? [['warehouse', q.warehouse] as [string, string]] : []),
    ...(codes.length ? [['codes', codes.join(',')] as [string, string]] : []),
    ...(ids.length ? [['ids', ids.join(',')] as [string, string]] : []),
    ...(q.all ? [['all', '1'] as [string, string]] : []),
  ];
  const choosing = parsed.success && !labels.length && !unknown.length && total <= MAX_LABELS;
  return (
    <main className="p-4 print:p-0">
      <div className="mx-auto mb-6 max-w-5xl space-y-3 print:hidden">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h1 className="text-2xl font-semibold tracking-tight">Bin labels</h1>
          <Link href="/stock" className="text-sm text-brand-700 underline">
            Back to stock
          </Link>
        </div>
        <SheetForm action="/labels/bins" sheet={q.sheet} copies={q.copies} skip={q.skip} keep={keep} errors={errors}>
          {labels.length ? <PrintButton /> : null}
        </SheetForm>
        {labels.length ? (
          <p className="text-sm text-slate-600" role="status">
            {labels.length} labels on {Math.ceil((labels.length + q.skip) / (sheet.columns * sheet.rows))} sheet(s). Print at 100 % scale with no margins.
          </p>
        ) : null}
        {unknown.length ? <p className="text-sm text-red-700">No bin matches {unknown.join(', ')}.</p> : null}
        {Object.entries(errors)
          .filter(([k]) => !['sheet', 'copies', 'skip'].includes(k))
          .map(([k, m]) => (
            <p key={k} className="text-sm text-red-700">
              {k}: {m[0]}
            </p>
          ))}
        {total > MAX_LABELS ? <p className="text-sm text-red-700">That is {total} labels; print at most {MAX_LABELS} at a time.</p> : null}
      </div>
      {labels.length ? <LabelSheets sheet={sheet} skip={q.skip} labels={labels} /> : choosing ? <Chooser warehouse={q.warehouse} /> : null}
    </main>
  );
}

// Nothing chosen yet: pick a warehouse, then tick its bins.
async function Chooser({ warehouse }: { warehouse?: string }) {
  const db = getDb();
  if (!warehouse) {
    const list = await warehouseChoices(db);
    return (
      <section aria-labelledby="choose-warehouse" className="mx-auto max-w-5xl space-y-2">
        <h2 id="choose-warehouse" className="text-lg font-medium">
          Choose a warehouse
        </h2>
        {list.length ? (
          <ul className="flex flex-wrap gap-2">
            {list.map((w) => (
              <li key={w.code}>
                <Link href={`/labels/bins?warehouse=${encodeURIComponent(w.code)}`} className="inline-flex min-h-11 items-center rounded-lg border border-slate-300 bg-white px-4 hover:bg-slate-50">
                  {w.code} · {w.name}
                </Link>
              </li>
            ))}
          </ul>
        ) : (
          <EmptyState title="No warehouses yet" />
        )}
      </section>
    );
  }
  const { found } = await binsForLabels(db, { warehouse, all: true });
  if (!found.length) return <EmptyState title={`No bins in ${warehouse}`}>Check the warehouse code, or add bins to it first.</EmptyState>;
  return (
    <form action="/labels/bins" aria-labelledby="choose-bins" className="mx-auto max-w-5xl space-y-3">
      <input type="hidden" name="warehouse" value={found[0].warehouse} />
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="choose-bins" className="text-lg font-medium">
          Bins of {found[0].warehouse}
        </h2>
        <div className="flex gap-3">
          <button className="min-h-11 rounded-md bg-brand-600 px-4 font-medium text-white hover:bg-brand-700">Labels for ticked bins</button>
          <Link href={`/labels/bins?warehouse=${encodeURIComponent(found[0].warehouse)}&all=1`} className="inline-flex min-h-11 items-center rounded-md border border-slate-300 bg-white px-4 hover:bg-slate-50">
            All {found.length} bins
          </Link>
        </div>
      </div>
      <fieldset className="grid grid-cols-2 gap-1 sm:grid-cols-4 lg:grid-cols-6">
        <legend className="sr-only">Bins</legend>
        {found.map((b) => (
          <label key={b.id} className="flex min-h-11 items-center gap-2 rounded-md px-2 hover:bg-white">
            <input type="checkbox" name="code" value={b.code} className="size-5" />
            <span className="font-mono">{b.code}</span>
            <span className="text-xs text-slate-500">{b.kind}</span>
          </label>
        ))}
      </fieldset>
    </form>
  );
}
