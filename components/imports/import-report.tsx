import { REPORT_SAMPLE, type ImportReport } from '@/lib/contracts/imports';
import { figure, Table } from '@/components/ui/table';

const show = (v: unknown) => (v === undefined || v === null ? '—' : Array.isArray(v) ? v.join(' ') || '—' : String(v));

// What a dry run found (or an apply wrote): counts for the whole file, then the first rows of each outcome.
export function ImportReportView({ report }: { report: ImportReport }) {
  const { counts } = report;
  if (report.fatal) {
    return (
      <p role="alert" className="flex gap-2 rounded-md bg-red-50 px-3 py-2 text-sm text-red-900">
        <span aria-hidden="true">⚠</span>
        <span>The file cannot be imported: {report.fatal} Nothing was written.</span>
      </p>
    );
  }
  const changes = counts.new + counts.changed;
  const headline = report.applied
    ? `Applied: ${counts.new} new, ${counts.changed} changed, ${counts.unchanged} unchanged.`
    : counts.refused
      ? `${counts.refused} row${counts.refused === 1 ? '' : 's'} refused: fix ${counts.refused === 1 ? 'it' : 'them'} and check the file again. Nothing was written.`
      : changes
        ? `Ready to apply: nothing is written until you do.`
        : 'Nothing would change: every row matches what is stored.';
  return (
    <div className="space-y-4">
      <dl aria-label="Import summary" className="flex flex-wrap gap-3 text-sm">
        {(
          [
            ['New', counts.new, 'bg-emerald-50 text-emerald-900'],
            ['Changed', counts.changed, 'bg-amber-50 text-amber-900'],
            ['Unchanged', counts.unchanged, 'bg-slate-100 text-slate-800'],
            ['Refused', counts.refused, 'bg-red-50 text-red-900'],
            ['Ignored', counts.ignored, 'bg-slate-100 text-slate-800'],
          ] as const
        ).map(([label, n, tone]) => (
          <div key={label} data-testid={`count-${label.toLowerCase()}`} className={`rounded-lg px-3 py-2 ${tone}`}>
            <dt className="font-medium">{label}</dt>
            <dd className="text-lg tabular-nums">{n.toLocaleString('en')}</dd>
          </div>
        ))}
      </dl>
      <p className={`text-sm font-medium ${report.applied ? 'text-emerald-800' : counts.refused ? 'text-red-800' : 'text-slate-800'}`}>{headline}</p>
      <p className="text-xs text-slate-500">{report.rows.toLocaleString('en')} rows read. Each list below shows at most the first {REPORT_SAMPLE}.</p>
      {report.refused.length ? (
        <Table caption="Refused rows" columns={[figure('Line'), 'Row', 'Why']}>
          {report.refused.map((r, i) => (
            <tr key={i} className="border-t border-slate-100">
              <td className="px-4 py-2 text-right tabular-nums">{r.line ?? '—'}</td>
              <td className="px-4 py-2 font-mono">{r.key ?? '—'}</td>
              <td className="px-4 py-2">{r.reason}</td>
            </tr>
          ))}
        </Table>
      ) : null}
      {report.changed.length ? (
        <Table caption="Changed rows" columns={[figure('Line'), 'Row', 'Changes']}>
          {report.changed.map((r) => (
            <tr key={r.line} className="border-t border-slate-100">
              <td className="px-4 py-2 text-right tabular-nums">{r.line}</td>
              <td className="px-4 py-2 font-mono">{r.key}</td>
              <td className="px-4 py-2">
                {r.changes.map((c) => (
                  <span key={c.field} className="mr-3 inline-block">
                    {c.field}: {show(c.from)} → {show(c.to)}
                  </span>
                ))}
              </td>
            </tr>
          ))}
        </Table>
      ) : null}
      {report.new.length ? (
        <Table caption="New rows" columns={[figure('Line'), 'Row', 'Values']}>
          {report.new.map((r) => (
            <tr key={r.line} className="border-t border-slate-100">
              <td className="px-4 py-2 text-right tabular-nums">{r.line}</td>
              <td className="px-4 py-2 font-mono">{r.key}</td>
              <td className="px-4 py-2 text-slate-700">
                {Object.entries(r.values)
                  .filter(([, v]) => v !== undefined)
                  .map(([k, v]) => `${k}: ${show(v)}`)
                  .join(' · ')}
              </td>
            </tr>
          ))}
        </Table>
      ) : null}
    </div>
  );
}
