// What an admin may do to storefront channels: create or change one (one transaction: the row and its warehouse
// list), or remove one. The sidecar sees each change through its feed and applies it to open badges at once.
import { eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { channels, channelWarehouses, warehouses } from '@/db/schema';
import { InventoryError } from '@/server/inventory/kernel/errors';
import { ANY_ORIGIN, DEFAULT_CHANNEL, normalizeOrigin } from './channels';

const MAX_ORIGINS = 50;

// Origins arrive as text, one per line (commas and spaces also separate them), and are stored as browsers send them.
const originList = z
  .string()
  .max(10_000, 'At most 10,000 characters')
  .default('')
  .transform((text, ctx) => {
    const out: string[] = [];
    for (const raw of text.split(/[\s,]+/).filter(Boolean)) {
      const o = normalizeOrigin(raw);
      if (!o || (o !== ANY_ORIGIN && !isBareOrigin(raw))) {
        ctx.addIssue({ code: 'custom', message: `${raw.slice(0, 80)} is not an origin: write scheme://host[:port], with no path (or * for any page)` });
        return z.NEVER;
      }
      if (!out.includes(o)) out.push(o);
    }
    if (out.length > MAX_ORIGINS) {
      ctx.addIssue({ code: 'custom', message: `At most ${MAX_ORIGINS} origins` });
      return z.NEVER;
    }
    return out;
  });

// An origin and nothing more: no path, query, fragment or credentials.
function isBareOrigin(raw: string): boolean {
  const u = new URL(raw);
  return u.pathname === '/' && !u.search && !u.hash && !u.username && !u.password && !raw.includes('?') && !raw.includes('#');
}

export const channelInput = z.object({
  key: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'Use 1–40 lower-case letters, digits and dashes, starting with a letter or digit'),
  name: z.string().trim().min(1, 'Give the channel a name').max(100, 'At most 100 characters'),
  // Warehouse codes, comma-joined by the form; none means every warehouse.
  warehouses: z
    .string()
    .default('')
    .transform((s) => [...new Set(s.split(',').map((c) => c.trim()).filter(Boolean))]),
  origins: originList,
  lowStockThreshold: z
    .string()
    .trim()
    .default('')
    .transform((s, ctx) => {
      if (s === '') return null;
      if (!/^\d{1,6}$/.test(s)) {
        ctx.addIssue({ code: 'custom', message: 'A whole number from 0 to 999,999, or blank for each product’s own threshold' });
        return z.NEVER;
      }
      return Number(s);
    }),
  // Units of each product kept back from the channel: its badge and its holds and orders never count them.
  buffer: z
    .string()
    .trim()
    .default('')
    .transform((s, ctx) => {
      if (s === '') return 0;
      if (!/^\d{1,6}$/.test(s)) {
        ctx.addIssue({ code: 'custom', message: 'A whole number from 0 to 999,999 (blank: none kept back)' });
        return z.NEVER;
      }
      return Number(s);
    }),
});

export type ChannelInput = z.output<typeof channelInput>;

export async function saveChannel(db: Db, input: ChannelInput): Promise<{ created: boolean }> {
  return db.transaction(async (tx) => {
    const found = input.warehouses.length
      ? await tx.select({ id: warehouses.id, code: warehouses.code }).from(warehouses).where(inArray(warehouses.code, input.warehouses))
      : [];
    const unknown = input.warehouses.filter((c) => !found.some((w) => w.code === c));
    if (unknown.length) {
      throw new InventoryError('validation_failed', `No warehouse ${unknown.join(', ')}.`, { fields: { warehouses: [`No warehouse ${unknown.join(', ')}`] } });
    }
    const values = { name: input.name, allowedOrigins: input.origins, lowStockThreshold: input.lowStockThreshold, buffer: input.buffer };
    const [before] = await tx.select({ id: channels.id }).from(channels).where(eq(channels.key, input.key)).for('update');
    const [row] = before
      ? await tx
          .update(channels)
          .set({ ...values, updatedAt: sql`now()` })
          .where(eq(channels.id, before.id))
          .returning()
      : await tx
          .insert(channels)
          .values({ key: input.key, ...values })
          .returning();
    await tx.delete(channelWarehouses).where(eq(channelWarehouses.channelId, row.id));
    if (found.length) await tx.insert(channelWarehouses).values(found.map((w) => ({ channelId: row.id, warehouseId: w.id })));
    return { created: !before };
  });
}

export async function deleteChannel(db: Db, key: string): Promise<boolean> {
  if (key === DEFAULT_CHANNEL) {
    throw new InventoryError('invalid_state', 'The default channel answers requests that name no channel; it can be changed, not removed.', {});
  }
  const gone = await db.delete(channels).where(eq(channels.key, key)).returning({ id: channels.id });
  return gone.length > 0;
}
