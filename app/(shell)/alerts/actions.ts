'use server';

import { getDb } from '@/db/client';
import { protectedAction } from '@/server/auth/action';
import { placeError } from '@/server/dashboard/form-fields';
import { acknowledgeAlert, acknowledgeAlertInput, snoozeAlert, snoozeAlertInput } from '@/server/inventory/commands/alert-actions';
import { acknowledgeAlerts, snoozeAlerts } from '@/server/inventory/commands/bulk-alert-actions';
import { bulkAlertsForm, bulkAlertsInput } from '@/server/dashboard/bulk-alerts-form';
import { bulkThresholdsForm } from '@/server/inventory/commands/threshold-lines';
import { bulkSetThresholds, setThreshold, setThresholdInput, setWarehouseThreshold, setWarehouseThresholdInput } from '@/server/inventory/commands/thresholds';

// Thresholds, overrides and alert handling are the manager's: each action checks the role itself. None revalidates a
// path: the live list refetches its query and the drill-down refreshes itself, so no page is rendered twice.
const notFoundAt = { not_found: (d: Record<string, unknown>) => ('sku' in d ? 'sku' : 'warehouse' in d ? 'warehouse' : undefined) };

export const setThresholdAction = protectedAction('manager', setThresholdInput, async (input, { actor }) => {
  const row = await setThreshold(getDb(), input, { actor }).catch((e: unknown) => {
    throw placeError(e, notFoundAt);
  });
  return { message: `${row.sku}: low-stock threshold is now ${row.threshold}.` };
});

export const setWarehouseThresholdAction = protectedAction('manager', setWarehouseThresholdInput, async (input, { actor }) => {
  const row = await setWarehouseThreshold(getDb(), input, { actor }).catch((e: unknown) => {
    throw placeError(e, notFoundAt);
  });
  return {
    message: row.overridden
      ? `${row.sku} in ${row.warehouse}: threshold ${row.threshold}, reorder quantity ${row.reorderQty} (this warehouse only).`
      : `${row.sku} in ${row.warehouse}: override removed; the product's default threshold ${row.threshold} applies.`,
  };
});

export const bulkThresholdsAction = protectedAction('manager', bulkThresholdsForm, async (input, { actor }) => {
  // Unknown SKUs are the pasted lines' fault; an unknown warehouse is the warehouse field's.
  const r = await bulkSetThresholds(getDb(), input, { actor }).catch((e: unknown) => {
    throw placeError(e, { not_found: (d) => ('skus' in d ? 'lines' : 'warehouse') }, { items: 'lines' });
  });
  const where = r.warehouse ? `overrides in ${r.warehouse}` : 'product defaults';
  return { message: `Saved ${r.updated} ${r.updated === 1 ? 'threshold' : 'thresholds'} (${where}).` };
});

export const acknowledgeAlertAction = protectedAction('manager', acknowledgeAlertInput, async (input, { actor }) => {
  const a = await acknowledgeAlert(getDb(), input, { actor }).catch((e: unknown) => {
    throw placeError(e, { not_found: 'alertId' });
  });
  return { message: `Acknowledged: ${a.sku} in ${a.warehouse}.` };
});

export const snoozeAlertAction = protectedAction('manager', snoozeAlertInput, async (input, { actor }) => {
  const a = await snoozeAlert(getDb(), input, { actor }).catch((e: unknown) => {
    throw placeError(e, { not_found: 'alertId' });
  });
  const until = new Date(a.snoozedUntil!).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
  return { message: `Snoozed: ${a.sku} in ${a.warehouse} until ${until} UTC.` };
});

// Many alerts at once: the ticked rows, or every alert matching the filter on screen. The form's idempotency key
// makes a double submit (or a retry after a lost answer) one change.
const changedText = (r: { matched: number; changed: number }, verb: string) => {
  const n = (x: number) => `${x.toLocaleString('en')} ${x === 1 ? 'alert' : 'alerts'}`;
  const skipped = r.matched - r.changed;
  return `${verb} ${n(r.changed)}${skipped ? ` (${skipped.toLocaleString('en')} already handled or resolved)` : ''}.`;
};

export const bulkAcknowledgeAction = protectedAction('manager', bulkAlertsForm, async (form, { actor, idempotencyKey }) => {
  const r = await acknowledgeAlerts(getDb(), bulkAlertsInput(form), { actor, idempotencyKey }).catch((e: unknown) => {
    throw placeError(e, {}, { filter: 'scope', alertIds: 'scope' });
  });
  return { message: changedText(r, 'Acknowledged') };
});

export const bulkSnoozeAction = protectedAction('manager', bulkAlertsForm, async (form, { actor, idempotencyKey }) => {
  const r = await snoozeAlerts(getDb(), { ...bulkAlertsInput(form), hours: form.hours ?? 24 }, { actor, idempotencyKey }).catch((e: unknown) => {
    throw placeError(e, {}, { filter: 'scope', alertIds: 'scope' });
  });
  return { message: changedText(r, 'Snoozed') };
});
