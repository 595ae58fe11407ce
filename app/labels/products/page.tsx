import Link from 'next/link';
import { getDb } from '@/db/client';
import { Barcode, LabelSheets } from '@/components/labels/label-sheets';
import { PrintButton } from '@/components/labels/print-button';
import { SheetForm } from '@/components/labels/sheet-form';
import { EmptyState } from '@/components/ui/empty-state';
import { MAX_LABELS, productLabelsQuerySchema, sheetById } from '@/lib/contracts/labels';
import { requirePageRole } from '@/server/auth/session';
import { fieldErrorsOf } from '@/server/inventory/kernel/errors';
import { productsForLabels } from '@/server/inventory/read/labels';
import { barcodeSvg, productBarcode } from '@/server/labels/barcode';

export const metadata = { title: 'Product labels · Onhand' };

// Printable product labels: the barcode (the product's first GTIN, else its SKU as Code 128), the SKU and the name,
// `copies` of each, on a label sheet. /labels/products?sku=A&sku=B&copies=2&sheet=l7160&skip=0
export default async function ProductLabelsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePageRole('staff');
  const parsed = productLabelsQuerySchema.safeParse(await searchParams);
  const q = parsed.success ? parsed.data : productLabelsQuerySchema.parse({});
  const errors = parsed.success ? {} : fieldErrorsOf(parsed.error);
  const { found, unknown } = parsed.success ? await productsForLabels(getDb(), q.sku) : { found: [], unknown: [] };
  const total = found.length * q.copies;
  const sheet = sheetById(q.sheet);
  const labels =
    total > MAX_LABELS
      ? []
      : found.flatMap((p) => {
          const code = productBarcode(p);
          const label = (
            <>
              <Barcode svg={barcodeSvg(code)} label={`Barcode ${code.text}`} />
              <p className="truncate pt-[1mm] font-mono text-[9pt] leading-tight font-semibold">{p.sku}</p>
              <p className="line-clamp-2 text-[8pt] leading-tight">{p.name}</p>
            </>
          );
          return Array.from({ length: q.copies }, () => label);
        });
  return (
    <main className="p-4 print:p-0">
      <div className="mx-auto mb-6 max-w-5xl space-y-3 print:hidden">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h1 className="text-2xl font-semibold tracking-tight">Product labels</h1>
          <Link href="/products" className="text-sm text-brand-700 underline">
            Back to products
          </Link>
        </div>
        <SheetForm action="/labels/products" sheet={q.sheet} copies={q.copies} skip={q.skip} keep={q.sku.map((s) => ['sku', s])} errors={errors}>
          {labels.length ? <PrintButton /> : null}
        </SheetForm>
        <p className="text-sm text-slate-600" role="status">
          {labels.length ? `${labels.length} labels on ${Math.ceil((labels.length + q.skip) / (sheet.columns * sheet.rows))} sheet(s). Print at 100 % scale with no margins.` : null}
        </p>
        {unknown.length ? <p className="text-sm text-red-700">No product has the SKU {unknown.join(', ')}.</p> : null}
        {errors.sku ? <p className="text-sm text-red-700">{errors.sku[0]}</p> : null}
        {total > MAX_LABELS ? <p className="text-sm text-red-700">That is {total} labels; print at most {MAX_LABELS} at a time.</p> : null}
      </div>
      {labels.length ? (
        <LabelSheets sheet={sheet} skip={q.skip} labels={labels} />
      ) : (
        <div className="mx-auto max-w-5xl print:hidden">
          <EmptyState title="No labels to print">
            Choose products on the{' '}
            <Link href="/products" className="text-brand-700 underline">
              products list
            </Link>{' '}
            (tick them, then Print labels), or use Print label on a product&apos;s page.
          </EmptyState>
        </div>
      )}
    </main>
  );
}
