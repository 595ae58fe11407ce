// CORS for the public storefront endpoints: origins listed in ONHAND_STOREFRONT_ORIGINS (comma-separated, none by
// default) may read them from a browser. Keyed endpoints never answer CORS: API keys do not belong in browsers.
export function storefrontOrigins(): Set<string> {
  return new Set(
    (process.env.ONHAND_STOREFRONT_ORIGINS ?? '')
      .split(',')
      .map((s) => s.trim().replace(/\/+$/, ''))
      .filter(Boolean),
  );
}

export function isAllowedOrigin(origin: string | null): origin is string {
  return !!origin && storefrontOrigins().has(origin);
}

// Headers for an actual request; an unlisted origin gets none, and the browser keeps the answer from the page.
export function corsHeaders(request: Request): Record<string, string> {
  const origin = request.headers.get('origin');
  // Vary on every answer: a shared cache must not hand one origin's answer to another.
  const headers: Record<string, string> = { Vary: 'Origin' };
  if (isAllowedOrigin(origin)) {
    headers['Access-Control-Allow-Origin'] = origin;
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
