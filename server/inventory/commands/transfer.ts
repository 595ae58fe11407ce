import '#server-only';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { runStockChange, type CommandOptions } from '../kernel/command';
import { locationCode, note, qty, reference, sku, warehouseCode } from '../kernel/schemas';

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
// in one command (one command_id), in the global lock order. Reserved units stay where their holds are. One call of
// onhand_transfer (migration 0024).
export function transfer(db: Db, input: TransferInput, opts: CommandOptions): Promise<TransferResult> {
  return runStockChange(db, { name: 'transfer', schema: transferInput }, input, opts);
}
