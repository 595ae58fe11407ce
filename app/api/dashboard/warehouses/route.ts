import { z } from 'zod';
import { getDb } from '@/db/client';
import { dashboardRoute } from '@/server/auth/route';
import { warehousesWithLocations } from '@/server/inventory/read/warehouses';

export const GET = dashboardRoute('staff', z.object({}), () => warehousesWithLocations(getDb()));
