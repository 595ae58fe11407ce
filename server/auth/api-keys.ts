// API keys for server-to-server callers (storefront backends, ERP, scanners). The secret is shown once;
// only its SHA-256 is stored (a random 32-byte secret needs no slow hash). The prefix finds the row.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, desc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor } from '@/db/client';
import { apiKeys, type ApiKey } from '@/db/schema';

export const apiScopes = ['stock:read', 'stock:write', 'reservations:write', 'orders:read', 'orders:write', 'catalog:read', 'catalog:write'] as const;
export type ApiScope = (typeof apiScopes)[number];

export const createApiKeyInput = z.object({
  name: z.string().trim().min(1, 'Give the key a name').max(100, 'At most 100 characters'),
  scopes: z
    .array(z.enum(apiScopes))
    .min(1, 'Choose at least one scope')
    .refine((s) => new Set(s).size === s.length, 'Name each scope once'),
  perMinute: z.number().int('A whole number of requests').min(1, 'At least 1 a minute').max(1_000_000, 'At most 1,000,000 a minute').nullish(),
});

export const DEFAULT_KEY_PER_MINUTE = 3000;

const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');

export async function createApiKey(db: Executor, input: z.input<typeof createApiKeyInput>, createdBy: string | null) {
  const { name, scopes, perMinute } = createApiKeyInput.parse(input);
  const prefix = randomBytes(6).toString('hex');
  const secret = `onh_${prefix}_${randomBytes(24).toString('base64url')}`;
  const [row] = await db.insert(apiKeys).values({ name, prefix, keyHash: hash(secret), scopes, createdBy, perMinute: perMinute ?? null }).returning();
  return { id: row.id, name: row.name, prefix, scopes: row.scopes, perMinute: row.perMinute, secret };
}

export async function listApiKeys(db: Executor) {
  return db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      scopes: apiKeys.scopes,
      perMinute: apiKeys.perMinute,
      createdAt: apiKeys.createdAt,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .orderBy(desc(apiKeys.createdAt));
}

export async function revokeApiKey(db: Executor, id: string): Promise<boolean> {
  const rows = await db
    .update(apiKeys)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  apiKeyCache().forget(id);
  return rows.length > 0;
}

// An admin's limit for one key (null: the default). False when no key has that id.
export async function setApiKeyLimit(db: Executor, id: string, perMinute: number | null): Promise<boolean> {
  const rows = await db.update(apiKeys).set({ perMinute }).where(eq(apiKeys.id, id)).returning({ id: apiKeys.id });
  apiKeyCache().forget(id);
  return rows.length > 0;
}

// Checking a key reads its row, cached here for a few seconds (API_KEY_CACHE_MS, default 5,000) by the secret's
// hash, so a busy key costs no statement per request. Every process keeps its own cache and re-reads the row when
// its entry is older than that: a revocation, new scopes or a new limit reach every process within the TTL (the
// process that made the change drops its entry at once). Unknown secrets are not cached: guessing is rate limited.
type Cached = { row: ApiKey; at: number };

export class ApiKeyCache {
  private readonly entries = new Map<string, Cached>();

  constructor(
    readonly ttlMs = envMs('API_KEY_CACHE_MS', 5_000),
    private readonly now: () => number = Date.now,
  ) {}

  // Returns the key's row for a valid, unrevoked secret, else null. Never says which part was wrong.
  async verify(db: Executor, secret: string): Promise<ApiKey | null> {
    const m = /^onh_([0-9a-f]{12})_[A-Za-z0-9_-]{32}$/.exec(secret);
    if (!m) return null;
    const digest = hash(secret);
    const hit = this.entries.get(digest);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.row;
    const [row] = await db.select().from(apiKeys).where(eq(apiKeys.prefix, m[1]));
    if (!row || row.revokedAt || !sameHash(row.keyHash, digest)) {
      this.entries.delete(digest);
      return null;
    }
    if (this.entries.size >= 10_000) this.entries.clear();
    this.entries.set(digest, { row, at: this.now() });
    // Recorded at most once a minute, so a busy key does not write on every request; the row just read says
    // whether this minute's is already there (the database still decides).
    const last = row.lastUsedAt ? new Date(row.lastUsedAt).getTime() : 0;
    if (Date.now() - last >= 55_000) {
      await db
        .update(apiKeys)
        .set({ lastUsedAt: sql`now()` })
        .where(and(eq(apiKeys.id, row.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, sql`now() - interval '1 minute'`))));
    }
    return row;
  }

  // This process's own change to a key is seen at once; the others see it when their entry expires.
  forget(id: string) {
    for (const [digest, e] of this.entries) if (e.row.id === id) this.entries.delete(digest);
  }
}

function sameHash(stored: string, digest: string) {
  const a = Buffer.from(stored, 'hex');
  const b = Buffer.from(digest, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

function envMs(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v >= 0 ? Math.floor(v) : fallback;
}

const global = globalThis as unknown as { onhandApiKeyCache?: ApiKeyCache };
export function apiKeyCache(): ApiKeyCache {
  return (global.onhandApiKeyCache ??= new ApiKeyCache());
}

export function verifyApiKey(db: Executor, secret: string): Promise<ApiKey | null> {
  return apiKeyCache().verify(db, secret);
}
