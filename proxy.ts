// Every page gets a Content-Security-Policy with a fresh script nonce (Next puts it on its own scripts when it
// renders the page) and the realtime sidecar as the one other place it may connect to. API routes, static files
// and the embeddable paths are left to next.config.js's headers.
import { NextResponse, type NextRequest } from 'next/server';
import { pageContentSecurityPolicy, realtimePublicUrl } from '@/lib/security-headers';

export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.randomUUID()).toString('base64');
  const csp = pageContentSecurityPolicy({ nonce, realtimeUrl: realtimePublicUrl(), dev: process.env.NODE_ENV === 'development' });
  const headers = new Headers(request.headers);
  headers.set('Content-Security-Policy', csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('Content-Security-Policy', csp);
  return response;
}

export const config = {
  matcher: [{ source: '/((?!api/|_next/static|_next/image|favicon\\.ico|embed/).*)' }],
};
