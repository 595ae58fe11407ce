// Reads an uploaded CSV as a stream of records: never the whole file in memory. Bytes are counted against the
// upload bound, decoded as strict UTF-8 (a file saved in another encoding is refused, not misread) and parsed by
// csv-parse. A file that cannot be read (too large, not UTF-8, an unclosed quote) stops with an ImportFileError.
import '#server-only';
import { Readable, Transform, pipeline } from 'node:stream';
import { parse } from 'csv-parse';
import { MAX_IMPORT_MB } from '@/lib/contracts/imports';

export const MAX_IMPORT_BYTES = MAX_IMPORT_MB * 1024 * 1024;

export class ImportFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportFileError';
  }
}

export type CsvRecord = { line: number; cells: string[] };
export type ReadStats = { bytes: number };

class Utf8Bounded extends Transform {
  private decoder = new TextDecoder('utf-8', { fatal: true });
  private lines = 1;
  constructor(
    private maxBytes: number,
    private stats: ReadStats,
  ) {
    super({ readableObjectMode: false });
  }
  _transform(chunk: Buffer, _enc: BufferEncoding, done: (e?: Error | null, text?: string) => void) {
    this.stats.bytes += chunk.length;
    if (this.stats.bytes > this.maxBytes) {
      return done(new ImportFileError(`The file is larger than ${Math.round(this.maxBytes / 1024 / 1024)} MB: split it into smaller files.`));
    }
    try {
      const text = this.decoder.decode(chunk, { stream: true });
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.lines++;
      done(null, text);
    } catch {
      done(new ImportFileError(`The file is not UTF-8 text (near line ${this.lines}): save it as "CSV UTF-8" and upload it again.`));
    }
  }
  _flush(done: (e?: Error | null, text?: string) => void) {
    try {
      done(null, this.decoder.decode());
    } catch {
      done(new ImportFileError(`The file is not UTF-8 text (it ends inside a character): save it as "CSV UTF-8" and upload it again.`));
    }
  }
}

type ParsedRecord = { record: string[]; info: { lines: number } };

// Records with the line each starts on (a quoted cell may span lines). The header row is the first record.
export async function* readCsv(body: ReadableStream<Uint8Array> | Readable, stats: ReadStats, maxBytes = MAX_IMPORT_BYTES): AsyncGenerator<CsvRecord> {
  const source = body instanceof Readable ? body : Readable.fromWeb(body as import('node:stream/web').ReadableStream<Uint8Array>);
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true });
  pipeline(source, new Utf8Bounded(maxBytes, stats), parser, () => {});
  let lastLine = 0;
  try {
    for await (const r of parser as AsyncIterable<ParsedRecord>) {
      yield { line: lastLine + 1, cells: r.record };
      lastLine = r.info.lines;
    }
  } catch (e) {
    if (e instanceof ImportFileError) throw e;
    const code = (e as { code?: string }).code;
    if (code === 'CSV_QUOTE_NOT_CLOSED') {
      throw new ImportFileError(`A quoted cell opened after line ${lastLine} is never closed: the file ends inside quotes. Check the quotes on line ${lastLine + 1}.`);
    }
    if (code?.startsWith('CSV_') || code?.startsWith('INVALID_')) {
      const at = (e as { lines?: number }).lines;
      throw new ImportFileError(`The file is not valid CSV${at ? ` at line ${at}` : ''}: ${(e as Error).message.replace(/^[^:]*: /, '')}`);
    }
    throw e;
  } finally {
    source.destroy();
  }
}
