import type { ReactNode } from 'react';

// A column's heading; figures (numeric) are right-aligned, heading and cells alike.
export type Column = string | { label: ReactNode; numeric?: boolean };
export const figure = (label: string): Column => ({ label, numeric: true });

type Props = {
  columns: Column[];
  // For screen readers: what the table holds, where no heading around it says so.
  caption?: string;
  // Many columns (the product page): narrower cells.
  compact?: boolean;
  // A table on a card of its own sits on white; one in a page shades its heading row.
  plainHead?: boolean;
  // The rows.
  children: ReactNode;
};

// The shell every table here shares: its heading row from the columns, the rows as given.
export function Table({ columns, caption, compact, plainHead, children }: Props) {
  const pad = compact ? 'px-3' : 'px-4';
  return (
    <table className="w-full text-sm">
      {caption ? <caption className="sr-only">{caption}</caption> : null}
      <thead className={plainHead ? 'text-left text-slate-600' : 'bg-slate-50 text-left text-slate-600'}>
        <tr>
          {columns.map((c, i) => {
            const { label, numeric } = typeof c === 'string' ? { label: c, numeric: false } : c;
            return (
              <th key={i} className={`${pad} py-2 ${numeric ? 'text-right ' : ''}font-medium`}>
                {label}
              </th>
            );
          })}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

// A table on a card under its own heading, as the floor screens list what was done and what is next; `empty`,
// when given, is said instead of the table.
export function TableCard({ id, title, columns, empty, children }: { id: string; title: ReactNode; columns: Column[]; empty?: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
      <h2 id={id} className="px-4 pt-3 text-lg font-semibold">
        {title}
      </h2>
      {empty ? (
        <p className="px-4 py-3 text-sm text-slate-600">{empty}</p>
      ) : (
        <Table columns={columns} plainHead>
          {children}
        </Table>
      )}
    </section>
  );
}

// A product as the floor tables name it: the SKU in monospace, then its name.
export function ProductCell({ sku, name }: { sku: string; name: string }) {
  return (
    <td className="px-4 py-2">
      <span className="font-mono">{sku}</span> · {name}
    </td>
  );
}
