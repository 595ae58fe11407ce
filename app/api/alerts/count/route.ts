import { z } from 'zod';
import { getDb } from '@/db/client';
import { dashboardRoute } from '@/server/auth/route';
import { attentionCount } from '@/server/inventory/read/alert-review';

// The navigation's badge: open alerts nobody has acknowledged or snoozed.
export const GET = dashboardRoute('manager', z.object({}), async () => ({ count: await attentionCount(getDb()) }));
