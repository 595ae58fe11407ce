// Short-lived socket tokens: the app mints one for the signed-in user, the sidecar checks it in the handshake. A token
// names the session it was minted for (`sid`): the sidecar drops the socket when that session ends.
// Each token carries a random id (`jti`): the sidecar lets it open one socket and refuses a replay.
// HMAC-SHA256 under a key derived from the shared BETTER_AUTH_SECRET, so a session cookie's signature and a
// socket token can never be swapped for one another.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Role } from '@/db/schema';
import { roles } from '@/lib/contracts/roles';

export type TokenClaims = { sub: string; sid: string; jti: string; role: Role; exp: number };

// Long enough for a slow handshake, short enough that a leaked token is soon worthless.
export const TOKEN_TTL_SECONDS = 60;
const VERSION = 'v3';

export function deriveTokenKey(secret: string): Buffer {
  if (!secret || secret.length < 32) throw new Error('The realtime token key needs BETTER_AUTH_SECRET of at least 32 characters.');
  return createHmac('sha256', secret).update('onhand:realtime-socket-token:v1').digest();
}

export function mintToken(key: Buffer, user: { id: string; role: Role; sessionId: string }, now = Date.now(), ttlSeconds = TOKEN_TTL_SECONDS) {
  const claims: TokenClaims = { sub: user.id, sid: user.sessionId, jti: randomBytes(16).toString('base64url'), role: user.role, exp: Math.floor(now / 1000) + ttlSeconds };
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return { token: `${VERSION}.${body}.${sign(key, body)}`, expiresAt: new Date(claims.exp * 1000) };
}

// Null for anything not minted by us, tampered with, malformed or expired: callers never learn which.
export function verifyToken(key: Buffer, token: unknown, now = Date.now()): TokenClaims | null {
  if (typeof token !== 'string' || token.length > 2048) return null;
  const [version, body, sig] = token.split('.');
  if (version !== VERSION || !body || !sig) return null;
  const expected = Buffer.from(sign(key, body));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  let claims: Partial<TokenClaims>;
  try {
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof claims.sub !== 'string' || !claims.sub || typeof claims.sid !== 'string' || !claims.sid || typeof claims.exp !== 'number') return null;
  if (typeof claims.jti !== 'string' || !claims.jti) return null;
  if (!roles.includes(claims.role as Role) || claims.exp * 1000 <= now) return null;
  return { sub: claims.sub, sid: claims.sid, jti: claims.jti, role: claims.role as Role, exp: claims.exp };
}

function sign(key: Buffer, body: string): string {
  return createHmac('sha256', key).update(`${VERSION}.${body}`).digest('base64url');
}
