import { getDb } from '@/db/client';
import { stockListParamsSchema } from '@/lib/contracts/stock';
import { dashboardRoute } from '@/server/auth/route';
import { stockList } from '@/server/inventory/read/stock-list';

export const GET = dashboardRoute('staff', stockListParamsSchema, (q) => stockList(getDb(), q));
