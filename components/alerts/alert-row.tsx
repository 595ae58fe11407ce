import Link from 'next/link';
import { AlertActions } from './alert-actions';
import { AlertStateChip } from './alert-state-chip';
import { actorLabel, fmtCover, fmtDate, fmtDateTime, fmtVelocity } from './format';
import type { ReviewRow } from '@/lib/contracts/alerts';

const num = 'px-2 py-1.5 text-right tabular-nums';

// One product in one warehouse, on one line a laptop can read: what is wrong, how soon, and what to do. The threshold
// is edited in the board's one dialog, opened from here; links are not prefetched (fifty drill-downs nobody asked for).
export function AlertRow({
  row: r,
  selected,
  onSelect,
  onEditThreshold,
}: {
  row: ReviewRow;
  selected: boolean;
  onSelect: (alertId: string, on: boolean) => void;
  onEditThreshold: (row: ReviewRow) => void;
}) {
  const f = r.forecast;
  const drill = `/alerts/product/${encodeURIComponent(r.sku)}?warehouse=${encodeURIComponent(r.warehouse)}`;
  const actionable = r.alertId !== null && (r.state === 'open' || r.state === 'snoozed');
  return (
    <tr className={`border-t border-slate-100 align-top ${r.state === 'resolved' ? 'text-slate-500' : ''}`} data-alert-key={r.key} data-state={r.state}>
      <td className="px-2 py-1.5">
        {actionable ? (
          <input
            type="checkbox"
            checked={selected}
            onChange={(e) => onSelect(r.alertId!, e.target.checked)}
            aria-label={`Select ${r.sku} in ${r.warehouse}`}
            className="size-5"
          />
        ) : null}
      </td>
      <th scope="row" className="max-w-64 px-2 py-1.5 text-left font-normal">
        <Link href={drill} prefetch={false} className="font-mono font-medium text-brand-700 underline-offset-2 hover:underline">
          {r.sku}
        </Link>
        <div className="truncate text-xs text-slate-600">{r.name}</div>
      </th>
      <td className="px-2 py-1.5">{r.warehouse}</td>
      <td className="px-2 py-1.5">
        <AlertStateChip row={r} />
        {r.kind && f.atRisk ? <span className="ml-1 text-xs text-sky-900">◔ lead time</span> : null}
        <div className="text-xs text-slate-600">{stateText(r)}</div>
      </td>
      <td className={`${num} font-semibold`}>{r.available}</td>
      <td className="px-2 py-1.5 whitespace-nowrap">
        <span className="font-semibold tabular-nums">{r.threshold}</span>
        {r.thresholdOverridden ? <span className="text-xs text-slate-600"> ({r.warehouse} only)</span> : null}{' '}
        <button
          type="button"
          onClick={() => onEditThreshold(r)}
          className="min-h-8 rounded px-1 text-sm text-brand-700 underline underline-offset-2"
        >
          Edit<span className="sr-only"> the threshold of {r.sku}</span>
        </button>
      </td>
      <td className={num}>
        {fmtCover(f.daysOfCover)}
        <div className="text-xs text-slate-500">{fmtVelocity(f.velocity)}</div>
      </td>
      <td className="px-2 py-1.5 whitespace-nowrap">
        {f.daysOfCover === 0 ? 'Now' : f.stockoutDate ? fmtDate(f.stockoutDate) : '—'}
        <div className="text-xs text-slate-500">lead time {r.leadTimeDays} d</div>
      </td>
      <td className="px-2 py-1.5 whitespace-nowrap">{r.incoming ? `${r.incoming}${r.incomingDate ? `, due ${fmtDate(r.incomingDate)}` : ''}` : '—'}</td>
      <td className={`${num} font-semibold`}>{f.suggestedQty}</td>
      <td className="px-2 py-1.5">
        <div className="flex items-start gap-2">
          {actionable ? <AlertActions alertId={r.alertId!} sku={r.sku} warehouse={r.warehouse} canSnooze={r.state === 'open'} /> : null}
          <Link href={drill} prefetch={false} className="inline-flex min-h-11 items-center text-sm font-medium text-brand-700 underline underline-offset-2">
            Open<span className="sr-only"> product {r.sku}</span>
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
      return `Acknowledged by ${actorLabel(r.acknowledgedBy)}${r.acknowledgedAt ? `, ${fmtDateTime(r.acknowledgedAt)}` : ''}${r.note ? ` — “${r.note}”` : ''}`;
    case 'snoozed':
      return `Snoozed until ${fmtDateTime(r.snoozedUntil)}${r.note ? ` — “${r.note}”` : ''}`;
    case 'resolved':
      return `Resolved ${fmtDateTime(r.resolvedAt)}`;
    default:
      return 'No alert yet: above its threshold';
  }
}
