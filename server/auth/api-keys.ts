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
});

const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');

export async function createApiKey(db: Executor, input: z.input<typeof createApiKeyInput>, createdBy: string | null) {
  const { name, scopes } = createApiKeyInput.parse(input);
  const prefix = randomBytes(6).toString('hex');
  const secret = `onh_${prefix}_${randomBytes(24).toString('base64url')}`;
  const [row] = await db.insert(apiKeys).values({ name, prefix, keyHash: hash(secret), scopes, createdBy }).returning();
  return { id: row.id, name: row.name, prefix, scopes: row.scopes, secret };
}

export async function listApiKeys(db: Executor) {
  return db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      scopes: apiKeys.scopes,
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
  return rows.length > 0;
}

// Returns the key's row for a valid, unrevoked secret, else null. Never says which part was wrong.
export async function verifyApiKey(db: Executor, secret: string): Promise<ApiKey | null> {
  const m = /^onh_([0-9a-f]{12})_[A-Za-z0-9_-]{32}$/.exec(secret);
  if (!m) return null;
  const [row] = await db.select().from(apiKeys).where(eq(apiKeys.prefix, m[1]));
  if (!row || row.revokedAt) return null;
  const a = Buffer.from(row.keyHash, 'hex');
  const b = Buffer.from(hash(secret), 'hex');
  if (a.length !== b.length || !timingSafeEqual(a, b)) return null;
  // Recorded at most once a minute, so a busy key does not write on every request; the row just read says whether
  // this minute's is already there, which spares a busy key the statement too (the database still decides).
  const last = row.lastUsedAt ? new Date(row.lastUsedAt).getTime() : 0;
  if (Date.now() - last < 55_000) return row;
  await db
    .update(apiKeys)
    .set({ lastUsedAt: sql`now()` })
    .where(and(eq(apiKeys.id, row.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, sql`now() - interval '1 minute'`))));
  return row;
}
