import { evenCeil } from './availability-chart';
import { fmtDate } from './format';
import type { DayPoint } from '@/lib/contracts/alerts';

const W = 640;
const H = 160;
const PAD = { l: 40, r: 12, t: 14, b: 26 };

// Units picked per day, with the window's average: the velocity the forecast divides by.
export function VelocityChart({ days, velocity, windowDays, warehouse }: { days: DayPoint[]; velocity: number; windowDays: number; warehouse: string }) {
  if (days.length === 0) return <p className="text-sm text-slate-600">No picks in {warehouse} yet.</p>;
  const max = evenCeil(Math.max(velocity, ...days.map((d) => d.picked)));
  const slot = (W - PAD.l - PAD.r) / days.length;
  const sy = (v: number) => H - PAD.b - (v / max) * (H - PAD.t - PAD.b);
  const total = days.reduce((s, d) => s + d.picked, 0);
  const summary = `${total} units picked in ${warehouse} over ${days.length} days; ${velocity.toFixed(1)} a day on average over the last ${windowDays} days.`;
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
        {days.map((d, i) =>
          d.picked > 0 ? (
            <rect key={d.day} x={PAD.l + i * slot + slot * 0.15} width={slot * 0.7} y={sy(d.picked)} height={sy(0) - sy(d.picked)} className="fill-slate-400" />
          ) : null,
        )}
        {velocity > 0 ? (
          <>
            <line
              x1={PAD.l + Math.max(days.length - windowDays, 0) * slot}
              x2={W - PAD.r}
              y1={sy(velocity)}
              y2={sy(velocity)}
              className="stroke-brand-600"
              strokeWidth={2}
            />
            <text x={W - PAD.r} y={sy(velocity) - 4} textAnchor="end" className="fill-brand-700 text-[11px]">
              {velocity.toFixed(1)} a day
            </text>
          </>
        ) : null}
        <text x={PAD.l} y={H - 8} className="fill-slate-500 text-[11px]">
          {fmtDate(days[0].day)}
        </text>
        <text x={W - PAD.r} y={H - 8} textAnchor="end" className="fill-slate-500 text-[11px]">
          today
        </text>
      </svg>
      <figcaption className="flex flex-wrap gap-4 text-xs text-slate-600">
        <span>
          <span aria-hidden="true" className="mr-1 inline-block h-2.5 w-3 bg-slate-400 align-middle" />
          Units picked per day
        </span>
        <span>
          <span aria-hidden="true" className="mr-1 inline-block h-0.5 w-5 bg-brand-600 align-middle" />
          Average over the {windowDays}-day window
        </span>
      </figcaption>
    </figure>
  );
}
