import { z } from 'zod';
import { getDb } from '@/db/client';
import { dashboardRoute } from '@/server/auth/route';
import { productHistory } from '@/server/inventory/read/product-history';

const query = z.object({
  sku: z.string().trim().min(1).max(64),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

export const GET = dashboardRoute('staff', query, ({ sku, ...page }) => productHistory(getDb(), sku, page));
