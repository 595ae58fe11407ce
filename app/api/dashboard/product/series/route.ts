import { z } from 'zod';
import { getDb } from '@/db/client';
import { dashboardRoute } from '@/server/auth/route';
import { productSeries } from '@/server/inventory/read/product-history';

const query = z.object({ sku: z.string().trim().min(1).max(64), days: z.coerce.number().int().min(1).max(365).optional() });

export const GET = dashboardRoute('staff', query, ({ sku, days }) => productSeries(getDb(), sku, { days }));
