import type { ReactNode } from 'react';
import { labelsPerSheet, type LabelSheet } from '@/lib/contracts/labels';

const mm = (n: number) => `${n}mm`;

// Labels laid on sheets exactly as the sheet's template has them: each page is the paper's size, the labels a grid
// of fixed cells from its margins. @page sets the paper and no printer margin, so Print or Save as PDF at 100 %
// puts every label on its die-cut. `skip` leaves the first cells of the first sheet blank (a sheet already in use).
export function LabelSheets({ sheet, skip, labels }: { sheet: LabelSheet; skip: number; labels: ReactNode[] }) {
  const per = labelsPerSheet(sheet);
  const cells: (ReactNode | null)[] = [...Array<null>(skip % per).fill(null), ...labels];
  const pages = Array.from({ length: Math.ceil(cells.length / per) }, (_, i) => cells.slice(i * per, (i + 1) * per));
  return (
    <>
      <style>{`@page { size: ${mm(sheet.page.width)} ${mm(sheet.page.height)}; margin: 0; }
@media print { html, body { background: #fff; } }`}</style>
      {pages.map((cellsOfPage, i) => (
        <section
          key={i}
          aria-label={`Sheet ${i + 1} of ${pages.length}`}
          data-testid="label-sheet"
          className="mx-auto mb-8 box-border grid overflow-hidden bg-white shadow-lg ring-1 ring-slate-200 print:m-0 print:shadow-none print:ring-0"
          style={{
            width: mm(sheet.page.width),
            height: mm(sheet.page.height),
            paddingTop: mm(sheet.margin.top),
            paddingLeft: mm(sheet.margin.left),
            gridTemplateColumns: `repeat(${sheet.columns}, ${mm(sheet.label.width)})`,
            gridTemplateRows: `repeat(${sheet.rows}, ${mm(sheet.label.height)})`,
            columnGap: mm(sheet.gap.column),
            rowGap: mm(sheet.gap.row),
            // A new sheet of paper after each but the last (which would print a blank page).
            breakAfter: i < pages.length - 1 ? 'page' : 'auto',
          }}
        >
          {cellsOfPage.map((cell, j) =>
            cell === null ? (
              <div key={j} data-testid="label-skipped" />
            ) : (
              <div key={j} data-testid="label" className="box-border flex flex-col overflow-hidden rounded-sm px-[3mm] py-[2mm] ring-1 ring-slate-100 print:ring-0">
                {cell}
              </div>
            ),
          )}
        </section>
      ))}
    </>
  );
}

// bwip-js's SVG, sized by its box: generated on the server from a validated code, it carries no script or text of ours.
export function Barcode({ svg, label }: { svg: string; label: string }) {
  return <div role="img" aria-label={label} className="min-h-0 flex-1 [&>svg]:h-full [&>svg]:w-full" dangerouslySetInnerHTML={{ __html: svg }} />;
}
