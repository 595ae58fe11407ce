import type { z } from 'zod';
import { getDb } from '@/db/client';
import { changeActivityQuerySchema, stockActivityQuerySchema } from '@/lib/contracts/activity';
import { hasRole } from '@/lib/contracts/roles';
import { currentUser } from '@/server/auth/session';
import { csvHeaders } from '@/server/http/csv-stream';
import { changeActivityCsv, stockActivityCsv } from '@/server/inventory/read/activity-csv';

const plain = (status: number, text: string) => new Response(`${text}\n`, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });

// The Activity page's filtered result, every page of it, as a streamed file. It answers text/csv, so it makes the
// page's checks itself, in the same order: session, role, then the filters (a bad one is named, never a 500).
export async function GET(req: Request): Promise<Response> {
  const user = await currentUser();
  if (!user) return plain(401, 'Sign in to export activity.');
  if (!hasRole(user.role, 'manager')) return plain(403, `This needs the manager role; you are signed in as ${user.role}.`);
  const params = Object.fromEntries(new URL(req.url).searchParams);
  // The whole result: a page cursor in a shared link does not cut the file short.
  delete params.before;
  const view = params.view === 'changes' ? 'changes' : 'stock';
  const stamp = new Date().toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
  const name = `onhand-${view === 'changes' ? 'changes' : 'ledger'}-${stamp}.csv`;
  if (view === 'changes') {
    const q = changeActivityQuerySchema.safeParse(params);
    return q.success ? new Response(changeActivityCsv(getDb(), q.data), { headers: csvHeaders(name) }) : invalid(q.error);
  }
  const q = stockActivityQuerySchema.safeParse(params);
  return q.success ? new Response(stockActivityCsv(getDb(), q.data), { headers: csvHeaders(name) }) : invalid(q.error);
}

function invalid(error: z.ZodError): Response {
  return plain(400, `The filters are not valid: ${error.issues.map((i) => `${i.path.join('.') || 'filters'} ${i.message}`).join('; ')}.`);
}
