// Malformed input, generated (fast-check), against every REST endpoint, every dashboard read and every server
// action: wrong types, boundary and overflow numbers, unicode and control characters, huge strings and bodies,
// unknown ids, duplicated keys. Each request starts from a valid one and breaks at least one field in a way the
// field must refuse, so nothing may be written: no answer is a 5xx (or the action's "something went wrong"),
// nothing is logged as an error, the database is unchanged, and every refusal names the field or value at fault.
// Finally each valid request is sent once as it is, so a refusal is known to come from the broken field.
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { captureLogs } from '@/server/observability/log';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));
vi.mock('next/headers', async () => (await import('@/server/testing/request-scope')).nextHeadersMock);
vi.mock('next/cache', async () => (await import('@/server/testing/request-scope')).nextCacheMock);

import type { Connection } from '@/db/client';
import type { ActionState } from '@/lib/contracts/action-state';
import type { RouteHandler } from '@/server/api/api-route';
import { MAX_BODY_BYTES } from '@/server/api/request';
import { BASE, makeKey, type TestKey } from '@/server/api/test-support';
import { apiScopes } from '@/server/auth/api-keys';
import { allocateOrder, MAX_QTY, receive } from '@/server/inventory';
import { scratchDatabase } from '@/server/inventory/test-support';
import { gtinCheckDigit } from '@/lib/scan';
import { makeWorld, testActor, type World } from '@/server/testing/fixtures';
import { as, signInAs, TEST_PASSWORD, type TestSession } from '@/server/testing/request-scope';

// Public calls from one address would otherwise meet the rate limit long before the generator is done.
process.env.RATE_LIMIT_PUBLIC_PER_MIN = '1000000';
process.env.RATE_LIMIT_KEY_PER_MIN = '1000000';

const RUNS = Number(process.env.BAD_INPUT_RUNS ?? 40);
// A few hundred requests per test, each followed by a look at the whole database, on a machine that may be busy.
vi.setConfig({ testTimeout: 180_000 });

let db: { url: string; conn: Connection; drop: () => Promise<void> };
let conn: Connection;
let w: World;
let key: TestKey;
let admin: TestSession;
let orderId: string;
const tried: Record<string, number> = {};
const logged: unknown[][] = [];
let capture: ReturnType<typeof captureLogs> | undefined;
// What went to console.error since the mark: how a handler reports a failure of its own (a 500 in disguise).
// Warnings (a failed sign-in) are only checked for secrets.
const errorsSince = (mark: number) => logged.slice(mark).filter((l) => l[0] === 'error');
const answers: string[] = [];

