import '#server-only';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { runCommand, type CommandOptions } from '../kernel/command';
import { InventoryError } from '../kernel/errors';
import { applyChanges } from '../kernel/levels';
import { locationByCode, locationForNewStock, productBySku } from '../kernel/lookup';
import { locationCode, note, qty, reference, sku, warehouseCode } from '../kernel/schemas';
import { together } from '../kernel/together';

const place = z.object({ warehouse: warehouseCode, location: locationCode });

export const transferInput = z
  .object({ sku, from: place, to: place, qty, reference, note })
  .refine((t) => t.from.warehouse !== t.to.warehouse || t.from.location !== t.to.location, {
    message: 'must be a different location than from',
    path: ['to'],
  });
export type TransferInput = z.input<typeof transferInput>;

type Side = { warehouse: string; location: string; onHand: number; available: number; movementId: number };
export type TransferResult = { sku: string; qty: number; from: Side; to: Side };

// Moves available units between two bins, in one warehouse or across warehouses: 'transfer_out' and 'transfer_in'
// in one command (one command_id), in the global lock order. Reserved units stay where their holds are.
export function transfer(db: Db, input: TransferInput, opts: CommandOptions): Promise<TransferResult> {
  return runCommand(db, { name: 'transfer', schema: transferInput }, input, opts, async (tx, i, ctx) => {
    const [product, from, to] = await together(
      productBySku(tx, i.sku),
      locationByCode(tx, i.from.warehouse, i.from.location),
      locationForNewStock(tx, i.to.warehouse, i.to.location, 'to'),
    );
    if (from.id === to.id) {
      throw new InventoryError('validation_failed', 'Invalid request: to: must be a different location than from', {
        fields: { to: ['must be a different location than from'] },
      });
    }
    const common = { productId: product.id, reservedDelta: 0, referenceType: i.reference ? 'reference' : null, referenceId: i.reference ?? null, note: i.note ?? null };
    const [out, into] = await applyChanges(tx, ctx, [
      { ...common, locationId: from.id, kind: 'transfer_out', onHandDelta: -i.qty },
      { ...common, locationId: to.id, kind: 'transfer_in', onHandDelta: i.qty },
    ]);
    const side = (warehouse: string, location: string, l: typeof out): Side => ({
      warehouse,
      location,
      onHand: l.onHand,
      available: l.available,
      movementId: l.movementId,
    });
    return { sku: product.sku, qty: i.qty, from: side(i.from.warehouse, from.code, out), to: side(i.to.warehouse, to.code, into) };
  });
}
