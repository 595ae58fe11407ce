import { z } from 'zod';
import { getDb } from '@/db/client';
import { dashboardRoute } from '@/server/auth/route';
import { binContents } from '@/server/inventory/read/bin-contents';

const query = z.object({ warehouse: z.string().trim().min(1).max(64), location: z.string().trim().min(1).max(64) });

export const GET = dashboardRoute('staff', query, ({ warehouse, location }) => binContents(getDb(), warehouse, location));
