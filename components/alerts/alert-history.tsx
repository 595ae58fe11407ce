import { actorLabel, fmtDateTime } from './format';
import type { AlertEventItem, AlertHistoryItem } from '@/lib/contracts/alerts';

const kindText = { out_of_stock: 'out of stock', low_stock: 'low' } as const;

function eventText(e: AlertEventItem): string {
  const figures = e.available === null ? '' : ` (available ${e.available}, threshold ${e.threshold})`;
  switch (e.action) {
    case 'opened':
      return `Opened: ${e.kind ? kindText[e.kind] : ''}${figures}`;
    case 'kind_changed':
      return `Now ${e.kind ? kindText[e.kind] : ''}${figures}`;
    case 'acknowledged':
      return 'Acknowledged';
    case 'snoozed':
      return `Snoozed until ${fmtDateTime(e.snoozedUntil)}`;
    case 'resolved':
      return `Resolved: back above the threshold${figures}`;
  }
}

// Each alert of this product in this warehouse, newest first, with who did what and when.
export function AlertHistory({ alerts }: { alerts: AlertHistoryItem[] }) {
  if (alerts.length === 0) return <p className="text-sm text-slate-600">This product has had no alerts here.</p>;
  return (
    <ol className="space-y-4">
      {alerts.map((a) => (
        <li key={a.id} className="rounded-lg border border-slate-200 p-3">
          <p className="text-sm font-medium">
            {a.status === 'resolved' ? '✓ Resolved' : a.status === 'acknowledged' ? '● Acknowledged' : '▲ Open'} · {kindText[a.kind]} · opened {fmtDateTime(a.openedAt)}
            {a.resolvedAt ? `, resolved ${fmtDateTime(a.resolvedAt)}` : ''}
          </p>
          <ol className="mt-2 space-y-1 border-l-2 border-slate-200 pl-3 text-sm">
            {a.events.map((e, i) => (
              <li key={i}>
                <span className="text-slate-500">{fmtDateTime(e.at)}</span> · {eventText(e)} · <span className="text-slate-600">by {actorLabel(e.actor)}</span>
                {e.note ? <div className="text-slate-700">“{e.note}”</div> : null}
              </li>
            ))}
          </ol>
        </li>
      ))}
    </ol>
  );
}
