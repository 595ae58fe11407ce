import { getDb } from '@/db/client';
import { dashboardRoute } from '@/server/auth/route';
import { alertCountsQuery } from '@/server/inventory/read/alert-query';
import { alertCounts } from '@/server/inventory/read/alert-review';

// The review's counts for a page that stays on screen: read again when the `alerts` room reports a change, with how
// many new alerts would sort above the page's last row.
export const GET = dashboardRoute('manager', alertCountsQuery, (q) => alertCounts(getDb(), q.filter, { since: q.since, upto: q.upto }));
export const dynamic = 'force-dynamic';
