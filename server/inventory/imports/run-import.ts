// One CSV file, read once as a stream: each batch of rows is classified against the database (new, changed field
// by field, unchanged, refused) and, unless this is a dry run, written through the core's commands. The whole file
// is one transaction: a refused row anywhere, or a file that cannot be read, rolls back everything written before
// it, so a file applies whole or not at all. Unchanged rows write nothing, so the same file twice changes nothing.
import '#server-only';
import type { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import {
  importKinds,
  importPresets,
  REPORT_SAMPLE,
  type ColumnMapping,
  type ImportKind,
  type ImportPreset,
  type ImportReport,
} from '@/lib/contracts/imports';
import { runCommand, type CommandOptions } from '../kernel/command';
import { InventoryError } from '../kernel/errors';
import { ImportFileError, MAX_IMPORT_BYTES, readCsv, type ReadStats } from './csv-reader';
import { locationRows } from './location-rows';
import { rememberedMapping, rememberMapping } from './mappings';
import { detectPreset, headerHash, makeShaper, suggestMapping } from './presets';
import { productRows } from './product-rows';
import type { PendingRow, PendingWrite, RowKind } from './row-kind';
import { stockRows } from './stock-rows';

// Rows classified and written together: each batch costs a few statements whatever its size.
const BATCH = 1_000;
const ANALYZE_FIRST = 5_000;
const analyzed: Record<ImportKind, string[]> = {
  products: ['products'],
  locations: ['locations'],
  stock: ['stock_levels', 'stock_movements'],
};

export type ImportRequest = {
  kind: ImportKind;
  // Omitted: detected from the header row (a Shopify or WooCommerce export), else columns as named.
  preset?: ImportPreset;
  // Omitted: the mapping remembered for this file shape, else the preset's, else one suggested from header names.
  mapping?: ColumnMapping;
  dryRun: boolean;
  // Shown on the ledger rows of a stock import (the file's name).
  reference?: string | null;
  maxBytes?: number;
  onProgress?: (p: { rows: number; bytes: number }) => void;
};

const importMeta = z.object({ kind: z.enum(importKinds), preset: z.enum(importPresets).optional(), dryRun: z.boolean() });

// A refusal found while applying: thrown to roll the transaction back, caught below to answer the report.
class RolledBack extends Error {
  constructor(readonly report: ImportReport) {
    super('import rolled back');
  }
}

export async function runImport(db: Db, body: ReadableStream<Uint8Array> | Readable, req: ImportRequest, opts: CommandOptions): Promise<ImportReport> {
  const report: ImportReport = {
    kind: req.kind,
    preset: req.preset ?? 'columns',
    dryRun: req.dryRun,
    applied: false,
    headers: [],
    headerHash: '',
    mapping: { columns: {}, fixed: {} },
    rows: 0,
    counts: { new: 0, changed: 0, unchanged: 0, refused: 0, ignored: 0 },
    new: [],
    changed: [],
    refused: [],
    fatal: null,
  };
  const stats: ReadStats = { bytes: 0 };
  let entered = false;
  try {
    // No idempotency record: its request hash could not cover a streamed file, and an import is idempotent by nature.
    const commandOpts = { ...opts, idempotencyKey: undefined };
    await runCommand(db, { name: 'importFile', schema: importMeta }, { kind: req.kind, preset: req.preset, dryRun: req.dryRun }, commandOpts, async (tx, _i, ctx) => {
      // The body is a stream: it cannot be read a second time, so a retried transaction fails instead.
      if (entered) throw new InventoryError('conflict', 'The import met a concurrent change and was rolled back; upload the file again.', {});
      entered = true;
      const records = readCsv(body, stats, req.maxBytes ?? MAX_IMPORT_BYTES);
      const first = await records.next();
      if (first.done) throw new ImportFileError('The file is empty: it needs a header row and at least one row.');
      const headers = first.value.cells.map((h) => h.trim());
      report.headers = headers;
      report.headerHash = headerHash(headers);
      const preset = req.preset ?? detectPreset(req.kind, headers);
      report.preset = preset;
      const mapping = req.mapping ?? (preset === 'columns' ? await rememberedMapping(tx, report.headerHash, req.kind) : null) ?? suggestMapping(req.kind, preset, headers);
      report.mapping = mapping;
      const shaper = makeShaper(req.kind, preset, headers, mapping);
      const kind: RowKind = req.kind === 'products' ? productRows() : req.kind === 'locations' ? locationRows() : stockRows(req.reference ?? null);
      // Planner statistics for the tables the import reads row by row: a shop moving in starts with an empty
      // catalogue, and a plan made for an empty table (a scan per lookup) turns 100,000 rows quadratic. ANALYZE in
      // the transaction counts its own new rows too, so it is run again as they grow: each time the rows written
      // double (5,000, 10,000, 20,000 ...), since a plan only needs the table's size right within a factor.
      const analyze = () => tx.execute(sql.raw(`ANALYZE ${analyzed[req.kind].join(', ')}`));
      // Only when applying: ANALYZE writes, and a transaction that writes delays replication slot creation (a
      // dry run writes nothing at all, so it never holds up a reconnecting sidecar).
      if (!req.dryRun) {
        await analyze();
        await kind.prepare?.(tx);
      }
      let written = 0;
      let analyzeAt = ANALYZE_FIRST;
      let batch: PendingRow[] = [];
      const flush = async () => {
        const classified = await kind.classify(tx, batch);
        batch = [];
        classified.sort((a, b) => a.line - b.line);
        const writes: PendingWrite[] = [];
        for (const c of classified) {
          if (c.outcome === 'refused') {
            report.counts.refused++;
            if (report.refused.length < REPORT_SAMPLE) report.refused.push({ line: c.line, key: c.key, reason: c.reason });
            continue;
          }
          report.counts[c.outcome]++;
          if (c.outcome === 'unchanged') continue;
          if (c.outcome === 'new' && report.new.length < REPORT_SAMPLE) report.new.push({ line: c.line, key: c.key, values: c.values });
          if (c.outcome === 'changed' && report.changed.length < REPORT_SAMPLE) report.changed.push({ line: c.line, key: c.key, changes: c.changes });
          // Once any row is refused nothing more is written: the file will be rolled back whole.
          if (req.dryRun || report.counts.refused) continue;
          writes.push({ line: c.line, key: c.key, write: c.write });
        }
        // The batch's rows were checked against each other and the database above; the core writes them together.
        if (writes.length && !report.counts.refused) {
          for (const r of await kind.write(tx, ctx, writes)) {
            report.counts.refused++;
            if (report.refused.length < REPORT_SAMPLE) report.refused.push(r);
          }
        }
        written += writes.length;
        if (written >= analyzeAt) {
          await analyze();
          analyzeAt = written * 2;
        }
        req.onProgress?.({ rows: report.rows, bytes: stats.bytes });
      };
      for await (const rec of records) {
        report.rows++;
        const shaped = shaper.assemble(rec.cells, rec.line);
        if ('ignore' in shaped) report.counts.ignored++;
        else if ('refuse' in shaped) {
          report.counts.refused++;
          if (report.refused.length < REPORT_SAMPLE) report.refused.push({ line: rec.line, key: null, reason: `line ${rec.line} ${shaped.refuse}` });
        } else batch.push({ line: rec.line, fields: shaped.fields });
        if (batch.length >= BATCH) await flush();
      }
      if (batch.length) await flush();
      if (report.rows === 0) throw new ImportFileError('The file has a header row but no rows.');
      if (req.dryRun || report.counts.refused) throw new RolledBack(report);
      if (preset === 'columns' && req.mapping) await rememberMapping(tx, report.headerHash, req.kind, mapping, ctx);
      report.applied = true;
    });
  } catch (e) {
    if (e instanceof ImportFileError) {
      report.fatal = e.message;
      report.applied = false;
      return report;
    }
    if (!(e instanceof RolledBack)) throw e;
  }
  req.onProgress?.({ rows: report.rows, bytes: stats.bytes });
  return report;
}
