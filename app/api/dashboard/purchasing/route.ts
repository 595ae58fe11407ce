import { z } from 'zod';
import { getDb } from '@/db/client';
import { PO_STATUSES } from '@/lib/contracts/purchasing';
import { dashboardRoute } from '@/server/auth/route';
import { purchaseOrderList } from '@/server/inventory/read/purchase-orders';

// The Purchase orders page's list, refetched when the window regains focus.
export const GET = dashboardRoute('manager', z.object({ status: z.enum([...PO_STATUSES, 'open', 'all']).default('open') }), ({ status }) =>
  purchaseOrderList(getDb(), { status }),
);
