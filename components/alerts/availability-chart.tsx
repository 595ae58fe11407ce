import { ChartFrame, evenCeil, plotArea } from '@/components/ui/chart-frame';
import { fmtDate } from './format';
import type { DayPoint, Forecast } from '@/lib/contracts/alerts';

const MAX_AHEAD_DAYS = 28;

// Available per day against the threshold, and where the current pick rate takes it: the picture behind an alert.
export function AvailabilityChart({ days, threshold, forecast, warehouse }: { days: DayPoint[]; threshold: number; forecast: Forecast; warehouse: string }) {
  if (days.length === 0) return <p className="text-sm text-slate-600">No movements in {warehouse} yet.</p>;
  const last = days[days.length - 1];
  const ahead = forecast.velocity > 0 ? Math.min(Math.ceil(forecast.daysOfCover ?? 0), MAX_AHEAD_DAYS) : 0;
  const span = days.length - 1 + ahead;
  const plot = plotArea(220, evenCeil(Math.max(threshold, ...days.map((d) => Math.max(d.available, d.onHand)))));
  const sx = (i: number) => plot.left + (i / Math.max(span, 1)) * (plot.right - plot.left);
  // Below zero draws at zero: the projection runs past the stock-out.
  const sy = (v: number) => plot.y(Math.max(v, 0));
  const step = (key: 'available' | 'onHand') => days.map((d, i) => (i === 0 ? `M${sx(0)},${sy(d[key])}` : `H${sx(i)}V${sy(d[key])}`)).join('');
  const today = days.length - 1;
  const projected = ahead > 0 ? `M${sx(today)},${sy(last.available)}L${sx(today + ahead)},${sy(last.available - forecast.velocity * ahead)}` : '';
  const runsOut = forecast.stockoutDate ? ` At ${forecast.velocity.toFixed(1)} a day it runs out on ${fmtDate(forecast.stockoutDate)}.` : '';
  const summary = `Available in ${warehouse} went from ${days[0].available} on ${fmtDate(days[0].day)} to ${last.available} today; the threshold is ${threshold}.${runsOut}`;
  return (
    <ChartFrame
      plot={plot}
      summary={summary}
      from={fmtDate(days[0].day)}
      to={{ label: 'today', x: sx(today), anchor: ahead ? 'middle' : 'end' }}
      legend={[
        { swatch: 'h-0.5 w-5 bg-brand-600', label: 'Available (sellable bins)' },
        { swatch: 'w-5 border-t-2 border-dashed border-slate-400', label: 'On hand (all bins)' },
        { swatch: 'w-5 border-t-2 border-dotted border-red-500', label: 'Threshold' },
        Boolean(projected) && { swatch: 'w-5 border-t-2 border-dotted border-brand-600', label: 'Projected at the current pick rate' },
      ]}
    >
      <line x1={plot.left} x2={plot.right} y1={sy(threshold)} y2={sy(threshold)} className="stroke-red-500" strokeWidth={1.5} strokeDasharray="2 3" />
      <text x={plot.right} y={sy(threshold) - 4} textAnchor="end" className="fill-red-700 text-[11px]">
        threshold {threshold}
      </text>
      <path d={step('onHand')} fill="none" className="stroke-slate-400" strokeWidth={1.5} strokeDasharray="6 3" />
      <path d={step('available')} fill="none" className="stroke-brand-600" strokeWidth={2.5} />
      {projected ? <path d={projected} fill="none" className="stroke-brand-600" strokeWidth={2} strokeDasharray="1 4" strokeLinecap="round" /> : null}
      <line x1={sx(today)} x2={sx(today)} y1={plot.top} y2={plot.bottom} className="stroke-slate-300" strokeWidth={1} />
    </ChartFrame>
  );
}
