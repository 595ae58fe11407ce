// Mints the short-lived socket token for the signed-in user and says where the sidecar is. POST, so nothing
// caches or prefetches it; the session cookie (SameSite=Lax) is what identifies the caller.
import { getDb } from '@/db/client';
import type { RealtimeTokenResponse } from '@/lib/contracts/realtime';
import { realtimePublicUrl } from '@/lib/security-headers';
import { authSecret } from '@/server/auth/config';
import { hasRole } from '@/lib/contracts/roles';
import { currentUser } from '@/server/auth/session';
import { deriveTokenKey, mintToken } from '@/server/auth/socket-token';
import { warehouseList } from '@/server/inventory/read/warehouses';

export const dynamic = 'force-dynamic';

export async function POST(): Promise<Response> {
  const user = await currentUser();
  if (!user) {
    return Response.json(
      { type: 'https://onhand.dev/problems/unauthorized', status: 401, detail: 'Sign in to receive live updates.' },
      { status: 401, headers: { 'Content-Type': 'application/problem+json', 'Cache-Control': 'no-store' } },
    );
  }
  // Someone still on a one-time password may do nothing but change it, live updates included.
  if (user.mustChangePassword) {
    return Response.json(
      { type: 'https://onhand.dev/problems/forbidden', status: 403, detail: 'Change your one-time password first.' },
      { status: 403, headers: { 'Content-Type': 'application/problem+json', 'Cache-Control': 'no-store' } },
    );
  }
  const { token, expiresAt } = mintToken(deriveTokenKey(authSecret()), user);
  const body: RealtimeTokenResponse = {
    token,
    url: realtimePublicUrl(),
    expiresAt: expiresAt.toISOString(),
    // Every warehouse is open to all staff until warehouses are assigned to users; the sidecar checks again.
    warehouses: (await warehouseList(getDb())).map(({ id, code }) => ({ id, code })),
    alerts: hasRole(user.role, 'manager'),
    approvals: hasRole(user.role, 'manager'),
  };
  return Response.json(body, { headers: { 'Cache-Control': 'no-store' } });
}
