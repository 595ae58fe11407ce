import { z } from 'zod';
import { getDb } from '@/db/client';
import { dashboardRoute } from '@/server/auth/route';
import { approvalQueue } from '@/server/inventory/read/approval-queue';

// The Approvals page's queue, read again whenever the `approvals` room reports a request asked for or decided.
export const GET = dashboardRoute('manager', z.object({}), () => approvalQueue(getDb()));
