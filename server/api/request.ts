// Reading what an API request carries: a size-limited JSON body, the API key and the Idempotency-Key header.
import { Refusal } from '@/server/adapters/middle';
import { MAX_IDEMPOTENCY_KEY_LENGTH } from '@/server/inventory/kernel/schemas';

export { MAX_IDEMPOTENCY_KEY_LENGTH };
export const MAX_BODY_BYTES = 64 * 1024;

const malformed = (message: string) =>
  new Refusal('validation_failed', 400, `The body is not valid JSON: ${message}`, { errors: [{ field: 'body', message }] });

const tooLarge = () =>
  new Refusal('payload_too_large', 413, `The body is larger than ${MAX_BODY_BYTES / 1024} KiB.`, { limit: MAX_BODY_BYTES });

// Streams the body and stops at the limit, so a huge or endless upload costs no more than the limit in memory.
export async function readJsonBody(request: Request, limit = MAX_BODY_BYTES): Promise<unknown> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > limit) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => {});
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw malformed('it is not UTF-8 text');
  }
  if (!text.trim()) throw malformed('it is empty; send a JSON object');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw malformed((e as Error).message);
  }
}

// The token of an `Authorization: Bearer <token>` header, if the request has one.
export function bearerToken(request: Request): string | undefined {
  return request.headers.get('authorization')?.match(/^Bearer[ ]+(\S+)[ ]*$/i)?.[1];
}

// Required on every POST, so a retry after a timeout can never apply a change twice.
export function idempotencyKeyOf(request: Request): string {
  const key = request.headers.get('idempotency-key')?.trim();
  const header = (message: string) =>
    new Refusal('validation_failed', 400, `Idempotency-Key header ${message}.`, { errors: [{ field: 'Idempotency-Key', message }] });
  if (!key) throw header('is required: send a unique value (a UUID) per change, and the same value when you retry it');
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH) throw header(`must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`);
  return key;
}
