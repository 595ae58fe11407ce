// Low-stock thresholds and reorder quantities: product settings managers edit, not stock changes.
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor } from '@/db/client';
import { products } from '@/db/schema';
import { notFound, validationError } from './errors';
import { sku } from './schemas';

export const setThresholdInput = z.object({
  sku,
  threshold: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(0, 'cannot be negative').max(1_000_000, 'is too large'),
  reorderQty: z.coerce.number().int('must be a whole number').min(0, 'cannot be negative').max(1_000_000, 'is too large').optional(),
});

export async function setThreshold(db: Executor, input: z.input<typeof setThresholdInput>) {
  const parsed = setThresholdInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error);
  const { sku: s, threshold, reorderQty } = parsed.data;
  const [row] = await db
    .update(products)
    .set({ lowStockThreshold: threshold, ...(reorderQty === undefined ? {} : { reorderQty }) })
    .where(eq(products.sku, s))
    .returning({ sku: products.sku, threshold: products.lowStockThreshold, reorderQty: products.reorderQty });
  if (!row) throw notFound('sku', s);
  return row;
}
