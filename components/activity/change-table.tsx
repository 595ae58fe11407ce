import { fieldChanges, type ChangeRow } from '@/lib/contracts/activity';
import { Table } from '@/components/ui/table';
import { actorName, when } from './format';

const show = (v: unknown) => (v === undefined || v === null ? '—' : Array.isArray(v) ? v.join(', ') || '—' : typeof v === 'string' ? v : JSON.stringify(v));

// Master-data changes, each as the fields it touched: before → after, a line a field. `withRecord` adds which
// record it was (the Activity page lists many; a product's own page lists one).
export function ChangeTable({ rows, withRecord = false, caption }: { rows: ChangeRow[]; withRecord?: boolean; caption: string }) {
  return (
    <Table caption={caption} columns={['When', 'Who', ...(withRecord ? ['Record'] : []), 'What', 'Changes']}>
      {rows.map((c) => {
        const fields = fieldChanges(c.before, c.after);
        return (
          <tr key={c.id} className="border-t border-slate-100 align-top">
            <td className="px-4 py-2 whitespace-nowrap">{when(c.at)}</td>
            <td className="px-4 py-2">{actorName(c.actor)}</td>
            {withRecord ? (
              <td className="px-4 py-2">
                {c.entity} <span className="font-mono whitespace-nowrap">{c.key}</span>
              </td>
            ) : null}
            <td className="px-4 py-2">{c.action}</td>
            <td className="px-4 py-2">
              {fields.length ? (
                <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-xs">
                  {fields.map((f) => (
                    <div key={f.field} className="contents">
                      <dt className="font-medium text-slate-700">{f.field}</dt>
                      <dd className="font-mono">
                        <del className="text-red-700 no-underline">{show(f.before)}</del> → <ins className="text-green-800 no-underline">{show(f.after)}</ins>
                      </dd>
                    </div>
                  ))}
                </dl>
              ) : (
                <span className="text-xs text-slate-500">no field changed</span>
              )}
            </td>
          </tr>
        );
      })}
    </Table>
  );
}
