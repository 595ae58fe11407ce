'use server';

import { z } from 'zod';
import { getDb } from '@/db/client';
import { protectedAction } from '@/server/auth/action';
import { optionalText, placeError, text, units } from '@/server/dashboard/form-fields';
import { transfer, transferAll, type TransferAllResult, type TransferResult } from '@/server/inventory';

const transferForm = z.object({
  sku: text('Scan the product to move'),
  fromWarehouse: text('Choose the source warehouse'),
  fromLocation: text('Scan the source bin'),
  toWarehouse: text('Choose the destination warehouse'),
  toLocation: text('Scan the destination bin'),
  qty: units('how many to move'),
  note: optionalText,
});

export const transferAction = protectedAction('staff', transferForm, async (i, ctx) => {
  try {
    const r = await transfer(
      getDb(),
      { sku: i.sku, qty: i.qty, note: i.note, from: { warehouse: i.fromWarehouse, location: i.fromLocation }, to: { warehouse: i.toWarehouse, location: i.toLocation } },
      { actor: ctx.actor, idempotencyKey: ctx.idempotencyKey },
    );
    return { message: `Moved ${r.qty} × ${r.sku} from ${r.from.location} to ${r.to.warehouse} ${r.to.location}.`, data: r satisfies TransferResult };
  } catch (e) {
    throw placeError(
      e,
      {
        insufficient_stock: 'qty',
        not_found: (d) => ('sku' in d ? 'sku' : d.location === i.toLocation && d.warehouse === i.toWarehouse ? 'toLocation' : 'fromLocation'),
      },
      { to: 'toLocation', 'to.location': 'toLocation', 'from.location': 'fromLocation', 'to.warehouse': 'toWarehouse', 'from.warehouse': 'fromWarehouse' },
    );
  }
});

const transferAllForm = z.object({
  fromWarehouse: text('Choose the source warehouse'),
  fromLocation: text('Scan the source bin'),
  toWarehouse: text('Choose the destination warehouse'),
  toLocation: text('Scan the destination bin'),
  note: optionalText,
});

// "Move everything": every product's free units from the source bin to the destination, in one command.
export const transferAllAction = protectedAction('staff', transferAllForm, async (i, ctx) => {
  try {
    const r = await transferAll(
      getDb(),
      { note: i.note, from: { warehouse: i.fromWarehouse, location: i.fromLocation }, to: { warehouse: i.toWarehouse, location: i.toLocation } },
      { actor: ctx.actor, idempotencyKey: ctx.idempotencyKey },
    );
    const units = r.lines.reduce((s, l) => s + l.qty, 0);
    const n = r.lines.length;
    return { message: `Moved everything free from ${r.from.location} to ${r.to.warehouse} ${r.to.location}: ${units} units of ${n} product${n === 1 ? '' : 's'}.`, data: r satisfies TransferAllResult };
  } catch (e) {
    throw placeError(
      e,
      { not_found: (d) => (d.location === i.toLocation && d.warehouse === i.toWarehouse ? 'toLocation' : 'fromLocation') },
      { to: 'toLocation', 'to.location': 'toLocation', 'from.location': 'fromLocation', 'to.warehouse': 'toWarehouse', 'from.warehouse': 'fromWarehouse' },
    );
  }
});
