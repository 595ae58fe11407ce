import { z } from 'zod';
import { getDb } from '@/db/client';
import { dashboardRoute } from '@/server/auth/route';
import { previewBinPattern } from '@/server/inventory/commands/locations';

const query = z.object({
  warehouse: z.string().trim().min(1).max(64),
  s1: z.string().max(200).default(''),
  s2: z.string().max(200).default(''),
  s3: z.string().max(200).default(''),
  s4: z.string().max(200).default(''),
  separator: z.string().max(1).default('-'),
});

// What a bin pattern would create and which of its codes exist: the live preview, before anything is written.
export const GET = dashboardRoute('manager', query, ({ warehouse, s1, s2, s3, s4, separator }) =>
  previewBinPattern(getDb(), { warehouse, segments: [s1, s2, s3, s4], separator }),
);
