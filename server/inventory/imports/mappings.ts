// The column mapping a manager confirmed for a file shape (the hash of its header row), so the next file of the
// same shape (the same spreadsheet's export next month) is mapped the same way without asking again.
import '#server-only';
import { and, eq } from 'drizzle-orm';
import type { Executor, Tx } from '@/db/client';
import { importMappings } from '@/db/schema';
import { columnMappingSchema, type ColumnMapping, type ImportKind } from '@/lib/contracts/imports';
import { actorRef } from '../kernel/actor';
import type { CommandContext } from '../kernel/clock';

export async function rememberedMapping(db: Executor, hash: string, kind: ImportKind): Promise<ColumnMapping | null> {
  const [row] = await db.select().from(importMappings).where(and(eq(importMappings.headerHash, hash), eq(importMappings.kind, kind)));
  const parsed = row ? columnMappingSchema.safeParse(row.mapping) : null;
  return parsed?.success ? parsed.data : null;
}

export async function rememberMapping(tx: Tx, hash: string, kind: ImportKind, mapping: ColumnMapping, ctx: CommandContext): Promise<void> {
  const values = { headerHash: hash, kind, mapping, updatedBy: actorRef(ctx.actor), updatedAt: new Date() };
  await tx.insert(importMappings).values(values).onConflictDoUpdate({ target: [importMappings.headerHash, importMappings.kind], set: values });
}
