import { z } from 'zod';
import { getDb } from '@/db/client';
import { dashboardRoute } from '@/server/auth/route';
import { notFound } from '@/server/inventory/kernel/errors';
import { warehousePage } from '@/server/inventory/read/places';

const query = z.object({ warehouse: z.string().trim().min(1).max(64) });

// A warehouse and its bins in pick-path order, with what each holds.
export const GET = dashboardRoute('manager', query, async ({ warehouse }) => {
  const page = await warehousePage(getDb(), warehouse);
  if (!page) throw notFound('warehouse', warehouse);
  return page;
});
