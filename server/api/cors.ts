// CORS for the public storefront endpoints: origins listed in ONHAND_STOREFRONT_ORIGINS (comma-separated, none by
// default; `*` for any) may read them from a browser. Keyed endpoints never answer CORS: keys do not belong in browsers.
const ANY = '*';

export function storefrontOrigins(): Set<string> {
  return new Set(
    (process.env.ONHAND_STOREFRONT_ORIGINS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map(normalize),
  );
}

// As browsers send it: scheme://host[:port], lower case, no path or trailing slash.
function normalize(origin: string): string {
  if (origin === ANY) return ANY;
  try {
    return new URL(origin).origin;
  } catch {
    return origin;
  }
}

// The Access-Control-Allow-Origin value for this request's origin, or null when it may not read the answer.
export function allowedOrigin(origin: string | null): string | null {
  if (!origin) return null;
  const allowed = storefrontOrigins();
  if (allowed.has(ANY)) return ANY;
  return allowed.has(normalize(origin)) ? origin : null;
}

// Headers for an actual request; an unlisted origin gets none, and the browser keeps the answer from the page.
export function corsHeaders(request: Request): Record<string, string> {
  const allow = allowedOrigin(request.headers.get('origin'));
  // Vary on every answer: a shared cache must not hand one origin's answer to another.
  const headers: Record<string, string> = { Vary: 'Origin' };
  if (allow) {
    headers['Access-Control-Allow-Origin'] = allow;
    headers['Access-Control-Expose-Headers'] = 'ETag, Retry-After';
  }
  return headers;
}

export function preflightResponse(request: Request, methods: string[]): Response {
  const headers = new Headers(corsHeaders(request));
  if (headers.has('Access-Control-Allow-Origin')) {
    headers.set('Access-Control-Allow-Methods', [...methods, 'OPTIONS'].join(', '));
    headers.set('Access-Control-Allow-Headers', 'If-None-Match, Content-Type');
    headers.set('Access-Control-Max-Age', '600');
  }
  return new Response(null, { status: 204, headers });
}
