// What each kind of import (products, bins, stock) provides to the run: classify a batch of rows against the
// database (new, changed field by field, unchanged, refused with reasons), then write the ones to write.
import '#server-only';
import type { Tx } from '@/db/client';
import type { CommandContext } from '../kernel/clock';
import type { RowFields } from './presets';

export type PendingRow = { line: number; fields: RowFields };
export type FieldChange = { field: string; from: unknown; to: unknown };

export type Classified =
  | { line: number; key: string; outcome: 'new'; values: Record<string, unknown>; write: unknown }
  | { line: number; key: string; outcome: 'changed'; changes: FieldChange[]; write: unknown }
  | { line: number; key: string; outcome: 'unchanged' }
  | { line: number; key: string | null; outcome: 'refused'; reason: string };

export type RowKind = {
  classify(tx: Tx, batch: PendingRow[]): Promise<Classified[]>;
  // Before anything is written (only when applying): locks that make classify's checks hold until commit.
  prepare?(tx: Tx): Promise<void>;
  // Writes a batch's new and changed rows through the core; answers the rows the core refused (then the file is
  // rolled back whole, so a refused batch may have written the rest of its rows).
  write(tx: Tx, ctx: CommandContext, rows: PendingWrite[]): Promise<Refusal[]>;
};

export type PendingWrite = { line: number; key: string; write: unknown };
export type Refusal = { line: number; key: string | null; reason: string };

export const refused = (line: number, key: string | null, reasons: string[]): Classified => ({ line, key, outcome: 'refused', reason: reasons.join('; ') });

// Field-by-field differences between what is stored and what the file says (fields it leaves empty keep their value).
export function diff(current: Record<string, unknown>, next: Record<string, unknown>): FieldChange[] {
  return Object.entries(next)
    .filter(([k, v]) => v !== undefined && JSON.stringify(v) !== JSON.stringify(current[k]))
    .map(([field, to]) => ({ field, from: current[field], to }));
}
