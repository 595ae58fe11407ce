import { importQuery, importReportSchema } from '@/lib/contracts/imports';
import { Refusal } from '@/server/adapters/middle';
import { apiRoute, respond } from '@/server/api/api-route';
import { uploadBody } from '@/server/api/import-upload';
import { runImport } from '@/server/inventory/imports/run-import';

export const dynamic = 'force-dynamic';

// A CSV body: a dry run answers the report; an apply answers it once the whole file is written, or 422 with the
// report (refused rows by line, or why the file cannot be read) and nothing written.
export const POST = apiRoute({
  scope: 'catalog:write',
  query: importQuery,
  handler: async ({ request, query, db, opts }) => {
    const report = await runImport(db, uploadBody(request), { ...query, reference: query.reference ?? null }, opts);
    if (report.fatal) throw new Refusal('validation_failed', 422, report.fatal, { report });
    if (!report.dryRun && !report.applied) {
      throw new Refusal('validation_failed', 422, `${report.counts.refused} row${report.counts.refused === 1 ? ' was' : 's were'} refused: nothing was written.`, { report });
    }
    return respond(importReportSchema, report);
  },
});
