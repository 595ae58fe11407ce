// The Activity page's filtered result as a file: every matching row, newest first, streamed (see server/http/csv-stream.ts).
import '#server-only';
import type { Executor } from '@/db/client';
import type { ChangeActivityQuery, StockActivityQuery } from '@/lib/contracts/activity';
import { fieldChanges } from '@/lib/contracts/activity';
import { csvStream, type CsvCell } from '@/server/http/csv-stream';
import { allPages, changeActivity, stockActivity } from './activity';

const stockColumns = [
  'id', 'at', 'kind', 'sku', 'name', 'warehouse', 'location', 'on_hand_delta', 'reserved_delta', 'on_hand_after', 'reserved_after',
  'reason', 'reference_type', 'reference', 'order_reference', 'note', 'actor', 'command_id',
];

async function* stockRows(db: Executor, q: StockActivityQuery, batch?: number): AsyncGenerator<CsvCell[]> {
  for await (const r of allPages(stockActivity, db, q, batch)) {
    yield [
      r.id, r.at, r.kind, r.sku, r.name, r.warehouse, r.location, r.onHandDelta, r.reservedDelta, r.onHandAfter, r.reservedAfter,
      r.reasonCode, r.referenceType, r.referenceId, r.referenceLabel, r.note, r.actor, r.commandId,
    ];
  }
}

const changeColumns = ['id', 'at', 'entity', 'key', 'action', 'actor', 'command_id', 'changes'];
const json = (v: unknown) => (v === undefined ? '' : JSON.stringify(v));

async function* changeRows(db: Executor, q: ChangeActivityQuery, batch?: number): AsyncGenerator<CsvCell[]> {
  for await (const r of allPages(changeActivity, db, q, batch)) {
    // One cell for the diff, a line a field, as the page shows it.
    const diff = fieldChanges(r.before, r.after).map((f) => `${f.field}: ${json(f.before)} -> ${json(f.after)}`);
    yield [r.id, r.at, r.entity, r.key, r.action, r.actor, r.commandId, diff.join('\n')];
  }
}

// `batch`: rows read from the database at a time (the stream asks for the next batch as the client takes the last).
export function stockActivityCsv(db: Executor, q: StockActivityQuery, batch?: number): ReadableStream<Uint8Array> {
  return csvStream(stockColumns, stockRows(db, q, batch));
}

export function changeActivityCsv(db: Executor, q: ChangeActivityQuery, batch?: number): ReadableStream<Uint8Array> {
  return csvStream(changeColumns, changeRows(db, q, batch));
}
