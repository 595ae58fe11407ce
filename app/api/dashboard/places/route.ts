import { z } from 'zod';
import { getDb } from '@/db/client';
import { dashboardRoute } from '@/server/auth/route';
import { warehouseSummaries } from '@/server/inventory/read/places';

// Every warehouse, deactivated ones included, with its bin counts: the Warehouses page.
export const GET = dashboardRoute('manager', z.object({}), () => warehouseSummaries(getDb()));
