'use server';

import { getDb } from '@/db/client';
import { protectedAction } from '@/server/auth/action';
import { acknowledgeAlert, acknowledgeAlertInput, snoozeAlert, snoozeAlertInput } from '@/server/inventory/alert-actions';
import { bulkThresholdsForm } from '@/server/inventory/threshold-lines';
import { bulkSetThresholds, setThreshold, setThresholdInput, setWarehouseThreshold, setWarehouseThresholdInput } from '@/server/inventory/thresholds';

// Thresholds, overrides and alert handling are the manager's: each action checks the role itself. None revalidates a
// path: the live list refetches its query and the drill-down refreshes itself, so no page is rendered twice.
export const setThresholdAction = protectedAction('manager', setThresholdInput, async (input, { actor }) => {
  const row = await setThreshold(getDb(), input, { actor });
  return { message: `${row.sku}: low-stock threshold is now ${row.threshold}.` };
});

export const setWarehouseThresholdAction = protectedAction('manager', setWarehouseThresholdInput, async (input, { actor }) => {
  const row = await setWarehouseThreshold(getDb(), input, { actor });
  return {
    message: row.overridden
      ? `${row.sku} in ${row.warehouse}: threshold ${row.threshold}, reorder quantity ${row.reorderQty} (this warehouse only).`
      : `${row.sku} in ${row.warehouse}: override removed; the product's default threshold ${row.threshold} applies.`,
  };
});

export const bulkThresholdsAction = protectedAction('manager', bulkThresholdsForm, async (input, { actor }) => {
  const r = await bulkSetThresholds(getDb(), input, { actor });
  const where = r.warehouse ? `overrides in ${r.warehouse}` : 'product defaults';
  return { message: `Saved ${r.updated} ${r.updated === 1 ? 'threshold' : 'thresholds'} (${where}).` };
});

export const acknowledgeAlertAction = protectedAction('manager', acknowledgeAlertInput, async (input, { actor }) => {
  const a = await acknowledgeAlert(getDb(), input, { actor });
  return { message: `Acknowledged: ${a.sku} in ${a.warehouse}.` };
});

export const snoozeAlertAction = protectedAction('manager', snoozeAlertInput, async (input, { actor }) => {
  const a = await snoozeAlert(getDb(), input, { actor });
  const until = new Date(a.snoozedUntil!).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
  return { message: `Snoozed: ${a.sku} in ${a.warehouse} until ${until} UTC.` };
});
