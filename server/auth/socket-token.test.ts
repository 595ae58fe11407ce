import { describe, expect, it } from 'vitest';
import { deriveTokenKey, mintToken, verifyToken } from './socket-token';

const key = deriveTokenKey('a'.repeat(40));

describe('socket tokens', () => {
  it('round-trip the user, session and role until they expire', () => {
    const now = Date.UTC(2026, 0, 1);
    const { token, expiresAt } = mintToken(key, { id: 'u1', role: 'manager', sessionId: 's1' }, now);
    expect(verifyToken(key, token, now)).toEqual({ sub: 'u1', sid: 's1', jti: expect.stringMatching(/^[\w-]{22}$/), role: 'manager', exp: now / 1000 + 60 });
    // Every token is distinct, so the sidecar can refuse a replay.
    expect(verifyToken(key, mintToken(key, { id: 'u1', role: 'manager', sessionId: 's1' }, now).token, now)?.jti).not.toBe(verifyToken(key, token, now)?.jti);
    expect(expiresAt.getTime()).toBe(now + 60_000);
    expect(verifyToken(key, token, now + 59_999)).not.toBeNull();
    expect(verifyToken(key, token, now + 60_000)).toBeNull();
  });

  it('refuse another key, a changed role, and garbage', () => {
    const { token } = mintToken(key, { id: 'u1', role: 'staff', sessionId: 's1' });
    expect(verifyToken(deriveTokenKey('b'.repeat(40)), token)).toBeNull();
    const [v, body, sig] = token.split('.');
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
    const promoted = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url');
    expect(verifyToken(key, `${v}.${promoted}.${sig}`)).toBeNull();
    const otherSession = Buffer.from(JSON.stringify({ ...claims, sid: 's2' })).toString('base64url');
    expect(verifyToken(key, `${v}.${otherSession}.${sig}`)).toBeNull();
    for (const junk of [undefined, 42, '', 'v1..', 'v2.a.b', `${v}.${body}`, `${v}.${body}.${sig}x`, 'x'.repeat(5000)]) {
      expect(verifyToken(key, junk)).toBeNull();
    }
  });

  it('are not keyed by the raw session secret, and need a real secret', () => {
    expect(deriveTokenKey('a'.repeat(40)).equals(Buffer.from('a'.repeat(40)))).toBe(false);
    expect(() => deriveTokenKey('short')).toThrow(/32/);
  });
});
