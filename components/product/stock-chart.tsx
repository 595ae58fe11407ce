import type { ProductSeries } from '@/lib/contracts/product';

const W = 640;
const H = 200;
const PAD = { l: 40, r: 12, t: 12, b: 24 };

type Pt = { x: number; onHand: number; reserved: number };

// Stock over time as a step chart drawn from the ledger's running totals: levels change in steps, not slopes.
export function StockChart({ series }: { series: ProductSeries }) {
  const from = Date.parse(series.from);
  const to = Date.parse(series.to);
  const pts: Pt[] = [{ x: from, ...series.start }, ...series.points.map((p) => ({ x: Date.parse(p.t), onHand: p.onHand, reserved: p.reserved })), { x: to, onHand: NaN, reserved: NaN }];
  const last = pts.length > 2 ? pts[pts.length - 2] : pts[0];
  pts[pts.length - 1] = { ...last, x: to };
  const max = Math.max(1, ...pts.map((p) => p.onHand));
  const sx = (t: number) => PAD.l + ((t - from) / Math.max(to - from, 1)) * (W - PAD.l - PAD.r);
  const sy = (v: number) => H - PAD.b - (v / max) * (H - PAD.t - PAD.b);
  const path = (key: 'onHand' | 'reserved') =>
    pts.map((p, i) => (i === 0 ? `M${sx(p.x)},${sy(p[key])}` : `H${sx(p.x)}V${sy(p[key])}`)).join('');
  const day = (t: number) => new Date(t).toLocaleDateString(undefined, { day: 'numeric', month: 'short' });
  const summary = `On hand went from ${series.start.onHand} on ${day(from)} to ${last.onHand} now, across ${series.points.length} changes; peak ${max}.`;
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
        <text x={PAD.l} y={H - 6} className="fill-slate-500 text-[11px]">
          {day(from)}
        </text>
        <text x={W - PAD.r} y={H - 6} textAnchor="end" className="fill-slate-500 text-[11px]">
          {day(to)}
        </text>
        <path d={path('reserved')} fill="none" className="stroke-amber-500" strokeWidth={2} strokeDasharray="5 4" />
        <path d={path('onHand')} fill="none" className="stroke-brand-600" strokeWidth={2.5} />
      </svg>
      <figcaption className="flex gap-4 text-xs text-slate-600">
        <span>
          <span aria-hidden="true" className="mr-1 inline-block h-0.5 w-5 bg-brand-600 align-middle" />
          On hand (all bins)
        </span>
        <span>
          <span aria-hidden="true" className="mr-1 inline-block w-5 border-t-2 border-dashed border-amber-500 align-middle" />
          Reserved
        </span>
      </figcaption>
    </figure>
  );
}
