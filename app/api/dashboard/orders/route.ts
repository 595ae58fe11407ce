import { z } from 'zod';
import { getDb } from '@/db/client';
import { orderStatusSchema } from '@/lib/contracts/orders';
import { dashboardRoute } from '@/server/auth/route';
import { staffOrders } from '@/server/inventory/read/orders';

const query = z.object({
  status: orderStatusSchema.optional(),
  q: z.string().trim().max(200).optional(),
  after: z.string().max(200).optional(),
});

export const GET = dashboardRoute('staff', query, ({ status, q, after }) => staffOrders(getDb(), { status, search: q || undefined, after }));
