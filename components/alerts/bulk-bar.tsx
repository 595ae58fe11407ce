'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useActionState, useEffect, useId, useState } from 'react';
import { bulkAcknowledgeAction, bulkSnoozeAction } from '@/app/(shell)/alerts/actions';
import { idle } from '@/lib/contracts/action-state';
import { alertKeys } from '@/lib/alerts-api';
import { MAX_BULK_ALERTS, type ReviewQuery } from '@/lib/contracts/alerts';

const snoozeChoices = [
  { hours: 4, label: '4 hours' },
  { hours: 24, label: '1 day' },
  { hours: 72, label: '3 days' },
  { hours: 168, label: '1 week' },
];

// Acknowledge or snooze the ticked rows, or every alert matching the filter: one command each. The idempotency key
// is new for each answer, so a double click or a retry changes the alerts once.
export function BulkBar({
  query,
  selected,
  allMatching,
  matchingCount,
  onAllMatching,
  onDone,
}: {
  query: ReviewQuery;
  selected: string[];
  allMatching: boolean;
  matchingCount: number;
  onAllMatching: (on: boolean) => void;
  onDone: () => void;
}) {
  const [ack, acknowledge, acking] = useActionState(bulkAcknowledgeAction, idle);
  const [snz, snooze, snoozing] = useActionState(bulkSnoozeAction, idle);
  const [key, setKey] = useState(() => crypto.randomUUID());
  const client = useQueryClient();
  const id = useId();
  const latest = (ack.at ?? 0) >= (snz.at ?? 0) ? ack : snz;
  // Held in state so a refusal keeps it (React resets uncontrolled fields after a form action).
  const [note, setNote] = useState('');
  useEffect(() => {
    if (latest.status === 'idle') return;
    setKey(crypto.randomUUID());
    if (latest.status === 'ok') {
      setNote('');
      onDone();
      // The reader's own change: the page is read again (the realtime feed patches rows; this also counts them).
      void client.invalidateQueries({ queryKey: alertKeys.all });
    }
  }, [latest, client, onDone]);
  const pending = acking || snoozing;
  const count = allMatching ? matchingCount : selected.length;
  const tooMany = allMatching && matchingCount > MAX_BULK_ALERTS;
  const error = latest.status === 'error' ? (latest.fieldErrors?.scope?.[0] ?? latest.fieldErrors?.note?.[0] ?? latest.message) : null;
  return (
    <form aria-label="Bulk actions" className="flex flex-wrap items-center gap-2 rounded-lg border border-slate-200 bg-slate-50 px-3 py-2 text-sm">
      <input type="hidden" name="idempotencyKey" value={key} />
      <input type="hidden" name="scope" value={allMatching ? 'filter' : 'selected'} />
      {allMatching ? (
        <>
          {query.warehouse ? <input type="hidden" name="warehouse" value={query.warehouse} /> : null}
          {query.status ? <input type="hidden" name="status" value={query.status} /> : null}
          {query.urgency ? <input type="hidden" name="urgency" value={query.urgency} /> : null}
          {query.q ? <input type="hidden" name="q" value={query.q} /> : null}
          {query.windowDays ? <input type="hidden" name="window" value={query.windowDays} /> : null}
          {query.targetDays ? <input type="hidden" name="target" value={query.targetDays} /> : null}
        </>
      ) : (
        <input type="hidden" name="alertIds" value={selected.join(',')} />
      )}
      <span className="font-medium" data-testid="bulk-count">
        {count.toLocaleString('en')} selected
      </span>
      <label className="inline-flex min-h-11 items-center gap-2">
        <input type="checkbox" checked={allMatching} onChange={(e) => onAllMatching(e.target.checked)} className="size-5" />
        All {matchingCount.toLocaleString('en')} matching this filter
      </label>
      <label htmlFor={`${id}-note`} className="sr-only">
        Note for the selected alerts
      </label>
      <input id={`${id}-note`} name="note" maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} placeholder="Note (optional)" className="min-h-11 w-48 rounded-md border border-slate-300 bg-white px-2" />
      <button
        formAction={acknowledge}
        disabled={pending || count === 0 || tooMany}
        className="min-h-11 rounded-md bg-brand-600 px-3 font-medium text-white hover:bg-brand-700 disabled:opacity-60"
      >
        Acknowledge selected
      </button>
      <label htmlFor={`${id}-hours`} className="sr-only">
        Snooze the selected alerts for
      </label>
      <select id={`${id}-hours`} name="hours" defaultValue="24" className="min-h-11 rounded-md border border-slate-300 bg-white px-2">
        {snoozeChoices.map((c) => (
          <option key={c.hours} value={c.hours}>
            {c.label}
          </option>
        ))}
      </select>
      <button formAction={snooze} disabled={pending || count === 0 || tooMany} className="min-h-11 rounded-md border border-slate-300 bg-white px-3 font-medium hover:bg-slate-50 disabled:opacity-60">
        Snooze selected
      </button>
      <span role="status" aria-live="polite" className={error || tooMany ? 'text-red-800' : 'text-emerald-800'}>
        {tooMany
          ? `⚠ At most ${MAX_BULK_ALERTS.toLocaleString('en')} at once: narrow the filter.`
          : latest.status === 'idle'
            ? ''
            : error
              ? `⚠ ${error}`
              : `✓ ${latest.message}`}
      </span>
    </form>
  );
}
