import { z } from 'zod';
import { getDb } from '@/db/client';
import { dashboardRoute } from '@/server/auth/route';
import { pickList } from '@/server/inventory/read/pick-list';

export const GET = dashboardRoute('staff', z.object({ warehouse: z.string().trim().min(1).max(64) }), ({ warehouse }) => pickList(getDb(), warehouse));
