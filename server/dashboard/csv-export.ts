// A CSV download streamed as it is read (csv-stringify over batched reads), for the dashboard's exports. Session
// and role first, then the query, as every dashboard read; text that a spreadsheet would run is neutralised by
// the same rule as every other export (lib/csv.ts).
import 'server-only';
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { unstable_rethrow } from 'next/navigation';
import type { z } from 'zod';
import type { Role } from '@/db/schema';
import { neutraliseFormula, type Cell } from '@/lib/csv';
import { errorResponse, parseQuery } from '@/server/adapters/middle';
import { requireRole } from '@/server/auth/session';

export function csvExportRoute<S extends z.ZodType>(
  role: Role,
  query: S,
  file: (q: z.output<S>) => { name: string; header: string[]; rows: AsyncIterable<Cell[]> },
) {
  return async (req: Request): Promise<Response> => {
    const url = new URL(req.url);
    try {
      await requireRole(role);
      const { name, header, rows } = file(parseQuery(query, url, 'The query is not valid.'));
      const csv = stringify({
        header: true,
        columns: header,
        record_delimiter: 'windows',
        cast: { string: neutraliseFormula, boolean: (b) => (b ? 'true' : 'false'), date: (d) => d.toISOString() },
      });
      const source = Readable.from(rows);
      source.on('error', (e) => csv.destroy(e));
      source.pipe(csv);
      return new Response(Readable.toWeb(csv) as ReadableStream<Uint8Array>, {
        headers: {
          'Content-Type': 'text/csv; charset=utf-8',
          'Content-Disposition': `attachment; filename="${name.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`,
          'Cache-Control': 'private, no-store',
        },
      });
    } catch (e) {
      unstable_rethrow(e);
      return errorResponse(e, `${req.method} ${url.pathname}`, 'Try again.');
    }
  };
}
