// Validators for the availability answer: an ETag is the answer's own hash, so the sidecar (from memory) and the
// app (from the database) give the same tag for the same figures, and a badge's If-None-Match works on either.
import { createHash } from 'node:crypto';

export function etagOf(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

export function matches(ifNoneMatch: string | string[] | null | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return String(ifNoneMatch)
    .split(',')
    .some((t) => {
      const tag = t.trim();
      return tag === '*' || tag === etag || tag === `W/${etag}`;
    });
}
