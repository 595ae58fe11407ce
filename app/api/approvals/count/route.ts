import { z } from 'zod';
import { getDb } from '@/db/client';
import { dashboardRoute } from '@/server/auth/route';
import { pendingApprovalCount } from '@/server/inventory/read/approval-queue';

// The navigation's badge: stock changes waiting for a manager.
export const GET = dashboardRoute('manager', z.object({}), async () => ({ count: await pendingApprovalCount(getDb()) }));
