import { unstable_rethrow } from 'next/navigation';
import { getDb } from '@/db/client';
import { importQuery, type ImportProgressLine } from '@/lib/contracts/imports';
import { errorResponse, parseQuery } from '@/server/adapters/middle';
import { uploadBody } from '@/server/api/import-upload';
import { requireRole } from '@/server/auth/session';
import { runImport } from '@/server/inventory/imports/run-import';

export const dynamic = 'force-dynamic';

// The Import page's upload: the CSV as the body, answered as a stream of JSON lines (progress after every batch,
// then the report) so a large file shows how far it has got while it is read and written.
export async function POST(req: Request): Promise<Response> {
  const url = new URL(req.url);
  try {
    const user = await requireRole('manager');
    const query = parseQuery(importQuery, url, 'The query is not valid.');
    const body = uploadBody(req);
    const encoder = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        const send = (line: ImportProgressLine) => controller.enqueue(encoder.encode(JSON.stringify(line) + '\n'));
        try {
          const report = await runImport(
            getDb(),
            body,
            { ...query, reference: query.reference ?? null, onProgress: (progress) => send({ progress }) },
            { actor: { kind: 'user', id: user.id, label: user.email } },
          );
          send({ report });
        } catch (e) {
          console.error('[import] failed', e);
          send({ error: 'The import failed and nothing was written. Try again.' });
        }
        controller.close();
      },
    });
    return new Response(stream, { headers: { 'Content-Type': 'application/x-ndjson; charset=utf-8', 'Cache-Control': 'private, no-store' } });
  } catch (e) {
    unstable_rethrow(e);
    return errorResponse(e, `${req.method} ${url.pathname}`, 'Try again.');
  }
}
