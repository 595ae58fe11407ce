import { z } from 'zod';
import { getDb } from '@/db/client';
import { dashboardRoute } from '@/server/auth/route';
import { stockStatus } from '@/lib/contracts/stock-status';
import { stockList, stockSorts } from '@/server/inventory/read/stock-list';

const query = z.object({
  q: z.string().trim().max(200).optional(),
  warehouse: z.string().trim().min(1).max(64).optional(),
  location: z.string().trim().min(1).max(64).optional(),
  status: stockStatus.optional(),
  sort: z.enum(stockSorts).optional(),
  dir: z.enum(['asc', 'desc']).optional(),
  page: z.coerce.number().int().min(1).max(100_000).optional(),
});

export const GET = dashboardRoute('staff', query, (q) => stockList(getDb(), q));
