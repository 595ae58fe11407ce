import Link from 'next/link';
import { ThresholdForm } from '@/components/threshold-form';
import { AlertActions } from './alert-actions';
import { AlertStateChip } from './alert-state-chip';
import { actorLabel, fmtCover, fmtDate, fmtDateTime, fmtVelocity } from './format';
import type { ReviewRow } from '@/lib/contracts/alerts';

const num = 'px-3 py-2 text-right tabular-nums';

// One product in one warehouse: what is wrong, the figures that say how soon, and what to do about it.
// Its links are not prefetched: a list of a hundred rows would render a hundred drill-downs nobody asked for.
export function AlertRow({ row: r }: { row: ReviewRow }) {
  const f = r.forecast;
  const drill = `/alerts/product/${encodeURIComponent(r.sku)}?warehouse=${encodeURIComponent(r.warehouse)}`;
  return (
    <tr className="border-t border-slate-100 align-top" data-alert-key={r.key} data-state={r.state}>
      <th scope="row" className="px-3 py-2 text-left font-normal">
        <Link href={drill} prefetch={false} className="font-mono font-medium text-brand-700 underline-offset-2 hover:underline">
          {r.sku}
        </Link>
        <div className="text-slate-600">{r.name}</div>
      </th>
      <td className="px-3 py-2">{r.warehouse}</td>
      <td className="space-y-1 px-3 py-2">
        <AlertStateChip row={r} />
        <div className="text-xs text-slate-600">{stateText(r)}</div>
        {r.kind && f.atRisk ? <div className="text-xs text-sky-900">◔ Runs out within lead time</div> : null}
      </td>
      <td className={`${num} font-semibold`}>{r.available}</td>
      <td className="px-3 py-2">
        {r.thresholdOverridden ? (
          <>
            <span className="font-semibold tabular-nums">{r.threshold}</span>
            <div className="text-xs text-slate-600">
              {r.warehouse} only ·{' '}
              <Link href={`${drill}#thresholds`} prefetch={false} className="text-brand-700 underline">
                change<span className="sr-only"> the {r.warehouse} threshold of {r.sku}</span>
              </Link>
            </div>
          </>
        ) : (
          <ThresholdForm sku={r.sku} threshold={r.threshold} />
        )}
      </td>
      <td className={num}>
        {fmtCover(f.daysOfCover)}
        <div className="text-xs font-normal text-slate-500">{fmtVelocity(f.velocity)}</div>
      </td>
      <td className="px-3 py-2 whitespace-nowrap">
        {f.daysOfCover === 0 ? 'Now' : f.stockoutDate ? fmtDate(f.stockoutDate) : '—'}
        <div className="text-xs text-slate-500">lead time {r.leadTimeDays} d</div>
      </td>
      <td className="px-3 py-2 whitespace-nowrap">{r.incoming ? `${r.incoming}${r.incomingDate ? `, due ${fmtDate(r.incomingDate)}` : ''}` : '—'}</td>
      <td className={`${num} font-semibold`}>{f.suggestedQty}</td>
      <td className="px-3 py-2">
        <div className="flex flex-col items-start gap-2">
          {r.alertId && r.state === 'open' ? <AlertActions alertId={r.alertId} sku={r.sku} warehouse={r.warehouse} canSnooze /> : null}
          {r.alertId && r.state === 'snoozed' ? <AlertActions alertId={r.alertId} sku={r.sku} warehouse={r.warehouse} canSnooze={false} /> : null}
          <Link href={drill} prefetch={false} className="inline-flex min-h-11 items-center text-sm font-medium text-brand-700 underline underline-offset-2">
            Open product<span className="sr-only"> {r.sku}</span>
          </Link>
        </div>
      </td>
    </tr>
  );
}

function stateText(r: ReviewRow): string {
  switch (r.state) {
    case 'open':
      return `Open since ${fmtDateTime(r.openedAt)}`;
    case 'acknowledged':
      return `Acknowledged by ${actorLabel(r.acknowledgedBy)}, ${fmtDateTime(r.acknowledgedAt)}${r.note ? ` — “${r.note}”` : ''}`;
    case 'snoozed':
      return `Snoozed until ${fmtDateTime(r.snoozedUntil)}${r.note ? ` — “${r.note}”` : ''}`;
    case 'resolved':
      return `Resolved ${fmtDateTime(r.resolvedAt)}`;
    default:
      return 'No alert yet: above its threshold';
  }
}
