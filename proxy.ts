// Every page gets a Content-Security-Policy with a fresh script nonce (Next puts it on its own scripts when it
// renders the page) and the realtime sidecar as the one other place it may connect to. API routes, static files
// and the embeddable paths are left to next.config.js's headers.
// A POST to a page is a server action (called by the app's JavaScript, or a form posted before hydration): from
// another origin it is refused here with a 403, before Next's own origin check, which refuses it too but answers
// 500 as if the server had failed.
import { NextResponse, type NextRequest } from 'next/server';
import { pageContentSecurityPolicy, realtimePublicUrl } from '@/lib/security-headers';

export function proxy(request: NextRequest) {
  if (request.method === 'POST' && !sameOrigin(request)) {
    return new NextResponse('Cross-origin server action refused: this form can only be sent from the Onhand app itself.', {
      status: 403,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  }
  const nonce = Buffer.from(crypto.randomUUID()).toString('base64');
  const csp = pageContentSecurityPolicy({ nonce, realtimeUrl: realtimePublicUrl(), dev: process.env.NODE_ENV === 'development' });
  const headers = new Headers(request.headers);
  headers.set('Content-Security-Policy', csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('Content-Security-Policy', csp);
  return response;
}

// The same rule as Next's: the Origin's host must be the host the request was sent to (behind a proxy, the
// forwarded one). A request without Origin is not from a browser form or fetch, so it is left to Next.
function sameOrigin(request: NextRequest): boolean {
  const origin = request.headers.get('origin');
  if (origin === null) return true;
  const host = request.headers.get('x-forwarded-host')?.split(',')[0].trim() || request.headers.get('host');
  try {
    return new URL(origin).host === host;
  } catch {
    return false; // "null" (a sandboxed or privacy-sensitive context) or garbage
  }
}

export const config = {
  matcher: [{ source: '/((?!api/|_next/static|_next/image|favicon\\.ico|embed/).*)' }],
};
