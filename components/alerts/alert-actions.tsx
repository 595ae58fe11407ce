'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useActionState, useEffect, useId, useState } from 'react';
import { acknowledgeAlertAction, snoozeAlertAction } from '@/app/(shell)/alerts/actions';
import { idle } from '@/lib/contracts/action-state';
import { alertKeys } from '@/lib/alerts-api';

const snoozeChoices = [
  { hours: 4, label: '4 hours' },
  { hours: 24, label: '1 day' },
  { hours: 72, label: '3 days' },
  { hours: 168, label: '1 week' },
];

// Acknowledge or snooze one alert, with a note for its history. A disclosure, so the table stays one line a row; its
// form is rendered when opened, not fifty times in the page's HTML.
export function AlertActions({ alertId, sku, warehouse, canSnooze }: { alertId: string; sku: string; warehouse: string; canSnooze: boolean }) {
  const [ack, acknowledge, acking] = useActionState(acknowledgeAlertAction, idle);
  const [snz, snooze, snoozing] = useActionState(snoozeAlertAction, idle);
  const client = useQueryClient();
  const id = useId();
  const latest = (ack.at ?? 0) >= (snz.at ?? 0) ? ack : snz;
  // The realtime feed refetches too; this answers at once when the socket is down.
  useEffect(() => {
    if (latest.status === 'ok') void client.invalidateQueries({ queryKey: alertKeys.all });
  }, [latest, client]);
  const pending = acking || snoozing;
  const [open, setOpen] = useState(false);
  // Held in state: React resets a form's uncontrolled fields after its action, and a refused acknowledgement must
  // not cost the manager the note they wrote. Cleared once an action succeeds.
  const [note, setNote] = useState('');
  useEffect(() => {
    if (latest.status === 'ok') setNote('');
  }, [latest]);
  return (
    <details className="relative" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary className="inline-flex min-h-11 cursor-pointer items-center rounded-md border border-slate-300 bg-white px-3 text-sm font-medium hover:bg-slate-50">
        Acknowledge or snooze<span className="sr-only"> the alert for {sku} in {warehouse}</span>
      </summary>
      {open ? (
        <form className="absolute right-0 z-10 mt-2 w-72 space-y-2 rounded-lg border border-slate-200 bg-white p-3 shadow-lg">
          <input type="hidden" name="alertId" value={alertId} />
          <label htmlFor={`${id}-note`} className="block text-sm font-medium">
            Note <span className="font-normal text-slate-500">(optional, kept in the history)</span>
          </label>
          <textarea id={`${id}-note`} name="note" rows={2} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} className="w-full rounded-md border border-slate-300 px-2 py-1 text-sm" />
          <div className="flex flex-wrap items-end gap-2">
            <button
              formAction={acknowledge}
              disabled={pending}
              className="min-h-11 rounded-md bg-brand-600 px-3 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-60"
            >
              Acknowledge
            </button>
            {canSnooze ? (
              <>
                <label htmlFor={`${id}-hours`} className="sr-only">
                  Snooze for
                </label>
                <select id={`${id}-hours`} name="hours" defaultValue="24" className="min-h-11 rounded-md border border-slate-300 bg-white px-2 text-sm">
                  {snoozeChoices.map((c) => (
                    <option key={c.hours} value={c.hours}>
                      {c.label}
                    </option>
                  ))}
                </select>
                <button formAction={snooze} disabled={pending} className="min-h-11 rounded-md border border-slate-300 px-3 text-sm font-medium hover:bg-slate-50 disabled:opacity-60">
                  Snooze
                </button>
              </>
          ) : null}
        </div>
        <p role="status" aria-live="polite" className={`text-sm ${latest.status === 'error' ? 'text-red-800' : 'text-emerald-800'}`}>
          {latest.status === 'idle' ? '' : `${latest.status === 'error' ? '⚠ ' : '✓ '}${latest.fieldErrors?.note?.[0] ?? latest.fieldErrors?.hours?.[0] ?? latest.message}`}
        </p>
      </form>
      ) : null}
    </details>
  );
}
