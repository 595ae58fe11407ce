import { z } from 'zod';
import { getDb } from '@/db/client';
import { dashboardRoute } from '@/server/auth/route';
import { whyAvailable } from '@/server/inventory/read/why-available';

// Staff see the same bins, holds and movements on the product page already; this only puts them side by side.
export const GET = dashboardRoute('staff', z.object({ sku: z.string().trim().min(1).max(64) }), ({ sku }) => whyAvailable(getDb(), sku));
