// CORS for public endpoints. The availability endpoint follows its channel's origins (server/storefront/channels.ts);
// documents anyone may read (the OpenAPI spec) allow any origin. Keyed endpoints never answer CORS: keys do not
// belong in browsers.

// Headers for an actual request: an origin that may not read the answer gets none, and the browser keeps the
// answer from the page. Vary on every answer: a shared cache must not hand one origin's grant to another.
export function corsHeaders(allowOrigin: string | null): Record<string, string> {
  const headers: Record<string, string> = { Vary: 'Origin' };
  if (allowOrigin) {
    headers['Access-Control-Allow-Origin'] = allowOrigin;
    headers['Access-Control-Expose-Headers'] = 'ETag, Retry-After';
  }
  return headers;
}
