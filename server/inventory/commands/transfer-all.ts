import '#server-only';
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { products, stockLevels } from '@/db/schema';
import { runCommand, type CommandOptions } from '../kernel/command';
import { InventoryError } from '../kernel/errors';
import { applyChanges, type LevelChange } from '../kernel/levels';
import { locationByCode, locationForNewStock } from '../kernel/lookup';
import { locationCode, note, reference, warehouseCode } from '../kernel/schemas';

const place = z.object({ warehouse: warehouseCode, location: locationCode });

export const transferAllInput = z
  .object({ from: place, to: place, reference, note })
  .refine((t) => t.from.warehouse !== t.to.warehouse || t.from.location !== t.to.location, {
    message: 'must be a different location than from',
    path: ['to'],
  });
export type TransferAllInput = z.input<typeof transferAllInput>;

export type MovedLine = { sku: string; name: string; qty: number; reservedLeft: number };
export type TransferAllResult = { from: { warehouse: string; location: string }; to: { warehouse: string; location: string }; lines: MovedLine[] };

// "Move everything": every product's available units (on hand minus reserved) from one bin to another, as one
// command — a 'transfer_out' and 'transfer_in' pair per product, all changed in the global lock order (product id,
// location id) like any other command, so it cannot deadlock with them. Reserved units stay with their holds.
//
// The bin is read without locks and each pair is a delta applied by the conditional update: a receipt that lands
// after the read stays in the source bin (this moves exactly what it read); a hold taken after the read makes its
// product's update refuse, and then nothing moves at all.
export function transferAll(db: Db, input: TransferAllInput, opts: CommandOptions): Promise<TransferAllResult> {
  return runCommand(db, { name: 'transfer_all', schema: transferAllInput }, input, opts, async (tx, i, ctx) => {
    const from = await locationByCode(tx, i.from.warehouse, i.from.location);
    const to = await locationForNewStock(tx, i.to.warehouse, i.to.location, 'to');
    if (from.id === to.id) {
      throw new InventoryError('validation_failed', 'Invalid request: to: must be a different location than from', {
        fields: { to: ['must be a different location than from'] },
      });
    }
    const free = await tx
      .select({ productId: stockLevels.productId, sku: products.sku, name: products.name, available: sql<number>`${stockLevels.onHand} - ${stockLevels.reserved}`, reserved: stockLevels.reserved })
      .from(stockLevels)
      .innerJoin(products, eq(products.id, stockLevels.productId))
      .where(and(eq(stockLevels.locationId, from.id), gt(sql`${stockLevels.onHand} - ${stockLevels.reserved}`, 0)))
      .orderBy(asc(stockLevels.productId));
    if (free.length === 0) {
      throw new InventoryError('insufficient_stock', `Nothing is free to move in ${from.code}.`, { location: from.code, available: 0 });
    }
    const common = { reservedDelta: 0, referenceType: i.reference ? 'reference' : null, referenceId: i.reference ?? null, note: i.note ?? null };
    const changes: LevelChange[] = free.flatMap((f) => [
      { ...common, productId: f.productId, locationId: from.id, kind: 'transfer_out' as const, onHandDelta: -f.available },
      { ...common, productId: f.productId, locationId: to.id, kind: 'transfer_in' as const, onHandDelta: f.available },
    ]);
    await applyChanges(tx, ctx, changes);
    return {
      from: { warehouse: i.from.warehouse, location: from.code },
      to: { warehouse: i.to.warehouse, location: to.code },
      lines: free.map((f) => ({ sku: f.sku, name: f.name, qty: f.available, reservedLeft: f.reserved })),
    };
  });
}
