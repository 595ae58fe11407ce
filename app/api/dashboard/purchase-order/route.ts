import { z } from 'zod';
import { getDb } from '@/db/client';
import { dashboardRoute } from '@/server/auth/route';
import { purchaseOrderDetail } from '@/server/inventory/read/purchase-order';

export const GET = dashboardRoute('staff', z.object({ reference: z.string().trim().min(1).max(200) }), ({ reference }) =>
  purchaseOrderDetail(getDb(), reference),
);
