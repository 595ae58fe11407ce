// The alert review's bulk form: `scope` says whether the ticked rows (`alertIds`, comma-separated) or every alert
// matching the filter on screen (the page's own query fields) are meant. The command validates the rest.
import 'server-only';
import { z } from 'zod';
import { alertCountsQuery } from '@/server/inventory/read/alert-query';

// Loose: the filter's fields (warehouse, status, urgency, q, window, target) pass through to the review's parser.
export const bulkAlertsForm = z.looseObject({
  scope: z.enum(['selected', 'filter'], { error: 'choose alerts, or all matching the filter' }),
  alertIds: z.string().max(400_000, 'too many alerts at once').optional(),
  note: z.string().optional(),
  hours: z.coerce.number().optional(),
});

export function bulkAlertsInput(form: z.output<typeof bulkAlertsForm>) {
  if (form.scope === 'selected') {
    const alertIds = (form.alertIds ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    return { alertIds, note: form.note };
  }
  const { filter } = alertCountsQuery.parse(form);
  return { filter, note: form.note };
}
