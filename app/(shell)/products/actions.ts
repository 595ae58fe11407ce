'use server';

import { z } from 'zod';
import { getDb } from '@/db/client';
import type { CatalogProduct } from '@/lib/contracts/catalog';
import { protectedAction } from '@/server/auth/action';
import { blankAsMissing, placeError } from '@/server/dashboard/form-fields';
import { InventoryError } from '@/server/inventory';
import { addBarcode, archiveProduct, saveProduct, type SaveProductResult } from '@/server/inventory/commands/products';

// The forms send text; the core's own schemas check every value and name the field (saveProduct, addBarcode).
const number = (what: string) => z.preprocess(blankAsMissing, z.coerce.number({ error: `${what} must be a number` }).optional());
const productForm = z.object({
  sku: z.string().default(''),
  name: z.string().default(''),
  // One field of codes, as typed or scanned: spaces, commas or new lines between them.
  barcodes: z
    .string()
    .default('')
    .transform((v) => v.split(/[\s,]+/).filter(Boolean)),
  unit: z.string().default(''),
  lowStockThreshold: number('low-stock threshold'),
  leadTimeDays: number('lead time'),
  version: number('version'),
});
const productRef = z.object({ sku: z.string().default(''), version: number('version') });

// A barcode's error is shown under the one barcodes field, whichever code it was.
function placed(e: unknown): unknown {
  const fields = e instanceof InventoryError ? (e.details.fields as Record<string, string[]> | undefined) : undefined;
  const rename = Object.fromEntries(Object.keys(fields ?? {}).flatMap((k) => (k.startsWith('barcodes.') ? [[k, 'barcodes']] : [])));
  return placeError(e, { not_found: 'sku' }, rename);
}

const product = ({ created: _c, changed: _ch, ...p }: SaveProductResult): CatalogProduct => p;

export const createProductAction = protectedAction('manager', productForm, async ({ version: _, ...input }, { actor, idempotencyKey }) => {
  const r = await saveProduct(getDb(), { ...input, mode: 'create' }, { actor, idempotencyKey }).catch((e: unknown) => {
    throw placed(e);
  });
  return { message: `Created ${r.sku}.`, data: product(r) };
});

export const saveProductAction = protectedAction('manager', productForm, async (input, { actor, idempotencyKey }) => {
  const r = await saveProduct(getDb(), { ...input, mode: 'update' }, { actor, idempotencyKey }).catch((e: unknown) => {
    throw placed(e);
  });
  return { message: r.changed ? `Saved ${r.sku} (version ${r.version}).` : `Nothing to save: ${r.sku} is as it was.`, data: product(r) };
});

export const addBarcodeAction = protectedAction('manager', z.object({ sku: z.string().default(''), barcode: z.string().default('') }), async (input, { actor, idempotencyKey }) => {
  const r = await addBarcode(getDb(), input, { actor, idempotencyKey }).catch((e: unknown) => {
    throw placed(e);
  });
  return { message: r.changed ? `Added ${input.barcode.trim()} to ${r.sku}.` : `${input.barcode.trim()} is already on ${r.sku}.`, data: product(r) };
});

export const archiveProductAction = protectedAction('manager', productRef, async (input, { actor, idempotencyKey }) => {
  const r = await archiveProduct(getDb(), input, { actor, idempotencyKey }).catch((e: unknown) => {
    throw placed(e);
  });
  return { message: `Archived ${r.sku}: it is out of availability and of lists; its history stays.`, data: product(r) };
});

export const restoreProductAction = protectedAction('manager', productRef, async (input, { actor, idempotencyKey }) => {
  const r = await saveProduct(getDb(), { ...input, active: true, mode: 'update' }, { actor, idempotencyKey }).catch((e: unknown) => {
    throw placed(e);
  });
  return { message: `Restored ${r.sku}.`, data: product(r) };
});
