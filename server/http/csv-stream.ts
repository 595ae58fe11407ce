// A CSV download written as it is read: rows come from an async iterator (a keyset walk of the database) and leave
// through csv-stringify a chunk at a time, with the stream's backpressure, so a long export never sits in memory.
// RFC 4180 with CRLF records; a field with a comma, quote, CR or LF is quoted (csv-stringify quotes a bare LF only
// when asked: quoted_match), and text a spreadsheet would run as a formula is prefixed with ' (escape_formulas).
import '#server-only';
import { pipeline, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';

export type CsvCell = string | number | null | undefined;

export function csvStream(columns: string[], rows: AsyncIterable<CsvCell[]>): ReadableStream<Uint8Array> {
  const csv = pipeline(
    Readable.from(rows),
    stringify({ header: true, columns, record_delimiter: 'windows', quoted_match: /[\r\n]/, escape_formulas: true }),
    // The client already has the head of the file; a failure part way can only cut it short, and is logged.
    (err) => {
      if (err && err.code !== 'ERR_STREAM_PREMATURE_CLOSE') console.error('[csv] export failed part way:', err);
    },
  );
  return Readable.toWeb(csv) as ReadableStream<Uint8Array>;
}

// The headers of a download: an ASCII name for old clients, the exact one UTF-8 encoded (RFC 6266).
export function csvHeaders(name: string): HeadersInit {
  return {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${name.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    'Cache-Control': 'private, no-store',
  };
}
