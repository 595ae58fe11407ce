import { fmtDate } from './format';
import type { DayPoint, Forecast } from '@/lib/contracts/alerts';

const W = 640;
const H = 220;
const PAD = { l: 40, r: 12, t: 14, b: 26 };
const MAX_AHEAD_DAYS = 28;

// An even top, at least 2, so the half-way tick is a whole number too.
export const evenCeil = (v: number) => Math.max(2, 2 * Math.ceil(v / 2));

// Available per day against the threshold, and where the current pick rate takes it: the picture behind an alert.
export function AvailabilityChart({ days, threshold, forecast, warehouse }: { days: DayPoint[]; threshold: number; forecast: Forecast; warehouse: string }) {
  if (days.length === 0) return <p className="text-sm text-slate-600">No movements in {warehouse} yet.</p>;
  const last = days[days.length - 1];
  const ahead = forecast.velocity > 0 ? Math.min(Math.ceil(forecast.daysOfCover ?? 0), MAX_AHEAD_DAYS) : 0;
  const span = days.length - 1 + ahead;
  const max = evenCeil(Math.max(threshold, ...days.map((d) => Math.max(d.available, d.onHand))));
  const sx = (i: number) => PAD.l + (i / Math.max(span, 1)) * (W - PAD.l - PAD.r);
  const sy = (v: number) => H - PAD.b - (Math.max(v, 0) / max) * (H - PAD.t - PAD.b);
  const step = (key: 'available' | 'onHand') => days.map((d, i) => (i === 0 ? `M${sx(0)},${sy(d[key])}` : `H${sx(i)}V${sy(d[key])}`)).join('');
  const today = days.length - 1;
  const projected = ahead > 0 ? `M${sx(today)},${sy(last.available)}L${sx(today + ahead)},${sy(last.available - forecast.velocity * ahead)}` : '';
  const runsOut = forecast.stockoutDate ? ` At ${forecast.velocity.toFixed(1)} a day it runs out on ${fmtDate(forecast.stockoutDate)}.` : '';
  const summary = `Available in ${warehouse} went from ${days[0].available} on ${fmtDate(days[0].day)} to ${last.available} today; the threshold is ${threshold}.${runsOut}`;
  return (
    <figure className="space-y-2">
      <svg viewBox={`0 0 ${W} ${H}`} className="h-auto w-full" role="img" aria-label={summary}>
        <title>{summary}</title>
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={PAD.l} x2={W - PAD.r} y1={sy(max * f)} y2={sy(max * f)} className="stroke-slate-200" strokeWidth={1} />
            <text x={PAD.l - 6} y={sy(max * f) + 4} textAnchor="end" className="fill-slate-500 text-[11px]">
              {Math.round(max * f)}
            </text>
          </g>
        ))}
        <line x1={PAD.l} x2={W - PAD.r} y1={sy(threshold)} y2={sy(threshold)} className="stroke-red-500" strokeWidth={1.5} strokeDasharray="2 3" />
        <text x={W - PAD.r} y={sy(threshold) - 4} textAnchor="end" className="fill-red-700 text-[11px]">
          threshold {threshold}
        </text>
        <path d={step('onHand')} fill="none" className="stroke-slate-400" strokeWidth={1.5} strokeDasharray="6 3" />
        <path d={step('available')} fill="none" className="stroke-brand-600" strokeWidth={2.5} />
        {projected ? <path d={projected} fill="none" className="stroke-brand-600" strokeWidth={2} strokeDasharray="1 4" strokeLinecap="round" /> : null}
        <line x1={sx(today)} x2={sx(today)} y1={PAD.t} y2={H - PAD.b} className="stroke-slate-300" strokeWidth={1} />
        <text x={PAD.l} y={H - 8} className="fill-slate-500 text-[11px]">
          {fmtDate(days[0].day)}
        </text>
        <text x={sx(today)} y={H - 8} textAnchor={ahead ? 'middle' : 'end'} className="fill-slate-500 text-[11px]">
          today
        </text>
      </svg>
      <figcaption className="flex flex-wrap gap-4 text-xs text-slate-600">
        <span>
          <span aria-hidden="true" className="mr-1 inline-block h-0.5 w-5 bg-brand-600 align-middle" />
          Available (sellable bins)
        </span>
        <span>
          <span aria-hidden="true" className="mr-1 inline-block w-5 border-t-2 border-dashed border-slate-400 align-middle" />
          On hand (all bins)
        </span>
        <span>
          <span aria-hidden="true" className="mr-1 inline-block w-5 border-t-2 border-dotted border-red-500 align-middle" />
          Threshold
        </span>
        {projected ? (
          <span>
            <span aria-hidden="true" className="mr-1 inline-block w-5 border-t-2 border-dotted border-brand-600 align-middle" />
            Projected at the current pick rate
          </span>
        ) : null}
      </figcaption>
    </figure>
  );
}
