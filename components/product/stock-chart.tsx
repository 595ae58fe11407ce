import type { ProductSeries } from '@/lib/contracts/product';
import { ChartFrame, plotArea } from '@/components/ui/chart-frame';

type Pt = { x: number; onHand: number; reserved: number };

// Stock over time as a step chart drawn from the ledger's running totals: levels change in steps, not slopes.
export function StockChart({ series }: { series: ProductSeries }) {
  const from = Date.parse(series.from);
  const to = Date.parse(series.to);
  const pts: Pt[] = [{ x: from, ...series.start }, ...series.points.map((p) => ({ x: Date.parse(p.t), onHand: p.onHand, reserved: p.reserved })), { x: to, onHand: NaN, reserved: NaN }];
  const last = pts.length > 2 ? pts[pts.length - 2] : pts[0];
  pts[pts.length - 1] = { ...last, x: to };
  const max = Math.max(1, ...pts.map((p) => p.onHand));
  const plot = plotArea(200, max, { t: 12, b: 24 });
  const sx = (t: number) => plot.left + ((t - from) / Math.max(to - from, 1)) * (plot.right - plot.left);
  const path = (key: 'onHand' | 'reserved') => pts.map((p, i) => (i === 0 ? `M${sx(p.x)},${plot.y(p[key])}` : `H${sx(p.x)}V${plot.y(p[key])}`)).join('');
  const day = (t: number) => new Date(t).toLocaleDateString(undefined, { day: 'numeric', month: 'short' });
  const summary = `On hand went from ${series.start.onHand} on ${day(from)} to ${last.onHand} now, across ${series.points.length} changes; peak ${max}.`;
  return (
    <ChartFrame
      plot={plot}
      summary={summary}
      from={day(from)}
      to={{ label: day(to) }}
      legend={[
        { swatch: 'h-0.5 w-5 bg-brand-600', label: 'On hand (all bins)' },
        { swatch: 'w-5 border-t-2 border-dashed border-amber-500', label: 'Reserved' },
      ]}
    >
      <path d={path('reserved')} fill="none" className="stroke-amber-500" strokeWidth={2} strokeDasharray="5 4" />
      <path d={path('onHand')} fill="none" className="stroke-brand-600" strokeWidth={2.5} />
    </ChartFrame>
  );
}