beforeAll(async () => {
  // A database of its own: "nothing changed" is then a statement about the whole database.
  db = await scratchDatabase();
  conn = db.conn;
  process.env.DATABASE_URL = db.url;
  w = await makeWorld(conn, { products: 2, bins: ['RECV', 'A-01', 'PICK-01', 'SHIP'] });
  for (const sku of w.skus) await receive(conn.db, { sku, warehouse: w.warehouse, location: 'PICK-01', qty: 50 }, { actor: testActor });
  orderId = (await allocateOrder(conn.db, { reference: 'SO-BAD-INPUT', lines: [{ sku: w.skus[0], qty: 2 }] }, { actor: testActor })).id;
  key = await makeKey(conn, [...apiScopes]);
  admin = await signInAs(conn, 'admin');
  baseline.value = await fingerprint();
  for (const level of ['error', 'warn'] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push([level, ...args]));
  }
  // The server's own log lines (pino), error and warn alike.
  capture = captureLogs((l) => void ((l.level === 'error' || l.level === 'warn') && logged.push([String(l.level), l])));
});
afterAll(async () => {
  vi.restoreAllMocks();
  capture?.restore();
  const total = Object.values(tried).reduce((a, b) => a + b, 0);
  console.log(`[bad input] ${total} malformed requests: ${Object.entries(tried).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  await db?.drop();
});

// Everything a request could have written, except bookkeeping a refusal may keep: sessions, the API key's
// last-used time, idempotency records (a refusal is stored so that a retry gets the same refusal) and the rate
// limits' counters (every request counts, refused or not).
let tables: string[] = [];
async function fingerprint(): Promise<string> {
  if (!tables.length) {
    const rows = (await conn.db.execute(sql`
      SELECT table_name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
        AND table_name NOT IN ('sessions', 'verifications', 'idempotency_keys', 'api_keys', 'rate_limits', '__drizzle_migrations')
      ORDER BY table_name`)) as unknown as { table_name: string }[];
    tables = rows.map((r) => r.table_name);
  }
  // One statement, one snapshot: every table's row count and a hash of its rows.
  const parts = tables.map((t) => `SELECT '${t}' AS t, count(*)::int AS n, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM "${t}" x`);
  parts.push(`SELECT 'api_keys', count(*)::int, count(revoked_at)::text FROM api_keys`);
  const rows = (await conn.db.execute(sql.raw(parts.join(' UNION ALL ')))) as unknown as { t: string; n: number; h: string }[];
  return rows.map((r) => `${r.t}:${r.n}:${r.h}`).join('\n');
}

// The database as it was; a check that finds it changed reports the change and moves the mark, so the next
// (and fast-check's shrinking) judge only what they write themselves.
const baseline = { value: '' };
async function written(): Promise<string | null> {
  const now = await fingerprint();
  const was = baseline.value;
  baseline.value = now;
  if (now === was) return null;
  const before = new Set(was.split('\n'));
  return `something was written (${now.split('\n').filter((l) => !before.has(l)).map((l) => l.split(':')[0]).join(', ')})`;
}

// ── Bad values, by what a field holds ───────────────────────────────────────────────────────────────────────
const control = fc.constantFrom('\u0000', '\u0007', '\b', '\u001b[31m', '\u202e', '\ud800', '\uffff', '\r\n', '\t');
const unicode = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 });
const anyJson = fc.oneof(fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 2 }));
const huge = fc.integer({ min: 1_001, max: 60_000 }).map((n) => 'x'.repeat(n));
// A name nothing in the database has: unknown, but well formed or not.
const unknownName = fc.tuple(fc.constantFrom('NOPE-', 'Ünknöwn-', '漢字-', 'x'), fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 8 })).map(([a, b]) => a + b);

// For JSON bodies (no coercion: a number must be a number).
const bad = {
  code: fc.oneof(fc.integer(), anyJson, fc.constantFrom('', '   ', 'x'.repeat(65)), fc.tuple(unknownName, control).map(([a, b]) => a + b), unknownName, huge),
  optionalCode: fc.oneof(fc.integer(), anyJson, fc.constantFrom('   ', 'x'.repeat(65)), unknownName),
  qty: fc.oneof(
    fc.constantFrom(0, -1, -0.5, 1.5, MAX_QTY + 1, 2 ** 31, 2 ** 53 + 2, 1e308, -1e308, Number.MIN_VALUE),
    fc.integer({ max: 0 }),
    fc.integer({ min: MAX_QTY + 1 }),
    fc.double({ noInteger: true, noNaN: true, noDefaultInfinity: true }),
    fc.string().map((s) => s || '5'),
    anyJson,
  ),
  signed: fc.oneof(fc.constantFrom(0, 1.5, MAX_QTY + 1, -MAX_QTY - 1, 2 ** 63, -1e308), fc.string().map((s) => s || '5'), anyJson),
  count: fc.oneof(fc.constantFrom(-1, 0.5, MAX_QTY + 1, 2 ** 31, 1e308), fc.integer({ max: -1 }), fc.string(), anyJson),
  optionalCount: fc.oneof(fc.constantFrom(-1, 0.5, MAX_QTY + 1, 2 ** 31, 1e308), fc.integer({ max: -1 }), fc.string({ minLength: 1 }), anyJson),
  text: fc.oneof(fc.integer(), anyJson, huge, fc.string().map((s) => `${s}\u0000`)),
  optionalText: fc.oneof(fc.integer(), anyJson, huge, fc.string().map((s) => `\u0000${s}`)),
  enum: fc.oneof(fc.string({ maxLength: 20 }), unicode, control, fc.integer(), anyJson),
  uuid: fc.oneof(fc.uuid(), fc.string({ maxLength: 40 }), unicode, fc.constantFrom('../../etc/passwd', '00000000-0000-0000-0000-000000000000', "' OR 1=1 --")),
  array: fc.oneof(fc.constant([]), fc.string(), fc.integer(), fc.constant(null), fc.array(fc.oneof(fc.integer(), fc.constant(null)), { minLength: 1, maxLength: 3 })),
  slug: fc.oneof(fc.integer(), anyJson),
  origin: fc.oneof(fc.integer(), anyJson),
};
type Kind = keyof typeof bad;

// For form fields and query strings (strings only; numbers are coerced, so a numeral is a valid number).
const badText = {
  code: fc.oneof(fc.constantFrom('', '   '), huge.map((s) => s.slice(0, 300)), fc.tuple(unknownName, control).map(([a, b]) => a + b), unknownName),
  // Blank means "not given" in these fields.
  optionalCode: fc.oneof(huge.map((s) => s.slice(0, 300)), fc.tuple(unknownName, control).map(([a, b]) => a + b), unknownName),
  qty: fc.constantFrom('', ' ', 'abc', '1.5', '-1', '0', String(MAX_QTY + 1), '1e309', 'Infinity', '-Infinity', 'NaN', '9'.repeat(400), '１２', '١٢', '\u0000', '2147483648', '5 units'),
  signed: fc.constantFrom('', 'abc', '1.5', '0', String(MAX_QTY + 1), String(-MAX_QTY - 1), '1e309', '-Infinity', 'NaN', '٣', '\u0000'),
  count: fc.constantFrom('', ' ', 'abc', '-1', '0.5', String(MAX_QTY + 1), '1e309', 'Infinity', 'NaN', '１', '\u0000'),
  optionalCount: fc.constantFrom('abc', '-1', '0.5', String(MAX_QTY + 1), '1e309', 'Infinity', 'NaN', '１', '\u0000'),
  text: fc.oneof(fc.constantFrom('', '   '), huge.map((s) => s.slice(0, 300)), fc.string().map((s) => `${s}\u0000`)),
  optionalText: fc.oneof(huge.map((s) => s + s), fc.string().map((s) => `ok\u0000${s}`)),
  enum: fc.oneof(fc.string({ maxLength: 20 }), unicode, control),
  uuid: fc.oneof(fc.constantFrom('', 'not-a-uuid', '00000000-0000-4000-8000-000000000000', "' OR 1=1 --"), fc.string({ maxLength: 40 }), unicode),
  array: fc.constant(''),
  // A channel key: lower-case letters, digits and dashes (upper case is folded, so it is not wrong).
  slug: fc.oneof(fc.constantFrom('', ' ', '-lead', 'x'.repeat(41), 'under_score', 'ümlaut', 'a b', 'a\u0000', 'a/b', '.', '漢字'), control),
  origin: fc.constantFrom('not an origin', 'https://shop.example/path', 'javascript:alert(1)', 'https://user:pw@shop.example', 'https://shop.example?q=1', 'https://shop.example#x', 'x'.repeat(10_001), 'http://', 'https://\u0000', 'data:text/html,x'),
};

type Mutation = { path: string; value: unknown };

function setPath(obj: Record<string, unknown>, path: string, value: unknown) {
  const keys = path.split('.');
  let o = obj as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) {
    o = o[k] as Record<string, unknown>;
    // A parent that an earlier mutation replaced with something that has no members.
    if (typeof o !== 'object' || o === null) return;
  }
  if (value === undefined) delete o[keys.at(-1)!];
  else o[keys.at(-1)!] = value;
}

type Broken = { ms: Mutation[]; extra?: [string, string]; duplicate: boolean };

// One to three fields broken (a required one may simply be left out), sometimes an unknown member, sometimes the
// broken field sent twice (the valid value first).
function broken(fields: Record<string, Kind>, table: Record<Kind, fc.Arbitrary<unknown>>, required: string[]): fc.Arbitrary<Broken> {
  const names = Object.keys(fields);
  return fc
    .tuple(
      fc.uniqueArray(fc.constantFrom(...names), { minLength: 1, maxLength: Math.min(3, names.length) }),
      fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
      fc.option(fc.tuple(fc.constantFrom('__proto__', 'constructor', 'extra', 'id', 'actor', 'kind2'), fc.string()), { nil: undefined }),
      fc.boolean(),
    )
    .chain(([picked, omit, extra, duplicate]) =>
      fc
        .tuple(...picked.map((p, i) => (omit[i] && required.includes(p) ? fc.constant<Mutation>({ path: p, value: undefined }) : table[fields[p]].map((value) => ({ path: p, value })))))
        .map((ms) => ({ ms: ms as Mutation[], extra, duplicate })),
    );
}

// Every field alone, with a sample of its bad values (all of them where they are a short list), and left out.
function sweep(fields: Record<string, Kind>, table: Record<Kind, fc.Arbitrary<unknown>>, required: string[]): Broken[] {
  const out: Broken[] = [];
  for (const [path, kind] of Object.entries(fields)) {
    const values = new Set<unknown>(fc.sample(table[kind], { numRuns: 12, seed: 42 }));
    for (const value of values) out.push({ ms: [{ path, value }], duplicate: false });
    if (required.includes(path)) out.push({ ms: [{ path, value: undefined }], duplicate: false });
  }
  return out;
}

// As a browser or URL would carry it (a lone surrogate becomes U+FFFD).
const wellFormed = (v: string) => new TextDecoder().decode(new TextEncoder().encode(v)).trim();

// Whether a refusal names what is wrong: a field it lists, a member named for it, or the unknown value it quotes.
function namesIt(body: Record<string, unknown>, ms: Mutation[]): boolean {
  const errors = (body.errors as { field: string; message: string }[] | undefined) ?? [];
  const detail = String(body.detail ?? '');
  return ms.some((m) => {
    const leaf = m.path.split('.').at(-1)!;
    if (errors.some((e) => e.field === m.path || e.field.startsWith(`${m.path}.`) || m.path.startsWith(`${e.field}.`) || e.field === leaf)) return true;
    // not_found answers carry the value under its name: {"order": "…"}.
    if (!m.path.includes('.') && Object.hasOwn(body, m.path) && !['type', 'title', 'status', 'detail'].includes(m.path)) return true;
    return typeof m.value === 'string' && wellFormed(m.value) !== '' && (detail.includes(wellFormed(m.value)) || detail.includes(JSON.stringify(wellFormed(m.value))));
  });
}

const count = (label: string) => void (tried[label] = (tried[label] ?? 0) + 1);

// ── REST ──────────────────────────────────────────────────────────────────────────────────────────────────
type Rest = {
  name: string;
  method: 'POST' | 'PUT' | 'DELETE';
  // Path segments other than a fuzzed {id}, e.g. the SKU a PUT names.
  params?: () => Record<string, string>;
  route: () => Promise<RouteHandler>;
  path: string;
  body?: () => Record<string, unknown>;
  fields: Record<string, Kind>;
  required: string[];
};

const v1 = (p: string) => async () => (await import(/* @vite-ignore */ `@/app/api/v1/${p}/route`)) as Record<string, RouteHandler>;
const here = () => ({ warehouse: w.warehouse, location: 'PICK-01' });

const rest: Rest[] = [
  {
    name: 'PUT /api/v1/products/{sku}',
    method: 'PUT',
    route: async () => (await v1('products/[sku]')()).PUT,
    path: '/api/v1/products/{sku}',
    params: () => ({ sku: w.skus[1] }),
    body: () => ({ name: 'Renamed through the API', unit: 'box', lowStockThreshold: 4, leadTimeDays: 10 }),
    fields: { name: 'text', unit: 'text', lowStockThreshold: 'optionalCount', leadTimeDays: 'optionalCount' },
    required: [],
  },
  {
    name: 'POST /api/v1/movements (receipt)',
    method: 'POST',
    route: async () => (await v1('movements')()).POST,
    path: '/api/v1/movements',
    body: () => ({ kind: 'receipt', sku: w.skus[0], warehouse: w.warehouse, location: 'RECV', qty: 3, reference: 'R-1', note: 'ok' }),
    fields: { kind: 'enum', sku: 'code', warehouse: 'code', location: 'code', qty: 'qty', reference: 'text', note: 'optionalText' },
    required: ['kind', 'sku', 'warehouse', 'location', 'qty'],
  },
  {
    name: 'POST /api/v1/movements (adjustment)',
    method: 'POST',
    route: async () => (await v1('movements')()).POST,
    path: '/api/v1/movements',
    body: () => ({ kind: 'adjustment', sku: w.skus[0], ...here(), delta: -1, reason: 'damaged' }),
    fields: { sku: 'code', warehouse: 'code', location: 'code', delta: 'signed', reason: 'enum' },
    required: ['sku', 'warehouse', 'location', 'delta', 'reason'],
  },
  {
    name: 'POST /api/v1/movements (transfer)',
    method: 'POST',
    route: async () => (await v1('movements')()).POST,
    path: '/api/v1/movements',
    body: () => ({ kind: 'transfer', sku: w.skus[1], from: here(), to: { warehouse: w.warehouse, location: 'A-01' }, qty: 1 }),
    fields: { sku: 'code', 'from.warehouse': 'code', 'from.location': 'code', 'to.location': 'code', qty: 'qty' },
    required: ['sku', 'qty'],
  },
  {
    name: 'POST /api/v1/movements (count)',
    method: 'POST',
    route: async () => (await v1('movements')()).POST,
    path: '/api/v1/movements',
    body: () => ({ kind: 'count', sku: w.skus[0], warehouse: w.warehouse, location: 'A-01', counted: 0, expected: 0 }),
    fields: { sku: 'code', warehouse: 'code', location: 'code', counted: 'count', expected: 'count' },
    required: ['sku', 'warehouse', 'location', 'counted', 'expected'],
  },
  {
    name: 'POST /api/v1/reservations',
    method: 'POST',
    route: async () => (await v1('reservations')()).POST,
    path: '/api/v1/reservations',
    body: () => ({ sku: w.skus[1], qty: 2, ttlSeconds: 60, reference: 'cart-1' }),
    fields: { sku: 'code', qty: 'qty', ttlSeconds: 'qty', reference: 'text' },
    required: ['sku', 'qty'],
  },
  {
    name: 'POST /api/v1/orders',
    method: 'POST',
    route: async () => (await v1('orders')()).POST,
    path: '/api/v1/orders',
    body: () => ({ reference: 'SO-VALID-1', channel: 'web', lines: [{ sku: w.skus[1], qty: 1 }] }),
    fields: { reference: 'text', channel: 'text', lines: 'array', 'lines.0.sku': 'code', 'lines.0.qty': 'qty' },
    required: ['reference', 'lines', 'lines.0.sku', 'lines.0.qty'],
  },
  {
    name: 'POST /api/v1/orders/{id}/cancel',
    method: 'POST',
    route: async () => (await v1('orders/[id]/cancel')()).POST,
    path: '/api/v1/orders/{id}/cancel',
    fields: { id: 'uuid' },
    required: [],
  },
  {
    name: 'DELETE /api/v1/reservations/{id}',
    method: 'DELETE',
    route: async () => (await v1('reservations/[id]')()).DELETE,
    path: '/api/v1/reservations/{id}',
    fields: { id: 'uuid' },
    required: [],
  },
];

async function callRest(r: Rest, body: string | Uint8Array | undefined, idem: string | null, id?: string) {
  const headers = new Headers({ Authorization: `Bearer ${key.secret}` });
  if (body !== undefined) headers.set('Content-Type', 'application/json');
  if (idem !== null) headers.set('Idempotency-Key', idem);
  const params: Record<string, string> = id === undefined ? (r.params?.() ?? {}) : { id };
  const url = BASE + r.path.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(params[k] ?? ''));
  const res = await (await r.route())(new Request(url, { method: r.method, headers, body: body as BodyInit | undefined }), { params: Promise.resolve(params) });
  const text = await res.text();
  answers.push(text);
  return { status: res.status, text, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

// The request, broken as described: refused with a 4xx problem naming the field, nothing logged, nothing written.
async function checkRest(r: Rest, b: Broken, label = r.name) {
  const mark = logged.length;
  let a: Awaited<ReturnType<typeof callRest>>;
  let ms = b.ms;
  if (!r.body) {
    const id = String(b.ms[0].value ?? '');
    ms = [{ path: 'id', value: id }, { path: 'order', value: id }, { path: 'reservation', value: id }];
    a = await callRest(r, undefined, crypto.randomUUID(), id);
  } else {
    const body = structuredClone(r.body());
    for (const m of b.ms) setPath(body, m.path, m.value);
    let raw = JSON.stringify(body);
    // A replacer function, not a string: generated text may hold `$'` and other replacement patterns.
    if (b.extra) {
      const first = `{${JSON.stringify(b.extra[0])}:${JSON.stringify(b.extra[1])},`;
      raw = raw.replace(/^\{/, () => first);
    }
    // JSON.parse keeps the last of a duplicated member: the valid value goes first.
    const top = b.ms.find((m) => !m.path.includes('.') && m.value !== undefined);
    if (b.duplicate && top) {
      const first = `{${JSON.stringify(top.path)}:${JSON.stringify(r.body()[top.path])},`;
      raw = raw.replace(/^\{/, () => first);
    }
    a = await callRest(r, raw, crypto.randomUUID());
  }
  count(label.split(' (')[0]);
  const wrote = await written();
  const what = `${label} with ${JSON.stringify(b).slice(0, 300)} → ${a.status} ${a.text.slice(0, 400)}`;
  expect(a.status, what).toBeGreaterThanOrEqual(400);
  expect(a.status, what).toBeLessThan(500);
  expect(a.body.detail, what).toEqual(expect.any(String));
  if (a.status !== 413) expect(namesIt(a.body, ms), `the refusal does not name what is wrong: ${what}`).toBe(true);
  expect(errorsSince(mark), what).toEqual([]);
  expect(wrote, what).toBeNull();
}

describe('REST endpoints', () => {
  for (const r of rest) {
    it(`${r.name}: each field broken alone, then generated combinations; refused, named, nothing written`, async () => {
      for (const b of sweep(r.fields, bad, r.required)) await checkRest(r, b);
      await fc.assert(
        fc.asyncProperty(broken(r.fields, bad, r.required), (b) => checkRest(r, b)),
        { numRuns: RUNS },
      );
    });
  }

  it('bodies that are not JSON objects, too large, not UTF-8, or without an Idempotency-Key', async () => {
    const raw: [string, string | Uint8Array][] = [
      ['empty', ''],
      ['null', 'null'],
      ['an array', '[]'],
      ['a string', '"receipt"'],
      ['a number', '1e999'],
      ['truncated', '{"kind":"receipt","sku":'],
      ['single quotes', "{'kind':'receipt'}"],
      ['trailing garbage', '{"kind":"receipt"} x'],
      ['deeply nested', '['.repeat(100_000) + ']'.repeat(100_000)],
      ['nested arrays', JSON.stringify({ kind: 'receipt', sku: [[[[[]]]]], reference: [[[]]], lines: [[[]]] })],
      ['not UTF-8', new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])],
      ['over 64 KiB', JSON.stringify({ kind: 'receipt', note: 'x'.repeat(MAX_BODY_BYTES) })],
    ];
    for (const r of rest.filter((x) => x.body)) {
      for (const [what, body] of raw) {
        const mark = logged.length;
        const a = await callRest(r, body, crypto.randomUUID());
        count(r.name.split(' (')[0]);
        const wrote = await written();
        const label = `${r.name} (${what}) → ${a.status} ${a.text.slice(0, 300)}`;
        expect(a.status, label).toBeGreaterThanOrEqual(400);
        expect(a.status, label).toBeLessThan(500);
        if (a.status !== 413) expect((a.body.errors as unknown[] | undefined)?.length, label).toBeGreaterThan(0);
        expect(errorsSince(mark), label).toEqual([]);
        expect(wrote, label).toBeNull();
      }
      // The Idempotency-Key: missing, blank, too long (a PUT is idempotent by nature and needs none).
      if (r.method !== 'POST') continue;
      for (const idem of [null, '   ', 'k'.repeat(201)]) {
        const a = await callRest(r, JSON.stringify(r.body!()), idem);
        count(r.name.split(' (')[0]);
        const wrote = await written();
        expect(a.status, a.text).toBe(400);
        expect(a.body.errors).toEqual([{ field: 'Idempotency-Key', message: expect.any(String) }]);
        expect(wrote, `${r.name} with Idempotency-Key ${idem}`).toBeNull();
      }
    }
  });

  it('query strings: repeated, unknown, huge, control characters and out-of-range numbers', async () => {
    const queries: { name: string; handler: () => Promise<RouteHandler>; path: string; fields: Record<string, fc.Arbitrary<string>>; base?: Record<string, string> }[] = [
      { name: 'GET /api/v1/stock', handler: async () => (await v1('stock')()).GET, path: '/api/v1/stock', fields: { sku: badText.code, warehouse: badText.code }, base: { sku: w.skus[0] } },
      {
        name: 'GET /api/v1/movements',
        handler: async () => (await v1('movements')()).GET,
        path: '/api/v1/movements',
        fields: { sku: badText.code, after: badText.count, limit: fc.constantFrom('0', '1001', '-1', '1.5', 'abc', '9'.repeat(30), '') },
      },
      {
        name: 'GET /api/v1/availability',
        handler: async () => (await v1('availability')()).GET,
        path: '/api/v1/availability',
        fields: { sku: badText.code, channel: fc.oneof(huge.map((s) => s.slice(0, 100)), fc.constantFrom('', '  '), unknownName) },
        base: { sku: w.skus[0] },
      },
    ];
    for (const q of queries) await fuzzQuery(q.name, q.handler, q.path, q.fields, { Authorization: `Bearer ${key.secret}` }, q.base);
  });
});

// A GET with one to all parameters broken, sometimes repeated, sometimes with an unknown one: never a 5xx, nothing
// logged or written, and a refusal names the parameter or the value. A read may answer 200 (a search for an odd
// string finds nothing) or 404 naming the value.
async function fuzzQuery(name: string, handler: () => Promise<RouteHandler>, path: string, fields: Record<string, fc.Arbitrary<string>>, headers: Record<string, string>, base: Record<string, string> = {}) {
  const names = Object.keys(fields);
  const check = async (ms: Mutation[], repeat: boolean, unknown?: string) => {
    const params = new URLSearchParams(base);
    for (const m of ms) {
      params.set(m.path, m.value as string);
      if (repeat) params.append(m.path, m.value as string);
    }
    if (unknown !== undefined) params.append(`x${unknown}`, unknown);
    const mark = logged.length;
    const res = await as(admin, () => handler().then((h) => h(new Request(`${BASE}${path}?${params}`, { headers }), { params: Promise.resolve({}) })));
    const text = await res.text();
    answers.push(text);
    count(name);
    const what = `${name}?${params.toString().slice(0, 300)} → ${res.status} ${text.slice(0, 300)}`;
    expect(res.status, what).toBeLessThan(500);
    expect(errorsSince(mark), what).toEqual([]);
    if (res.status >= 400) expect(namesIt(JSON.parse(text), ms), `the refusal does not name what is wrong: ${what}`).toBe(true);
  };
  for (const [p, arb] of Object.entries(fields)) for (const v of new Set(fc.sample(arb, { numRuns: 10, seed: 7 }))) await check([{ path: p, value: v }], false);
  await fc.assert(
    fc.asyncProperty(
      fc.uniqueArray(fc.constantFrom(...names), { minLength: 1, maxLength: names.length }).chain((picked) => fc.tuple(...picked.map((p) => fields[p].map((v): Mutation => ({ path: p, value: v }))))),
      fc.boolean(),
      fc.option(fc.string({ maxLength: 10 }), { nil: undefined }),
      check,
    ),
    { numRuns: RUNS },
  );
  // Reads are checked once for all their requests.
  expect(await written(), `${name} wrote`).toBeNull();
}

// ── Dashboard reads (a signed-in admin) ──────────────────────────────────────────────────────────────────────
describe('dashboard reads', () => {
  const route = (p: string) => async () => ((await import(/* @vite-ignore */ `@/app/${p}/route`)) as { GET: RouteHandler }).GET;
  const num = (max: string) => fc.constantFrom('0', '-1', '1.5', 'abc', max, '1e309', 'Infinity', '9'.repeat(30), '', '١');
  const reads: [string, string, Record<string, fc.Arbitrary<string>>, (() => Record<string, string>)?][] = [
    ['api/dashboard/bin', '/api/dashboard/bin', { warehouse: badText.code, location: badText.code }, () => ({ warehouse: w.warehouse, location: 'PICK-01' })],
    ['api/dashboard/picking', '/api/dashboard/picking', { warehouse: badText.code }],
    ['api/dashboard/product', '/api/dashboard/product', { sku: badText.code }],
    ['api/dashboard/product/history', '/api/dashboard/product/history', { sku: badText.code, before: num('1e20'), limit: num('101') }, () => ({ sku: w.skus[0] })],
    ['api/dashboard/product/series', '/api/dashboard/product/series', { sku: badText.code, days: num('366') }, () => ({ sku: w.skus[0] })],
    ['api/dashboard/purchase-order', '/api/dashboard/purchase-order', { reference: badText.code }],
    [
      'api/dashboard/scan',
      '/api/dashboard/scan',
      { code: fc.oneof(badText.code, huge.map((s) => s.slice(0, 600)), fc.constantFrom('0100012345678905', '(01)123', ']C1010001234567890521ABC\u001d10X')), warehouse: badText.code, gs: fc.oneof(control, fc.constant('123456789')) },
      () => ({ code: w.skus[0] }),
    ],
    [
      'api/dashboard/stock',
      '/api/dashboard/stock',
      {
        q: fc.oneof(unicode, control, huge.map((s) => s.slice(0, 250)), fc.constantFrom('%', '_', '\\', "'; DROP TABLE products; --")),
        warehouse: badText.code,
        location: badText.code,
        status: badText.enum,
        sort: badText.enum,
        dir: badText.enum,
        page: num('100001'),
      },
    ],
    ['api/why-available', '/api/why-available', { sku: badText.code }],
    ['api/alerts', '/api/alerts', { warehouse: badText.code, status: badText.enum, window: num('366'), target: num('366') }],
    ['(shell)/alerts/export', '/alerts/export', { warehouse: badText.code, status: badText.enum, window: num('366'), target: num('366') }],
    [
      '(shell)/activity/export',
      '/activity/export',
      { from: badText.enum, to: badText.enum, actor: badText.optionalCode, kind: badText.enum, sku: badText.optionalCode, reference: badText.optionalCode },
    ],
    ['(shell)/activity/export', '/activity/export', { from: badText.enum, entity: badText.optionalCode, key: badText.optionalCode, action: badText.optionalCode }, () => ({ view: 'changes' })],
  ];
  for (const [file, path, fields, base] of reads) {
    it(`GET ${path}`, async () => {
      await fuzzQuery(`GET ${path}`, route(file), path, fields, { cookie: admin.cookie! }, base?.());
    });
  }
});

// ── Server actions (a signed-in admin) ───────────────────────────────────────────────────────────────────────
type ActionSpec = {
  name: string;
  action: () => Promise<(prev: ActionState, f: FormData) => Promise<ActionState>>;
  form: () => Record<string, string>;
  fields: Record<string, Kind>;
  required: string[];
  // Whether the form as given is valid (checked last); some need state a fuzz run cannot keep (an alert, a picked order).
  valid?: boolean;
  // Sign-in reads the first of a repeated field (FormData.get), the others the last.
  noDuplicates?: boolean;
};

const act = (file: string, name: string) => async () => ((await import(/* @vite-ignore */ `@/app/${file}`)) as Record<string, (prev: ActionState, f: FormData) => Promise<ActionState>>)[name];
const bin = () => ({ sku: w.skus[0], warehouse: w.warehouse, location: 'PICK-01' });

const actionSpecs: ActionSpec[] = [
  {
    name: 'receiveAction',
    action: act('(shell)/receiving/actions', 'receiveAction'),
    form: () => ({ ...bin(), location: 'RECV', qty: '2', reference: 'ref', note: 'n' }),
    fields: { sku: 'code', warehouse: 'code', location: 'code', qty: 'qty', purchaseOrder: 'optionalCode', note: 'optionalText' },
    required: ['sku', 'warehouse', 'location', 'qty'],
  },
  {
    name: 'adjustAction',
    action: act('(shell)/adjust/actions', 'adjustAction'),
    form: () => ({ ...bin(), delta: '-1', reason: 'damaged' }),
    fields: { sku: 'code', warehouse: 'code', location: 'code', delta: 'signed', reason: 'enum', note: 'optionalText' },
    required: ['sku', 'warehouse', 'location', 'delta', 'reason'],
  },
  {
    name: 'countAction',
    action: act('(shell)/counts/actions', 'countAction'),
    form: () => ({ sku: w.skus[1], warehouse: w.warehouse, location: 'RECV', counted: '1', expected: '0' }),
    fields: { sku: 'code', warehouse: 'code', location: 'code', counted: 'count', expected: 'count', note: 'optionalText' },
    required: ['sku', 'warehouse', 'location', 'counted', 'expected'],
  },
  {
    name: 'transferAction',
    action: act('(shell)/transfers/actions', 'transferAction'),
    form: () => ({ sku: w.skus[1], fromWarehouse: w.warehouse, fromLocation: 'PICK-01', toWarehouse: w.warehouse, toLocation: 'A-01', qty: '1' }),
    fields: { sku: 'code', fromWarehouse: 'code', fromLocation: 'code', toWarehouse: 'code', toLocation: 'code', qty: 'qty' },
    required: ['sku', 'fromWarehouse', 'fromLocation', 'toWarehouse', 'toLocation', 'qty'],
  },
  {
    name: 'pickAction',
    action: act('(shell)/picking/actions', 'pickAction'),
    form: () => ({ orderId, ...bin(), qty: '1' }),
    fields: { orderId: 'uuid', sku: 'code', warehouse: 'code', location: 'code', qty: 'qty' },
    required: ['orderId', 'sku', 'warehouse', 'location', 'qty'],
  },
  {
    name: 'shortPickAction',
    action: act('(shell)/picking/actions', 'shortPickAction'),
    form: () => ({ orderId, ...bin(), qty: '1', reason: 'not_found' }),
    fields: { orderId: 'uuid', sku: 'code', warehouse: 'code', location: 'code', qty: 'qty', reason: 'enum', note: 'optionalText' },
    required: ['orderId', 'sku', 'warehouse', 'location', 'qty', 'reason'],
    valid: false,
  },
  { name: 'shipOrderAction', action: act('(shell)/picking/actions', 'shipOrderAction'), form: () => ({ orderId }), fields: { orderId: 'uuid' }, required: ['orderId'], valid: false },
  {
    name: 'setThresholdAction',
    action: act('(shell)/alerts/actions', 'setThresholdAction'),
    form: () => ({ sku: w.skus[0], threshold: '5', reorderQty: '10', leadTimeDays: '3' }),
    fields: { sku: 'code', threshold: 'count', reorderQty: 'optionalCount', leadTimeDays: 'optionalCount' },
    required: ['sku', 'threshold'],
  },
  {
    name: 'setWarehouseThresholdAction',
    action: act('(shell)/alerts/actions', 'setWarehouseThresholdAction'),
    form: () => ({ sku: w.skus[0], warehouse: w.warehouse, threshold: '4', reorderQty: '8' }),
    fields: { sku: 'code', warehouse: 'code', threshold: 'optionalCount', reorderQty: 'optionalCount' },
    required: ['sku', 'warehouse'],
  },
  {
    name: 'bulkThresholdsAction',
    action: act('(shell)/alerts/actions', 'bulkThresholdsAction'),
    form: () => ({ warehouse: w.warehouse, lines: `${w.skus[0]}, 6, 12\n${w.skus[1]}, 7` }),
    fields: { warehouse: 'optionalCode', lines: 'code' },
    required: ['lines'],
  },
  {
    name: 'acknowledgeAlertAction',
    action: act('(shell)/alerts/actions', 'acknowledgeAlertAction'),
    form: () => ({ alertId: crypto.randomUUID(), note: 'seen' }),
    fields: { alertId: 'uuid', note: 'optionalText' },
    required: ['alertId'],
    valid: false,
  },
  {
    name: 'snoozeAlertAction',
    action: act('(shell)/alerts/actions', 'snoozeAlertAction'),
    form: () => ({ alertId: crypto.randomUUID(), hours: '4' }),
    fields: { alertId: 'uuid', hours: 'qty', note: 'optionalText' },
    required: ['alertId', 'hours'],
    valid: false,
  },
  {
    // The SKU is not fuzzed here: an unknown one is a new product, which is what this form is for.
    name: 'createProductAction',
    action: act('(shell)/products/actions', 'createProductAction'),
    form: () => ({ sku: `NEW-${crypto.randomUUID().slice(0, 8)}`, name: 'New lamp', unit: 'each', lowStockThreshold: '2', leadTimeDays: '5' }),
    fields: { name: 'text', unit: 'text', lowStockThreshold: 'optionalCount', leadTimeDays: 'optionalCount' },
    required: ['name'],
  },
  {
    name: 'saveProductAction',
    action: act('(shell)/products/actions', 'saveProductAction'),
    form: () => ({ sku: w.skus[0], name: 'Renamed', unit: 'box', lowStockThreshold: '3', leadTimeDays: '9' }),
    fields: { sku: 'code', name: 'text', unit: 'text', lowStockThreshold: 'optionalCount', leadTimeDays: 'optionalCount' },
    required: ['sku'],
  },
  {
    name: 'addBarcodeAction',
    action: act('(shell)/products/actions', 'addBarcodeAction'),
    form: () => {
      const body = `29${String(Math.floor(Math.random() * 1e10)).padStart(10, '0')}`;
      return { sku: w.skus[1], barcode: body + gtinCheckDigit(body) };
    },
    fields: { sku: 'code', barcode: 'code' },
    required: ['sku', 'barcode'],
  },
  // The world's products hold stock, so even the valid form is refused (with the figures).
  { name: 'archiveProductAction', action: act('(shell)/products/actions', 'archiveProductAction'), form: () => ({ sku: w.skus[0] }), fields: { sku: 'code' }, required: ['sku'], valid: false },
  {
    name: 'createApiKeyAction',
    action: act('(shell)/settings/actions', 'createApiKeyAction'),
    form: () => ({ name: 'integration', scopes: 'stock:read,orders:write' }),
    fields: { name: 'text', scopes: 'enum' },
    required: ['name', 'scopes'],
  },
  {
    name: 'saveChannelAction',
    action: act('(shell)/settings/channels/actions', 'saveChannelAction'),
    form: () => ({ key: 'web-shop', name: 'Web shop', warehouses: w.warehouse, origins: 'https://shop.example', lowStockThreshold: '3' }),
    fields: { key: 'slug', name: 'text', warehouses: 'optionalCode', origins: 'origin', lowStockThreshold: 'optionalCount' },
    required: ['key', 'name'],
  },
  {
    name: 'deleteChannelAction',
    action: act('(shell)/settings/channels/actions', 'deleteChannelAction'),
    form: () => ({ key: 'nope-channel' }),
    fields: { key: 'slug' },
    required: ['key'],
    valid: false,
  },
  {
    name: 'createPersonAction',
    action: act('(shell)/settings/people/actions', 'createPersonAction'),
    form: () => ({ name: 'New Person', email: `p-${crypto.randomUUID().slice(0, 8)}@shop.example`, role: 'staff' }),
    fields: { name: 'text', email: 'code', role: 'enum', password: 'optionalText' },
    required: ['name', 'email', 'role'],
  },
  // An unknown user for each: refused naming userId, so these never change the admin who sends them.
  {
    name: 'setRoleAction',
    action: act('(shell)/settings/people/actions', 'setRoleAction'),
    form: () => ({ userId: crypto.randomUUID(), role: 'manager' }),
    fields: { userId: 'uuid', role: 'enum' },
    required: ['userId', 'role'],
    valid: false,
  },
  {
    name: 'setActiveAction',
    action: act('(shell)/settings/people/actions', 'setActiveAction'),
    form: () => ({ userId: crypto.randomUUID(), active: 'false' }),
    fields: { userId: 'uuid', active: 'enum' },
    required: ['userId', 'active'],
    valid: false,
  },
  {
    name: 'resetPasswordAction',
    action: act('(shell)/settings/people/actions', 'resetPasswordAction'),
    form: () => ({ userId: crypto.randomUUID() }),
    fields: { userId: 'uuid' },
    required: ['userId'],
    valid: false,
  },
  { name: 'revokeApiKeyAction', action: act('(shell)/settings/actions', 'revokeApiKeyAction'), form: () => ({ id: crypto.randomUUID() }), fields: { id: 'uuid' }, required: ['id'], valid: false },
  {
    name: 'signIn',
    action: act('sign-in/actions', 'signIn'),
    form: () => ({ email: admin.email!, password: TEST_PASSWORD }),
    fields: { email: 'code', password: 'text' },
    required: ['email', 'password'],
    valid: false,
    noDuplicates: true,
  },
];

function toForm(fields: Record<string, string>, dup?: [string, string]): FormData {
  const f = new FormData();
  if (dup) f.append(dup[0], dup[1]);
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  f.append('idempotencyKey', crypto.randomUUID());
  return f;
}

// The form, broken as described: an error next to the field (or quoting the value), never "something went wrong",
// nothing logged, nothing written.
async function checkAction(s: ActionSpec, action: (prev: ActionState, f: FormData) => Promise<ActionState>, b: Broken) {
  const form = s.form();
  for (const m of b.ms) setPath(form, m.path, m.value);
  if (b.extra) form[b.extra[0]] = b.extra[1];
  const top = b.ms.find((m) => m.value !== undefined);
  const f = toForm(form, b.duplicate && top && !s.noDuplicates ? [top.path, s.form()[top.path] ?? ''] : undefined);
  const mark = logged.length;
  let r: ActionState;
  try {
    r = await as(admin, () => action({ status: 'idle' }, f));
  } catch (e) {
    throw new Error(`${s.name} threw with ${JSON.stringify(b).slice(0, 300)}: ${(e as Error).message}`);
  }
  count(s.name);
  const wrote = await written();
  answers.push(JSON.stringify(r));
  const what = `${s.name} with ${JSON.stringify(b).slice(0, 300)} → ${JSON.stringify(r).slice(0, 400)}`;
  expect(r.status, what).toBe('error');
  expect(r.message, what).not.toMatch(/went wrong/);
  const errors = Object.entries(r.fieldErrors ?? {});
  const named = b.ms.some(
    (m) =>
      errors.some(([k]) => k === m.path || k.startsWith(`${m.path}.`)) ||
      (typeof m.value === 'string' && wellFormed(m.value) !== '' && errors.some(([, msgs]) => msgs.some((x) => x.includes(wellFormed(m.value as string))))),
  );
  // Sign-in never says which of the two was wrong.
  if (s.name !== 'signIn' || r.fieldErrors) expect(named, `the refusal is not next to the field: ${what}`).toBe(true);
  expect(errorsSince(mark), what).toEqual([]);
  expect(wrote, what).toBeNull();
}

describe('server actions', () => {
  for (const s of actionSpecs) {
    it(`${s.name}: each field broken alone, then generated combinations; refused next to the field, nothing written`, async () => {
      const action = await s.action();
      for (const b of sweep(s.fields, badText, s.required)) await checkAction(s, action, b);
      await fc.assert(
        fc.asyncProperty(broken(s.fields, badText, s.required), (b) => checkAction(s, action, b)),
        { numRuns: RUNS },
      );
    });
  }

  it('each valid form and request, sent once as it is, is accepted (so the refusals above came from the broken field)', async () => {
    const mark = logged.length;
    for (const s of actionSpecs.filter((x) => x.valid !== false)) {
      const r = await as(admin, async () => (await s.action())({ status: 'idle' }, toForm(s.form())));
      expect(r.status, `${s.name}: ${JSON.stringify(r)}`).toBe('ok');
    }
    for (const r of rest.filter((x) => x.body)) {
      const a = await callRest(r, JSON.stringify(r.body!()), crypto.randomUUID());
      expect(a.status, `${r.name}: ${a.text}`).toBeLessThan(300);
    }
    expect(errorsSince(mark)).toEqual([]);
  });
});

describe('secrets', () => {
  it('a wrong, revoked-looking or garbled key is refused without being echoed', async () => {
    const { GET } = await v1('stock')();
    const guesses = [`onh_${'a'.repeat(12)}_${'b'.repeat(32)}`, key.secret.slice(0, -1) + (key.secret.endsWith('x') ? 'y' : 'x'), 'hunter2-password', `${key.secret} ${key.secret}`];
    for (const g of guesses) {
      const res = await GET(new Request(`${BASE}/api/v1/stock?sku=${w.skus[0]}`, { headers: { Authorization: `Bearer ${g}` } }));
      const text = await res.text();
      answers.push(text);
      expect(res.status).toBe(401);
      for (const part of g.split(' ')) expect(text).not.toContain(part);
    }
  });

  it('no answer and no log line carries the API key, the password or the session secret', () => {
    const secrets = [key.secret, TEST_PASSWORD, process.env.BETTER_AUTH_SECRET!, admin.cookie!.split('=')[1].split('.')[0]];
    for (const s of secrets) {
      for (const a of answers) expect(a.includes(s), `a secret in ${a.slice(0, 200)}`).toBe(false);
      for (const l of logged) expect(JSON.stringify(l).includes(s)).toBe(false);
    }
    expect(answers.length).toBeGreaterThan(1000);
  });
});

// Values the server keeps that no field bound covered before: each is refused (or, for a header the browser
// sends on its own, cut to its bound) and never stored whole.
describe('bounded inputs', () => {
  it('an API key form naming scopes thousands of times is refused next to the field; no key is made', async () => {
    const keys = async () => ((await conn.db.execute(sql`SELECT count(*)::int AS n FROM api_keys`)) as unknown as { n: number }[])[0].n;
    const before = await keys();
    const action = await act('(shell)/settings/actions', 'createApiKeyAction')();
    const r = await as(admin, () => action({ status: 'idle' }, toForm({ name: 'bloat', scopes: Array(20_000).fill('stock:read').join(',') })));
    expect(r.status).toBe('error');
    expect(r.fieldErrors?.scopes?.[0]).toBe('Choose from the listed scopes');
    // A scope ticked twice is one scope.
    const ok = await as(admin, () => action({ status: 'idle' }, toForm({ name: 'twice', scopes: 'stock:read,stock:read' })));
    expect(ok.status).toBe('ok');
    const [row] = (await conn.db.execute(sql`SELECT scopes FROM api_keys WHERE name = 'twice'`)) as unknown as { scopes: string[] }[];
    expect(row.scopes).toEqual(['stock:read']);
    expect(await keys()).toBe(before + 1);
  });

  it('a sign-in with an e-mail address past 254 characters is refused next to the field, before any password check', async () => {
    const signIn = await act('sign-in/actions', 'signIn')();
    const { anonymous } = await import('@/server/testing/request-scope');
    const f = new FormData();
    f.set('email', `${'a'.repeat(5000)}@onhand.test`);
    f.set('password', 'guess');
    const r = await as(anonymous, () => signIn({ status: 'idle' }, f));
    expect(r.status).toBe('error');
    expect(r.fieldErrors?.email).toEqual(['At most 254 characters']);
  });

  it("a session keeps at most 512 characters of the User-Agent, and the client's made-up address is not recorded", async () => {
    const { anonymous } = await import('@/server/testing/request-scope');
    const signIn = await act('sign-in/actions', 'signIn')();
    // An account of its own, and a fresh window for this file's sign-in limits: the generated forms above fail a
    // random number of password checks, for the admin's account and from the same unidentified address.
    const user = await signInAs(conn, 'staff');
    await conn.db.execute(sql`DELETE FROM rate_limits WHERE key LIKE ${`${process.env.RATE_LIMIT_PREFIX ?? ''}sign-in:%`}`);
    const f = new FormData();
    f.set('email', user.email!);
    f.set('password', TEST_PASSWORD);
    const answer = await as(anonymous, () => signIn({ status: 'idle' }, f), { 'user-agent': 'U'.repeat(12_000), 'x-forwarded-for': '203.0.113.66' }).catch((e: Error) => {
      if (!String((e as { digest?: string }).digest ?? e.message).includes('NEXT_REDIRECT')) throw e;
      return 'signed in';
    });
    expect(answer).toBe('signed in');
    const [s] = (await conn.db.execute(sql`
      SELECT length(s.user_agent)::int AS ua, s.ip_address AS ip FROM sessions s
      WHERE s.user_id = ${user.userId} ORDER BY s.created_at DESC, length(s.user_agent) DESC LIMIT 1`)) as unknown as { ua: number; ip: string | null }[];
    expect(s.ua).toBe(512);
    expect(s.ip).not.toBe('203.0.113.66');
  });
});
