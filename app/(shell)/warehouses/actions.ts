'use server';

import { z } from 'zod';
import { getDb } from '@/db/client';
import type { Bin, WarehouseMaster } from '@/lib/contracts/locations';
import { protectedAction } from '@/server/auth/action';
import { blankAsMissing, placeError } from '@/server/dashboard/form-fields';
import { createBinsByPattern, saveLocation, type CreateBinsResult, type SaveLocationResult } from '@/server/inventory/commands/locations';
import { saveWarehouse, type SaveWarehouseResult } from '@/server/inventory/commands/warehouses';

// The forms send text; the core's own schemas check every value and name the field (saveWarehouse, saveLocation).
const number = (what: string) => z.preprocess(blankAsMissing, z.coerce.number({ error: `${what} must be a number` }).optional());
const optionalText = z.preprocess(blankAsMissing, z.string().optional());
// A checkbox sends its value only when ticked; `sellable-present` says the form had one.
const checkbox = z.string().optional();

const warehouseForm = z.object({ code: z.string().default(''), name: optionalText, version: number('version') });
const warehouseFlag = z.object({ code: z.string().default(''), active: z.enum(['true', 'false']), version: number('version') });
const binForm = z.object({
  warehouse: z.string().default(''),
  code: z.string().default(''),
  kind: optionalText,
  sellable: checkbox,
  sellableShown: checkbox,
  pickOrder: number('pick order'),
  version: number('version'),
});
const binFlag = z.object({ warehouse: z.string().default(''), code: z.string().default(''), active: z.enum(['true', 'false']), version: number('version') });
const patternForm = z.object({
  warehouse: z.string().default(''),
  s1: z.string().default(''),
  s2: z.string().default(''),
  s3: z.string().default(''),
  s4: z.string().default(''),
  separator: z.string().default('-'),
  kind: optionalText,
});

const placed = (e: unknown) => placeError(e, { not_found: 'code' });
// The core names a pattern's segments by position; the form's fields are s1 … s4.
const segmentFields = { 'segments.0': 's1', 'segments.1': 's2', 'segments.2': 's3', 'segments.3': 's4' };
const warehouse = ({ created: _c, changed: _ch, ...w }: SaveWarehouseResult): WarehouseMaster => w;
const bin = ({ created: _c, changed: _ch, ...b }: SaveLocationResult): Bin => b;
const sellableOf = (f: { sellable?: string; sellableShown?: string }) => (f.sellableShown ? f.sellable === 'on' || f.sellable === 'true' : undefined);

export const createWarehouseAction = protectedAction('manager', warehouseForm, async ({ code, name }, { actor, idempotencyKey }) => {
  const r = await saveWarehouse(getDb(), { code, name: name ?? '', mode: 'create' }, { actor, idempotencyKey }).catch((e: unknown) => {
    throw placed(e);
  });
  return { message: `Created warehouse ${r.code}.`, data: warehouse(r) };
});

export const renameWarehouseAction = protectedAction('manager', warehouseForm, async ({ code, name, version }, { actor, idempotencyKey }) => {
  const r = await saveWarehouse(getDb(), { code, name: name ?? '', version, mode: 'update' }, { actor, idempotencyKey }).catch((e: unknown) => {
    throw placed(e);
  });
  return { message: r.changed ? `Renamed ${r.code} to ${r.name}.` : `Nothing to save: ${r.code} is as it was.`, data: warehouse(r) };
});

export const setWarehouseActiveAction = protectedAction('manager', warehouseFlag, async ({ code, active, version }, { actor, idempotencyKey }) => {
  const r = await saveWarehouse(getDb(), { code, active: active === 'true', version, mode: 'update' }, { actor, idempotencyKey }).catch((e: unknown) => {
    throw placed(e);
  });
  return { message: r.active ? `Reactivated ${r.code}.` : `Deactivated ${r.code}: it takes no new stock and leaves the floor screens; its history stays.`, data: warehouse(r) };
});

export const createBinAction = protectedAction('manager', binForm, async (f, { actor, idempotencyKey }) => {
  const r = await saveLocation(
    getDb(),
    { warehouse: f.warehouse, code: f.code, kind: f.kind as Bin['kind'] | undefined, sellable: sellableOf(f), pickOrder: f.pickOrder, mode: 'create' },
    { actor, idempotencyKey },
  ).catch((e: unknown) => {
    throw placed(e);
  });
  return { message: `Created bin ${r.code} (${r.kind}${r.sellable ? ', sellable' : ''}, pick order ${r.pickOrder}).`, data: bin(r) };
});

export const saveBinAction = protectedAction('manager', binForm, async (f, { actor, idempotencyKey }) => {
  const r = await saveLocation(
    getDb(),
    { warehouse: f.warehouse, code: f.code, kind: f.kind as Bin['kind'] | undefined, sellable: sellableOf(f), pickOrder: f.pickOrder, version: f.version, mode: 'update' },
    { actor, idempotencyKey },
  ).catch((e: unknown) => {
    throw placed(e);
  });
  return { message: r.changed ? `Saved ${r.code} (version ${r.version}).` : `Nothing to save: ${r.code} is as it was.`, data: bin(r) };
});

export const setBinActiveAction = protectedAction('manager', binFlag, async ({ warehouse: wh, code, active, version }, { actor, idempotencyKey }) => {
  const r = await saveLocation(getDb(), { warehouse: wh, code, active: active === 'true', version, mode: 'update' }, { actor, idempotencyKey }).catch((e: unknown) => {
    throw placed(e);
  });
  return { message: r.active ? `Reactivated ${r.code}.` : `Deactivated ${r.code}: it takes no new stock; its history stays.`, data: bin(r) };
});

export const createBinsByPatternAction = protectedAction('manager', patternForm, async (f, { actor, idempotencyKey }): Promise<{ message: string; data: CreateBinsResult }> => {
  const r = await createBinsByPattern(
    getDb(),
    { warehouse: f.warehouse, segments: [f.s1, f.s2, f.s3, f.s4], separator: f.separator, kind: (f.kind ?? '') as Bin['kind'] },
    { actor, idempotencyKey },
  ).catch((e: unknown) => {
    throw placeError(e, { not_found: 'warehouse' }, segmentFields);
  });
  const n = r.created.length;
  return { message: `Created ${n} bin${n === 1 ? '' : 's'}: ${r.created[0]}${n > 1 ? ` … ${r.created[n - 1]}` : ''}.`, data: r };
});
