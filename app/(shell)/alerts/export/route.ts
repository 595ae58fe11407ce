import { getDb } from '@/db/client';
import { csvLine } from '@/lib/csv';
import { hasRole } from '@/lib/contracts/roles';
import { currentUser } from '@/server/auth/session';
import { alertReviewQuery } from '@/server/inventory/read/alert-query';
import { reviewBatches } from '@/server/inventory/read/alert-review';
import type { ReviewRow } from '@/lib/contracts/alerts';

const header = [
  'sku', 'name', 'warehouse', 'alert', 'status', 'available', 'threshold', 'threshold_override', 'picked_in_window', 'velocity_per_day',
  'days_of_cover', 'stockout_date', 'lead_time_days', 'incoming', 'incoming_due', 'suggested_order', 'opened_at', 'acknowledged_by',
  'acknowledged_at', 'snoozed_until', 'note',
];

const round = (n: number | null, places: number) => (n === null ? null : Number(n.toFixed(places)));

function cells(r: ReviewRow) {
  const f = r.forecast;
  return [
    r.sku, r.name, r.warehouse, r.kind ?? 'at_risk', r.state, r.available, r.threshold, r.thresholdOverridden ? 'yes' : 'no', r.picked,
    round(f.velocity, 2), round(f.daysOfCover, 1), f.stockoutDate, r.leadTimeDays, r.incoming, r.incomingDate, f.suggestedQty, r.openedAt,
    r.acknowledgedBy, r.acknowledgedAt, r.snoozedUntil, r.note,
  ];
}

// The whole list as it is filtered on screen (every page, not the one shown), as a file that streams: each batch
// is the next keyset page of the same read, written as it arrives, so ten thousand rows never sit in one string.
// JSON reads go through dashboardRoute; this answers text/csv, so it makes the same checks in the same order itself.
export async function GET(req: Request): Promise<Response> {
  const user = await currentUser();
  if (!user) return new Response('Sign in to export alerts.\n', { status: 401, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  if (!hasRole(user.role, 'manager')) {
    return new Response(`This needs the manager role; you are signed in as ${user.role}.\n`, { status: 403, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  }
  const { after: _after, limit: _limit, ...filter } = alertReviewQuery.parse(Object.fromEntries(new URL(req.url).searchParams));
  const asOf = new Date();
  const stamp = asOf.toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
  const name = `onhand-alerts-${filter.warehouse ?? 'all'}-${filter.status}-${stamp}.csv`;
  const batches = reviewBatches(getDb(), { ...filter, asOf });
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csvLine(header)));
    },
    // Pulled as the client reads: a slow download holds one batch, not the list.
    async pull(controller) {
      const next = await batches.next();
      if (next.done) return controller.close();
      controller.enqueue(encoder.encode(next.value.map((r) => csvLine(cells(r))).join('')));
    },
    async cancel() {
      await batches.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      // Warehouse codes may be any letters: an ASCII name for old clients, the exact one UTF-8 encoded (RFC 6266).
      'Content-Disposition': `attachment; filename="${name.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`,
      'Cache-Control': 'private, no-store',
    },
  });
}
