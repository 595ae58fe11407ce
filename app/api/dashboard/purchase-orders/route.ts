import { z } from 'zod';
import { getDb } from '@/db/client';
import { dashboardRoute } from '@/server/auth/route';
import { openPurchaseOrders } from '@/server/inventory/read/open-work';

export const GET = dashboardRoute('staff', z.object({}), () => openPurchaseOrders(getDb()));
