import { z } from 'zod';
import { getDb } from '@/db/client';
import { dashboardRoute } from '@/server/auth/route';
import { lookupScan } from '@/server/inventory/read/scan-lookup';

const query = z.object({
  code: z.string().max(500),
  warehouse: z.string().trim().max(64).optional(),
  gs: z.string().max(8).optional(),
});

export const GET = dashboardRoute('staff', query, (q) => lookupScan(getDb(), q));
