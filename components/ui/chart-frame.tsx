import type { ReactNode } from 'react';

// What every chart here shares: an SVG 640 wide with a figure's summary as its accessible name, gridlines at zero,
// half and the top with their values, a date under each end of the x axis, and a legend of swatches. A chart draws
// its own marks inside it with the plot's scale.
const W = 640;

// The drawing area inside the frame's margins, and the scale from a figure (0 to max) to its height in it.
export type Plot = { width: number; height: number; max: number; left: number; right: number; top: number; bottom: number; y: (v: number) => number };

export function plotArea(height: number, max: number, pad = { t: 14, b: 26 }): Plot {
  const top = pad.t;
  const bottom = height - pad.b;
  return { width: W, height, max, left: 40, right: W - 12, top, bottom, y: (v) => bottom - (v / max) * (bottom - top) };
}

// An even top, at least 2, so the half-way tick is a whole number too.
export const evenCeil = (v: number) => Math.max(2, 2 * Math.ceil(v / 2));

type Props = {
  plot: Plot;
  summary: string;
  // The x axis's ends: the first day on the left; on the right a label at x (the plot's right edge unless given).
  from: string;
  to: { label: string; x?: number; anchor?: 'middle' | 'end' };
  // Entries that are false are left out: a line the chart did not draw has no swatch.
  legend: ({ swatch: string; label: string } | false)[];
  children: ReactNode;
};

export function ChartFrame({ plot, summary, from, to, legend, children }: Props) {
  const axisY = plot.bottom + 18;
  return (
    <figure className="space-y-2">
      <svg viewBox={`0 0 ${plot.width} ${plot.height}`} className="h-auto w-full" role="img" aria-label={summary}>
        <title>{summary}</title>
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={plot.left} x2={plot.right} y1={plot.y(plot.max * f)} y2={plot.y(plot.max * f)} className="stroke-slate-200" strokeWidth={1} />
            <text x={plot.left - 6} y={plot.y(plot.max * f) + 4} textAnchor="end" className="fill-slate-500 text-[11px]">
              {Math.round(plot.max * f)}
            </text>
          </g>
        ))}
        {children}
        <text x={plot.left} y={axisY} className="fill-slate-500 text-[11px]">
          {from}
        </text>
        <text x={to.x ?? plot.right} y={axisY} textAnchor={to.anchor ?? 'end'} className="fill-slate-500 text-[11px]">
          {to.label}
        </text>
      </svg>
      <figcaption className="flex flex-wrap gap-4 text-xs text-slate-600">
        {legend.map((entry) =>
          entry ? (
            <span key={entry.label}>
              <span aria-hidden="true" className={`mr-1 inline-block ${entry.swatch} align-middle`} />
              {entry.label}
            </span>
          ) : null,
        )}
      </figcaption>
    </figure>
  );
}
