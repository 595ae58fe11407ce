'use server';

import { z } from 'zod';
import { getDb } from '@/db/client';
import { protectedAction } from '@/server/auth/action';
import { InventoryError } from '@/server/inventory';
import { blankAsMissing, placeError } from '@/server/dashboard/form-fields';
import {
  cancelPurchaseOrder,
  closePurchaseOrder,
  createPurchaseOrder,
  draftFromSuggestions,
  markOrdered,
  setPurchaseOrderLine,
  type DraftFromSuggestionsResult,
  type PoChangeResult,
} from '@/server/inventory/commands/purchase-orders';

// The forms send text; the core's own schemas check every value and name the field.
const number = (what: string) => z.preprocess(blankAsMissing, z.coerce.number({ error: `${what} must be a number` }).optional());
const ref = { reference: z.string().default(''), version: number('version') };

const placed = (e: unknown) => placeError(e, { not_found: 'reference' });
const statusWord = (s: string) => s.replace('_', ' ');

export const createPurchaseOrderAction = protectedAction(
  'manager',
  z.object({ supplierId: number('supplier'), warehouse: z.string().default('') }),
  async ({ supplierId, warehouse }, { actor, idempotencyKey }) => {
    const r = await createPurchaseOrder(getDb(), { supplierId: supplierId ?? 0, warehouse }, { actor, idempotencyKey }).catch((e: unknown) => {
      throw placeError(e, { not_found: 'warehouse' });
    });
    return { message: `Created draft ${r.reference}.`, data: r };
  },
);

export const setPurchaseOrderLineAction = protectedAction(
  'manager',
  z.object({ ...ref, sku: z.string().default(''), qty: number('quantity') }),
  async ({ qty, ...f }, { actor, idempotencyKey }) => {
    const r = await setPurchaseOrderLine(getDb(), { ...f, qty: qty ?? -1 }, { actor, idempotencyKey }).catch((e: unknown) => {
      throw placeError(e, { not_found: 'sku' });
    });
    const l = r.line;
    const message = l.qty === 0 ? `Removed ${l.sku} from ${r.reference}.` : `${l.sku}: ${l.qty} on ${r.reference}.${l.note ? ` ${l.note}.` : ''}`;
    return { message, data: r };
  },
);

export const markOrderedAction = protectedAction('manager', z.object({ ...ref, expectedAt: z.string().default('') }), async (f, { actor, idempotencyKey }) => {
  const r = await markOrdered(getDb(), f, { actor, idempotencyKey }).catch((e: unknown) => {
    throw placed(e);
  });
  return { message: `${r.reference} is ordered, expected ${f.expectedAt}.`, data: r };
});

export const cancelPurchaseOrderAction = protectedAction('manager', z.object(ref), async (f, { actor, idempotencyKey }) => {
  const r = await cancelPurchaseOrder(getDb(), f, { actor, idempotencyKey }).catch((e: unknown) => {
    throw placed(e);
  });
  return { message: `${r.reference} is cancelled.`, data: r };
});

// Short reasons come as one select per short line, named reason:<SKU>.
export const closePurchaseOrderAction = protectedAction(
  'manager',
  z.looseObject(ref).transform((f) => ({
    reference: f.reference,
    version: f.version,
    shortReasons: Object.fromEntries(
      Object.entries(f)
        .filter(([k, v]) => k.startsWith('reason:') && typeof v === 'string' && v)
        .map(([k, v]) => [k.slice('reason:'.length), v as string]),
    ),
  })),
  async (f, { actor, idempotencyKey }): Promise<{ message: string; data: PoChangeResult }> => {
    const r = await closePurchaseOrder(getDb(), f as Parameters<typeof closePurchaseOrder>[1], { actor, idempotencyKey }).catch((e: unknown) => {
      // The core names a line's reason shortReasons.<SKU>; the form's select is reason:<SKU>.
      const fields = e instanceof InventoryError ? Object.keys((e.details.fields as Record<string, string[]> | undefined) ?? {}) : [];
      throw placeError(e, { not_found: 'reference' }, Object.fromEntries(fields.filter((k) => k.startsWith('shortReasons.')).map((k) => [k, `reason:${k.slice('shortReasons.'.length)}`])));
    });
    return { message: `${r.reference} is ${statusWord(r.status)}${r.short.length ? ` with ${r.short.length} short line${r.short.length === 1 ? '' : 's'}` : ''}.`, data: r };
  },
);

// The alert review's "Draft purchase orders": the SKUs ticked (sku, repeated) or every suggestion (none given).
export const draftFromSuggestionsAction = protectedAction(
  'manager',
  z.object({ skus: z.string().default(''), warehouse: z.preprocess(blankAsMissing, z.string().optional()), windowDays: number('window'), targetDays: number('target') }),
  async ({ skus, warehouse, windowDays, targetDays }, { actor, idempotencyKey }): Promise<{ message: string; data: DraftFromSuggestionsResult }> => {
    const list = skus.split(/[\s,]+/).filter(Boolean);
    const r = await draftFromSuggestions(getDb(), { skus: list.length ? list : undefined, warehouse, windowDays, targetDays }, { actor, idempotencyKey }).catch((e: unknown) => {
      throw placeError(e, { not_found: 'warehouse' });
    });
    const lines = r.drafts.reduce((n, d) => n + d.lines.length, 0);
    const parts = [
      r.drafts.length ? `${lines} line${lines === 1 ? '' : 's'} on ${r.drafts.map((d) => `${d.reference} (${d.supplier})`).join(', ')}` : 'No draft purchase orders',
      r.alreadyDrafted.length ? `${r.alreadyDrafted.length} already on a draft` : null,
      r.needsSupplier.length ? `${r.needsSupplier.length} need a preferred supplier first: ${r.needsSupplier.map((n) => n.sku).join(', ')}` : null,
    ];
    return { message: `${parts.filter(Boolean).join('; ')}.`, data: r };
  },
);
