import { ChartFrame, evenCeil, plotArea } from '@/components/ui/chart-frame';
import { fmtDate } from './format';
import type { DayPoint } from '@/lib/contracts/alerts';

// Units picked per day, with the window's average: the velocity the forecast divides by.
export function VelocityChart({ days, velocity, windowDays, warehouse }: { days: DayPoint[]; velocity: number; windowDays: number; warehouse: string }) {
  if (days.length === 0) return <p className="text-sm text-slate-600">No picks in {warehouse} yet.</p>;
  const plot = plotArea(160, evenCeil(Math.max(velocity, ...days.map((d) => d.picked))));
  const slot = (plot.right - plot.left) / days.length;
  const total = days.reduce((s, d) => s + d.picked, 0);
  const summary = `${total} units picked in ${warehouse} over ${days.length} days; ${velocity.toFixed(1)} a day on average over the last ${windowDays} days.`;
  return (
    <ChartFrame
      plot={plot}
      summary={summary}
      from={fmtDate(days[0].day)}
      to={{ label: 'today' }}
      legend={[
        { swatch: 'h-2.5 w-3 bg-slate-400', label: 'Units picked per day' },
        { swatch: 'h-0.5 w-5 bg-brand-600', label: `Average over the ${windowDays}-day window` },
      ]}
    >
      {days.map((d, i) =>
        d.picked > 0 ? (
          <rect key={d.day} x={plot.left + i * slot + slot * 0.15} width={slot * 0.7} y={plot.y(d.picked)} height={plot.y(0) - plot.y(d.picked)} className="fill-slate-400" />
        ) : null,
      )}
      {velocity > 0 ? (
        <>
          <line x1={plot.left + Math.max(days.length - windowDays, 0) * slot} x2={plot.right} y1={plot.y(velocity)} y2={plot.y(velocity)} className="stroke-brand-600" strokeWidth={2} />
          <text x={plot.right} y={plot.y(velocity) - 4} textAnchor="end" className="fill-brand-700 text-[11px]">
            {velocity.toFixed(1)} a day
          </text>
        </>
      ) : null}
    </ChartFrame>
  );
}
