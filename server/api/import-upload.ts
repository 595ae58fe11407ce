// An uploaded CSV as the import reads it: the body stream itself (never buffered), refused up front when its
// declared size is over the bound; the stream is counted too, for uploads that declare no size.
import '#server-only';
import { MAX_IMPORT_MB } from '@/lib/contracts/imports';
import { Refusal } from '@/server/adapters/middle';
import { MAX_IMPORT_BYTES } from '@/server/inventory/imports/csv-reader';

export function uploadBody(request: Request): ReadableStream<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > MAX_IMPORT_BYTES) {
    throw new Refusal('payload_too_large', 413, `The file is larger than ${MAX_IMPORT_MB} MB: split it into smaller files.`, { limit: MAX_IMPORT_BYTES });
  }
  if (!request.body) throw new Refusal('validation_failed', 400, 'Send the CSV file as the request body.', { errors: [{ field: 'body', message: 'is empty' }] });
  return request.body;
}
