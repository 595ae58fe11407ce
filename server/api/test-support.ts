// Helpers for the API tests: real Request objects into the real route handlers, API keys, and a count of
// everything a key or a test world can have written, so a refused request can be shown to write nothing.
import { sql } from 'drizzle-orm';
import { expect, inject } from 'vitest';
import type { Connection } from '@/db/client';
import { createApiKey, type ApiScope } from '@/server/auth/api-keys';
import { fingerprint } from '@/server/inventory/test-support';
import { uid, type World } from '@/server/testing/fixtures';
import type { RouteHandler } from './api-route';

// The handlers reach the database through getDb(), which reads DATABASE_URL on first use.
process.env.DATABASE_URL = inject('databaseUrl');

export const BASE = 'http://onhand.test';

export type TestKey = { id: string; name: string; secret: string };

export async function makeKey(conn: Connection, scopes: ApiScope[]): Promise<TestKey> {
  const k = await createApiKey(conn.db, { name: `test-${uid()}`, scopes }, null);
  return { id: k.id, name: k.name, secret: k.secret };
}

type Init = {
  key?: TestKey | string;
  body?: unknown;
  // Sent as is, for malformed and oversized bodies.
  raw?: string;
  idem?: string | null;
  headers?: Record<string, string>;
};

export function request(method: string, path: string, init: Init = {}): Request {
  const headers = new Headers(init.headers);
  if (init.key) headers.set('Authorization', `Bearer ${typeof init.key === 'string' ? init.key : init.key.secret}`);
  const hasBody = init.body !== undefined || init.raw !== undefined;
  if (hasBody) headers.set('Content-Type', 'application/json');
  // Every POST carries a fresh key unless the test says otherwise (null: leave it out).
  const idem = init.idem === undefined ? (method === 'POST' ? crypto.randomUUID() : null) : init.idem;
  if (idem !== null) headers.set('Idempotency-Key', idem);
  return new Request(BASE + path, { method, headers, body: hasBody ? (init.raw ?? JSON.stringify(init.body)) : undefined });
}

export type Answer = { status: number; headers: Headers; body: any; text: string };

export async function call(handler: RouteHandler, req: Request, params: Record<string, string> = {}): Promise<Answer> {
  const res = await handler(req, { params: Promise.resolve(params) });
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = text;
  }
  return { status: res.status, headers: res.headers, body, text };
}

export function expectProblem(a: Answer, status: number, type: string) {
  expect(a.status, a.text).toBe(status);
  expect(a.headers.get('content-type')).toBe('application/problem+json');
  expect(a.body).toMatchObject({ type: `https://onhand.dev/problems/${type}`, status, title: expect.any(String), detail: expect.any(String) });
}

// Everything the world's products, this key's orders and this key's idempotency records amount to.
export async function writes(conn: Connection, w: World, key: TestKey) {
  const [r] = (await conn.db.execute(sql`
    SELECT (SELECT count(*) FROM orders WHERE created_by = ${key.name})::int AS orders,
           (SELECT count(*) FROM idempotency_keys WHERE scope = ${`api_key:${key.id}`})::int AS idempotency`)) as unknown as {
    orders: number;
    idempotency: number;
  }[];
  return { ...(await fingerprint(conn, w)), ...r };
}
