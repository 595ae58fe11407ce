import { unstable_rethrow } from 'next/navigation';
import { getDb } from '@/db/client';
import { changeActivityQuerySchema, stockActivityQuerySchema } from '@/lib/contracts/activity';
import { errorResponse, parseQuery } from '@/server/adapters/middle';
import { requireRole } from '@/server/auth/session';
import { csvHeaders } from '@/server/http/csv-stream';
import { changeActivityCsv, stockActivityCsv } from '@/server/inventory/read/activity-csv';

// The Activity page's filtered result, every page of it, as a streamed file. The checks of a dashboard read, in
// the same order (session, role, then the filters, a bad one named in problem+json), but the answer is text/csv.
export async function GET(req: Request): Promise<Response> {
  const url = new URL(req.url);
  try {
    await requireRole('manager');
    // The whole result: a page cursor in a shared link does not cut the file short.
    url.searchParams.delete('before');
    const stamp = new Date().toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
    if (url.searchParams.get('view') === 'changes') {
      const q = parseQuery(changeActivityQuerySchema, url, 'The filters are not valid.');
      return new Response(changeActivityCsv(getDb(), q), { headers: csvHeaders(`onhand-changes-${stamp}.csv`) });
    }
    const q = parseQuery(stockActivityQuerySchema, url, 'The filters are not valid.');
    return new Response(stockActivityCsv(getDb(), q), { headers: csvHeaders(`onhand-ledger-${stamp}.csv`) });
  } catch (e) {
    unstable_rethrow(e);
    return errorResponse(e, `GET ${url.pathname}`, 'Try again.');
  }
}
