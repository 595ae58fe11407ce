import { getDb } from '@/db/client';
import { dashboardRoute } from '@/server/auth/route';
import { alertReviewQuery } from '@/server/inventory/read/alert-query';
import { alertReview } from '@/server/inventory/read/alert-review';

// The manager's live list: refetched whenever the `alerts` room reports a change.
export const GET = dashboardRoute('manager', alertReviewQuery, (q) => alertReview(getDb(), q));
export const dynamic = 'force-dynamic';
