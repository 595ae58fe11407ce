import { z } from 'zod';
import { getDb } from '@/db/client';
import { dashboardRoute } from '@/server/auth/route';
import { productDetail } from '@/server/inventory/read/product-detail';

export const GET = dashboardRoute('staff', z.object({ sku: z.string().trim().min(1).max(64) }), ({ sku }) => productDetail(getDb(), sku));
