import { fmtCover, fmtDate, fmtVelocity } from './format';
import type { WarehouseDrilldown } from '@/lib/contracts/alerts';

// The forecast for one warehouse as labelled figures; the reasoning is in docs/alerts.md ("The forecast").
export function ForecastFigures({ w, leadTimeDays, windowDays, targetDays }: { w: WarehouseDrilldown; leadTimeDays: number; windowDays: number; targetDays: number }) {
  const f = w.forecast;
  const items: [string, string, string?][] = [
    ['Available', String(w.available), 'sellable bins'],
    ['Threshold', String(w.threshold), w.thresholdOverride === null ? 'product default' : `${w.code} override`],
    ['Pick velocity', fmtVelocity(f.velocity), `${w.picked} picked in ${windowDays} days`],
    ['Days of cover', fmtCover(f.daysOfCover)],
    ['Runs out', f.daysOfCover === 0 ? 'now' : f.stockoutDate ? fmtDate(f.stockoutDate) : '—', f.atRisk ? '◔ within the lead time' : undefined],
    ['Lead time', `${leadTimeDays} days`],
    ['Incoming', w.incoming ? String(w.incoming) : '—', w.incomingDate ? `due ${fmtDate(w.incomingDate)}` : undefined],
    ['Suggested order', String(f.suggestedQty), f.velocity > 0 ? `covers ${leadTimeDays} + ${targetDays} days` : 'reorder quantity (no picks)'],
  ];
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
      {items.map(([label, value, note]) => (
        <div key={label} className="rounded-xl border border-slate-200 bg-white p-3">
          <dt className="text-xs text-slate-500">{label}</dt>
          <dd className="font-mono text-xl font-semibold tabular-nums">{value}</dd>
          {note ? <dd className="text-xs text-slate-600">{note}</dd> : null}
        </div>
      ))}
    </dl>
  );
}
