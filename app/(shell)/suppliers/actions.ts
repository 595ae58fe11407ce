'use server';

import { z } from 'zod';
import { getDb } from '@/db/client';
import type { ProductSupplierTerms, SupplierMaster } from '@/lib/contracts/purchasing';
import { protectedAction } from '@/server/auth/action';
import { blankAsMissing, placeError } from '@/server/dashboard/form-fields';
import { removeProductSupplier, saveProductSupplier, saveSupplier, type SaveSupplierResult } from '@/server/inventory/commands/suppliers';

// The forms send text; the core's own schemas check every value and name the field (saveSupplier, saveProductSupplier).
const number = (what: string) => z.preprocess(blankAsMissing, z.coerce.number({ error: `${what} must be a number` }).optional());
// A blank optional text clears it (null); a field the form does not have stays undefined.
const clearable = z.string().optional().transform((v) => (v === undefined ? undefined : v.trim() || null));

const supplierForm = z.object({
  id: number('supplier'),
  name: z.string().default(''),
  email: clearable,
  phone: clearable,
  leadTimeDays: number('lead time'),
  version: number('version'),
});
const supplierFlag = z.object({ id: number('supplier'), active: z.enum(['true', 'false']), version: number('version') });
const termsForm = z.object({
  sku: z.string().default(''),
  supplierId: number('supplier'),
  supplierSku: clearable,
  packSize: number('pack size'),
  minOrderQty: number('minimum order'),
  unitCost: z.preprocess((v) => (v === '' ? null : v), z.coerce.number({ error: 'unit cost must be a number' }).nullable().optional()),
  // A checkbox sends its value only when ticked; `preferredShown` says the form had one.
  preferred: z.string().optional(),
  preferredShown: z.string().optional(),
  version: number('version'),
});
const termsRef = z.object({ sku: z.string().default(''), supplierId: number('supplier'), version: number('version') });

const supplier = ({ created: _c, changed: _ch, ...s }: SaveSupplierResult): SupplierMaster => s;
const placed = (e: unknown) => placeError(e, { not_found: 'id' });

export const createSupplierAction = protectedAction('manager', supplierForm, async ({ id: _i, version: _v, ...f }, { actor, idempotencyKey }) => {
  const r = await saveSupplier(getDb(), { ...f, mode: 'create' }, { actor, idempotencyKey }).catch((e: unknown) => {
    throw placed(e);
  });
  return { message: `Created supplier ${r.name}.`, data: supplier(r) };
});

export const saveSupplierAction = protectedAction('manager', supplierForm, async (f, { actor, idempotencyKey }) => {
  const r = await saveSupplier(getDb(), { ...f, mode: 'update' }, { actor, idempotencyKey }).catch((e: unknown) => {
    throw placed(e);
  });
  return { message: r.changed ? `Saved ${r.name} (version ${r.version}).` : `Nothing to save: ${r.name} is as it was.`, data: supplier(r) };
});

export const setSupplierActiveAction = protectedAction('manager', supplierFlag, async ({ id, active, version }, { actor, idempotencyKey }) => {
  const r = await saveSupplier(getDb(), { id, active: active === 'true', version, mode: 'update' }, { actor, idempotencyKey }).catch((e: unknown) => {
    throw placed(e);
  });
  return { message: r.active ? `Reactivated ${r.name}.` : `Deactivated ${r.name}: it is offered for no new orders; its orders stay.`, data: supplier(r) };
});

export const saveProductSupplierAction = protectedAction('manager', termsForm, async (f, { actor, idempotencyKey }) => {
  const { preferred, preferredShown, supplierId, ...rest } = f;
  const r = await saveProductSupplier(
    getDb(),
    { ...rest, supplierId: supplierId ?? 0, preferred: preferredShown ? preferred === 'on' || preferred === 'true' : undefined },
    { actor, idempotencyKey },
  ).catch((e: unknown) => {
    throw placeError(e, { not_found: 'supplierId' });
  });
  const { created, changed: _ch, ...terms } = r;
  return { message: `${created ? 'Added' : 'Saved'} ${r.supplier} for ${r.sku}${r.preferred ? ' (preferred)' : ''}.`, data: terms as ProductSupplierTerms };
});

export const removeProductSupplierAction = protectedAction('manager', termsRef, async (f, { actor, idempotencyKey }) => {
  const r = await removeProductSupplier(getDb(), { ...f, supplierId: f.supplierId ?? 0 }, { actor, idempotencyKey }).catch((e: unknown) => {
    throw placeError(e, { not_found: 'supplierId' });
  });
  return { message: r.removed ? `Removed the supplier from ${r.sku}.` : `That supplier was not on ${r.sku}.` };
});
