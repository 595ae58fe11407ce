// Bin rows: warehouse, code, kind, sellable, pick order, active. Written by the bins' own save (audit rows, case
// clashes within a warehouse, the rules for deactivating a bin that holds stock).
import '#server-only';
import { and, inArray } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { locations, warehouses } from '@/db/schema';
import { locationKinds } from '@/lib/contracts/locations';
import { binFields, binKey, saveLocationIn, saveLocationInput, toBin } from '../commands/locations';
import { InventoryError } from '../kernel/errors';
import { locationCode, warehouseCode } from '../kernel/schemas';
import { checked, flag, given, text, whole, type Reasons } from './cells';
import { diff, refused, type Classified, type PendingRow, type Refusal, type RowKind } from './row-kind';

export function locationRows(): RowKind {
  const seen = new Map<string, number>();
  return {
    async classify(tx, batch) {
      const read = batch.map((row) => readRow(row, seen));
      const codes = [...new Set(read.flatMap((r) => (r.warehouse ? [r.warehouse] : [])))];
      const whs = codes.length ? await tx.select().from(warehouses).where(inArray(warehouses.code, codes)) : [];
      const whByCode = new Map(whs.map((w) => [w.code, w]));
      const bins = whs.length
        ? await tx
            .select()
            .from(locations)
            .where(and(inArray(locations.warehouseId, whs.map((w) => w.id)), inArray(locations.code, read.flatMap((r) => (r.code ? [r.code] : [])))))
        : [];
      const binAt = new Map(bins.map((b) => [`${b.warehouseId}:${b.code}`, b]));
      return read.map(({ line, warehouse, code, values, reasons }): Classified => {
        const key = warehouse && code ? binKey(warehouse, code) : null;
        const wh = warehouse ? whByCode.get(warehouse) : undefined;
        if (warehouse && !wh) reasons.push(`unknown warehouse ${warehouse}`);
        const current = wh && code ? binAt.get(`${wh.id}:${code}`) : undefined;
        if (wh && !current && values.kind === undefined && !reasons.length) reasons.push('kind is required for a new bin');
        if (reasons.length || !key || !wh) return refused(line, key, reasons);
        const write = saveLocationInput.parse({ warehouse, code, ...values, mode: 'upsert' });
        if (!current) return { line, key, outcome: 'new', values: { ...values }, write };
        const changes = diff(toBin(wh.code, current), values);
        return changes.length ? { line, key, outcome: 'changed', changes, write } : { line, key, outcome: 'unchanged' };
      });
    },
    // Bin files are small (a warehouse's bins): row by row, pipelined on the transaction's connection.
    async write(tx, ctx, rows) {
      const refused: Refusal[] = [];
      await Promise.all(
        rows.map((r) =>
          saveLocationIn(tx, r.write as ReturnType<typeof saveLocationInput.parse>, ctx).catch((e: unknown) => {
            if (!(e instanceof InventoryError)) throw e;
            refused.push({ line: r.line, key: r.key, reason: e.message });
          }),
        ),
      );
      return refused.sort((a, b) => a.line - b.line);
    },
  };
}

function readRow({ line, fields }: PendingRow, seen: Map<string, number>) {
  const reasons: Reasons = [];
  const warehouse = checked(warehouseCode, text(fields.warehouse, 'warehouse', reasons), 'warehouse', reasons);
  const code = checked(locationCode, text(fields.code, 'bin code', reasons), 'bin code', reasons);
  if (given(fields.warehouse) === undefined) reasons.push('warehouse is empty');
  if (given(fields.code) === undefined) reasons.push('bin code is empty');
  if (warehouse && code) {
    const first = seen.get(binKey(warehouse, code));
    if (first !== undefined) reasons.push(`duplicate bin ${warehouse} ${code} in the file (first at line ${first})`);
    else seen.set(binKey(warehouse, code), line);
  }
  const kindText = text(fields.kind, 'kind', reasons)?.toLowerCase();
  if (kindText !== undefined && !(locationKinds as readonly string[]).includes(kindText)) reasons.push(`kind "${kindText}" is not one of ${locationKinds.join(', ')}`);
  const values = {
    kind: kindText !== undefined && (locationKinds as readonly string[]).includes(kindText) ? (kindText as (typeof locationKinds)[number]) : undefined,
    sellable: checked(binFields.sellable, flag(fields.sellable, 'sellable', reasons), 'sellable', reasons),
    pickOrder: checked(binFields.pickOrder, whole(fields.pickOrder, 'pick order', reasons), 'pick order', reasons),
    active: flag(fields.active, 'active', reasons),
  };
  for (const k of Object.keys(values) as (keyof typeof values)[]) if (values[k] === undefined) delete values[k];
  return { line, warehouse, code, values, reasons };
}
