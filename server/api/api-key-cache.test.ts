// The API key's row is cached per process for a few seconds: two caches on two connection pools stand for two app
// processes. A key revoked, re-scoped or re-limited in one is seen so in the other within the cache's TTL, and at
// once in the process that made the change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { apiKeys } from '@/db/schema';
import { ApiKeyCache, apiKeyCache, createApiKey, revokeApiKey, setApiKeyLimit } from '@/server/auth/api-keys';
import { testConnection, uid, waitFor } from '@/server/testing/fixtures';

const TTL = 400;

describe('the API key cache across two processes', () => {
  const [connA, connB] = [testConnection(2), testConnection(2)];
  let mine: ApiKeyCache;
  const other = new ApiKeyCache(TTL);
  beforeAll(() => {
    // This process's cache, the one revokeApiKey and setApiKeyLimit drop entries from.
    process.env.API_KEY_CACHE_MS = String(TTL);
    mine = apiKeyCache();
  });
  afterAll(() => Promise.all([connA.close(), connB.close()]));

  const newKey = () => createApiKey(connA.db, { name: `cache-${uid()}`, scopes: ['stock:read'] }, null);

  it('a revoked key is refused at once where it was revoked, and within the TTL in the other process', async () => {
    expect(mine.ttlMs).toBe(TTL);
    const key = await newKey();
    expect((await mine.verify(connA.db, key.secret))?.id).toBe(key.id);
    expect((await other.verify(connB.db, key.secret))?.id).toBe(key.id);
    const revokedAt = Date.now();
    expect(await revokeApiKey(connA.db, key.id)).toBe(true);
    expect(await mine.verify(connA.db, key.secret)).toBeNull();
    await waitFor(async () => (await other.verify(connB.db, key.secret)) === null, 'the other process to refuse the key', 5_000);
    expect(Date.now() - revokedAt).toBeLessThan(TTL + 1_000);
  });

  it('a new limit or new scopes reach the other process within the TTL', async () => {
    const key = await newKey();
    expect((await other.verify(connB.db, key.secret))?.perMinute).toBeNull();
    const changedAt = Date.now();
    await setApiKeyLimit(connA.db, key.id, 120);
    await connA.db.update(apiKeys).set({ scopes: ['stock:read', 'stock:write'] }).where(eq(apiKeys.id, key.id));
    await waitFor(async () => (await other.verify(connB.db, key.secret))?.perMinute === 120, 'the new limit', 5_000);
    expect((await other.verify(connB.db, key.secret))?.scopes).toEqual(['stock:read', 'stock:write']);
    expect(Date.now() - changedAt).toBeLessThan(TTL + 1_000);
  });

  it('a busy key is read once per TTL, not once per request', async () => {
    const key = await newKey();
    const cache = new ApiKeyCache(60_000);
    expect(await cache.verify(connB.db, key.secret)).not.toBeNull();
    // The row is gone from the database; the cached answer stands until the TTL ends.
    await connA.db.delete(apiKeys).where(eq(apiKeys.id, key.id));
    expect((await cache.verify(connB.db, key.secret))?.id).toBe(key.id);
    // A wrong secret for the same prefix is never answered from the cache.
    expect(await cache.verify(connB.db, key.secret.slice(0, -1) + (key.secret.endsWith('A') ? 'B' : 'A'))).toBeNull();
  });
});
