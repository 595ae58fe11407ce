// The app's security headers, in one place: next.config.js sets the static ones on every answer, proxy.ts the
// Content-Security-Policy of each page (its script nonce is per request, and the realtime sidecar's address is
// read at run time). Embeddable paths (the storefront badge, public availability) may be framed by storefronts.

export const EMBEDDABLE_PREFIXES = ['/embed/', '/api/v1/availability'];

export function realtimePublicUrl(): string {
  return process.env.REALTIME_PUBLIC_URL ?? `http://localhost:${process.env.REALTIME_PORT ?? 3001}`;
}

// The sidecar as a browser reaches it: Socket.IO polls over http(s) and upgrades to ws(s).
function realtimeSources(url: string): string[] {
  try {
    const u = new URL(url);
    return [u.origin, `${u.protocol === 'https:' ? 'wss' : 'ws'}://${u.host}`];
  } catch {
    return [];
  }
}

export function pageContentSecurityPolicy(opts: { nonce: string; realtimeUrl: string; dev: boolean }): string {
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    // Next's own scripts carry the nonce; what they load is trusted through 'strict-dynamic'. React needs eval in dev only.
    // 'wasm-unsafe-eval' lets the camera's barcode decoder (WebAssembly) compile; it allows no JavaScript eval.
    'script-src': ["'self'", `'nonce-${opts.nonce}'`, "'strict-dynamic'", "'wasm-unsafe-eval'", ...(opts.dev ? ["'unsafe-eval'"] : [])],
    // Style attributes (charts, progress bars) are inline.
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'", ...realtimeSources(opts.realtimeUrl), ...(opts.dev ? ['ws:', 'wss:'] : [])],
    'frame-ancestors': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'object-src': ["'none'"],
  };
  return Object.entries(directives)
    .map(([k, v]) => `${k} ${v.join(' ')}`)
    .join('; ');
}
