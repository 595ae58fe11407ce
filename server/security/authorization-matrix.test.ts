// Who may do what: every server action, every route handler, every page and every socket room, called in-process
// by every kind of caller, against the answer written in the table below. A new action, route, page or room
// that is not in the table fails the test until someone decides who may use it.
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));
vi.mock('next/headers', async () => (await import('@/server/testing/request-scope')).nextHeadersMock);
vi.mock('next/cache', async () => (await import('@/server/testing/request-scope')).nextCacheMock);

import type { ActionState } from '@/lib/contracts/action-state';
import type { RealtimeTokenResponse } from '@/lib/contracts/realtime';
import { apiScopes, revokeApiKey } from '@/server/auth/api-keys';
import type { RouteHandler } from '@/server/api/api-route';
import { BASE, makeKey, type TestKey } from '@/server/api/test-support';
import { connected, join, startSidecar, staffClient, storefrontClient, type Sidecar } from '@/server/realtime/test-support';
import { AVAILABILITY_PATH } from '@/server/storefront/availability/query';
import { EMBED_PATH } from '@/server/realtime/embed-script';
import { staffRoomRoles } from '@/server/realtime/staff-namespace';
import { makeWorld, testConnection, waitFor, type World } from '@/server/testing/fixtures';
import { SESSION_CACHE_SECONDS } from '@/server/auth/auth';
import { anonymous, as, pageOutcome, signInAs, type TestSession } from '@/server/testing/request-scope';

// ── The table ────────────────────────────────────────────────────────────────────────────────────────────────
// One letter per caller, in this order:
//   anon  staff  manager  admin | key with only stock:read, stock:write, reservations:write, orders:read, orders:write, catalog:read,
//   catalog:write | key with every scope, revoked key
// A = let through (the call reaches its input validation or its work), S = refused as not signed in
// (401, redirect to sign-in, "your session has ended", socket handshake refused), F = refused as not allowed
// (403, the "Not allowed" page, "this needs the … role", room join refused).
// An API key is never a session (pages, actions and dashboard reads), and a session is never an API key (/api/v1).
const callers = ['anon', 'staff', 'manager', 'admin', 'key:stock:read', 'key:stock:write', 'key:reservations:write', 'key:orders:read', 'key:orders:write', 'key:catalog:read', 'key:catalog:write', 'key:all', 'key:revoked'] as const;
type Caller = (typeof callers)[number];

//                          anon staff mgr admin | sr  sw  rw  or  ow  cr  cw | all revoked
const PUBLIC /*        */ = 'A    A    A    A   | A   A   A   A   A   A   A  | A   A';
const SIGNED_IN /*     */ = 'S    A    A    A   | S   S   S   S   S   S   S  | S   S';
const MANAGER /*       */ = 'S    F    A    A   | S   S   S   S   S   S   S  | S   S';
const ADMIN /*         */ = 'S    F    F    A   | S   S   S   S   S   S   S  | S   S';
const STOCK_READ /*    */ = 'S    S    S    S   | A   F   F   F   F   F   F  | A   S';
const STOCK_WRITE /*   */ = 'S    S    S    S   | F   A   F   F   F   F   F  | A   S';
const RESERVATIONS /*  */ = 'S    S    S    S   | F   F   A   F   F   F   F  | A   S';
const ORDERS_READ /*   */ = 'S    S    S    S   | F   F   F   A   F   F   F  | A   S';
const ORDERS /*        */ = 'S    S    S    S   | F   F   F   F   A   F   F  | A   S';
const CATALOG_READ /*  */ = 'S    S    S    S   | F   F   F   F   F   A   F  | A   S';
const CATALOG_WRITE /* */ = 'S    S    S    S   | F   F   F   F   F   F   A  | A   S';
// Only METRICS_TOKEN (tested in server/realtime/access.test.ts): no session or API key reads it.
const METRICS_TOKEN /* */ = 'S    S    S    S   | S   S   S   S   S   S   S  | S   S';

// Server actions, by file (under app/, without extension) and export.
const actions: Record<string, string> = {
  '(shell)/adjust/actions#adjustAction': MANAGER,
  '(shell)/approvals/actions#approveStockChangeAction': MANAGER,
  '(shell)/approvals/actions#rejectStockChangeAction': MANAGER,
  '(shell)/alerts/actions#setThresholdAction': MANAGER,
  '(shell)/alerts/actions#setWarehouseThresholdAction': MANAGER,
  '(shell)/alerts/actions#bulkThresholdsAction': MANAGER,
  '(shell)/alerts/actions#acknowledgeAlertAction': MANAGER,
  '(shell)/alerts/actions#snoozeAlertAction': MANAGER,
  '(shell)/alerts/actions#bulkAcknowledgeAction': MANAGER,
  '(shell)/alerts/actions#bulkSnoozeAction': MANAGER,
  '(shell)/counts/actions#countAction': SIGNED_IN,
  '(shell)/counts/actions#closeCountAction': SIGNED_IN,
  '(shell)/products/actions#createProductAction': MANAGER,
  '(shell)/products/actions#saveProductAction': MANAGER,
  '(shell)/products/actions#addBarcodeAction': MANAGER,
  '(shell)/products/actions#archiveProductAction': MANAGER,
  '(shell)/products/actions#restoreProductAction': MANAGER,
  '(shell)/orders/actions#cancelOrderAction': MANAGER,
  '(shell)/picking/actions#pickAction': SIGNED_IN,
  '(shell)/picking/actions#shortPickAction': SIGNED_IN,
  '(shell)/picking/actions#shipOrderAction': SIGNED_IN,
  '(shell)/purchase-orders/actions#createPurchaseOrderAction': MANAGER,
  '(shell)/purchase-orders/actions#setPurchaseOrderLineAction': MANAGER,
  '(shell)/purchase-orders/actions#markOrderedAction': MANAGER,
  '(shell)/purchase-orders/actions#cancelPurchaseOrderAction': MANAGER,
  '(shell)/purchase-orders/actions#closePurchaseOrderAction': MANAGER,
  '(shell)/purchase-orders/actions#draftFromSuggestionsAction': MANAGER,
  '(shell)/receiving/actions#receiveAction': SIGNED_IN,
  '(shell)/settings/actions#createApiKeyAction': ADMIN,
  '(shell)/settings/actions#revokeApiKeyAction': ADMIN,
  '(shell)/settings/actions#setApiKeyLimitAction': ADMIN,
  '(shell)/settings/people/actions#createPersonAction': ADMIN,
  '(shell)/settings/people/actions#setRoleAction': ADMIN,
  '(shell)/settings/people/actions#setActiveAction': ADMIN,
  '(shell)/settings/people/actions#resetPasswordAction': ADMIN,
  '(shell)/settings/channels/actions#saveChannelAction': ADMIN,
  '(shell)/settings/channels/actions#deleteChannelAction': ADMIN,
  '(shell)/suppliers/actions#createSupplierAction': MANAGER,
  '(shell)/suppliers/actions#saveSupplierAction': MANAGER,
  '(shell)/suppliers/actions#setSupplierActiveAction': MANAGER,
  '(shell)/suppliers/actions#saveProductSupplierAction': MANAGER,
  '(shell)/suppliers/actions#removeProductSupplierAction': MANAGER,
  '(shell)/transfers/actions#transferAction': SIGNED_IN,
  '(shell)/transfers/actions#transferAllAction': SIGNED_IN,
  '(shell)/warehouses/actions#createWarehouseAction': MANAGER,
  '(shell)/warehouses/actions#renameWarehouseAction': MANAGER,
  '(shell)/warehouses/actions#setWarehouseActiveAction': MANAGER,
  '(shell)/warehouses/actions#createBinAction': MANAGER,
  '(shell)/warehouses/actions#saveBinAction': MANAGER,
  '(shell)/warehouses/actions#setBinActiveAction': MANAGER,
  '(shell)/warehouses/actions#createBinsByPatternAction': MANAGER,
  'account/actions#changePasswordAction': SIGNED_IN,
  'sign-in/actions#signIn': PUBLIC,
  'sign-in/actions#signOut': PUBLIC,
};

// Route handlers, by method and URL path.
const routes: Record<string, string> = {
  'GET /activity/export': MANAGER,
  'GET /alerts/export': MANAGER,
  'GET /api/alerts': MANAGER,
  'GET /api/alerts/count': MANAGER,
  'GET /api/alerts/summary': MANAGER,
  'GET /api/approvals': MANAGER,
  'GET /api/approvals/count': MANAGER,
  'GET /api/dashboard/bin': SIGNED_IN,
  'GET /api/dashboard/orders': SIGNED_IN,
  'GET /api/dashboard/exports/ledger': MANAGER,
  'GET /api/dashboard/exports/products': MANAGER,
  'GET /api/dashboard/exports/stock': MANAGER,
  'POST /api/dashboard/imports': MANAGER,
  'GET /api/dashboard/picking': SIGNED_IN,
  'GET /api/dashboard/places': MANAGER,
  'GET /api/dashboard/places/bins': MANAGER,
  'GET /api/dashboard/places/pattern': MANAGER,
  'GET /api/dashboard/product': SIGNED_IN,
  'GET /api/dashboard/product/history': SIGNED_IN,
  'GET /api/dashboard/product/series': SIGNED_IN,
  'GET /api/dashboard/purchase-order': SIGNED_IN,
  'GET /api/dashboard/purchase-orders': SIGNED_IN,
  'GET /api/dashboard/purchasing': MANAGER,
  'GET /api/dashboard/scan': SIGNED_IN,
  'GET /api/dashboard/stock': SIGNED_IN,
  'GET /api/dashboard/warehouses': SIGNED_IN,
  'GET /api/health': PUBLIC,
  'POST /api/realtime/token': SIGNED_IN,
  'GET /api/why-available': SIGNED_IN,
  'GET /api/v1/availability': PUBLIC,
  'OPTIONS /api/v1/availability': PUBLIC,
  'POST /api/v1/imports': CATALOG_WRITE,
  'GET /api/v1/purchase-orders': CATALOG_READ,
  'GET /api/v1/purchase-orders/[reference]': CATALOG_READ,
  'GET /purchase-orders/[reference]/csv': MANAGER,
  // The camera's decoder, for the floor screens.
  'GET /scanner/zxing_reader.wasm': SIGNED_IN,
  'GET /api/v1/locations': CATALOG_READ,
  'PUT /api/v1/locations/[warehouse]/[code]': CATALOG_WRITE,
  'GET /api/v1/movements': STOCK_READ,
  'POST /api/v1/movements': STOCK_WRITE,
  'GET /api/v1/openapi.json': PUBLIC,
  'GET /api/v1/orders': ORDERS_READ,
  'POST /api/v1/orders': ORDERS,
  'GET /api/v1/orders/[id]': ORDERS_READ,
  'POST /api/v1/orders/[id]/cancel': ORDERS,
  'POST /api/v1/reservations': RESERVATIONS,
  'DELETE /api/v1/reservations/[id]': RESERVATIONS,
  'GET /api/v1/products': CATALOG_READ,
  'PUT /api/v1/products/[sku]': CATALOG_WRITE,
  'POST /api/v1/products/[sku]/archive': CATALOG_WRITE,
  'GET /api/v1/stock': STOCK_READ,
  // Prometheus sends METRICS_TOKEN instead (tested in server/observability/metrics.test.ts).
  'GET /metrics': ADMIN,
};

// Pages and layouts, by URL path ("layout" for the shell every staff page sits in).
const pages: Record<string, string> = {
  '/': PUBLIC,
  '/sign-in': PUBLIC,
  '/forbidden': PUBLIC,
  '/account': SIGNED_IN,
  'layout /': PUBLIC,
  'layout /(shell)': SIGNED_IN,
  '/activity': MANAGER,
  '/adjust': MANAGER,
  '/approvals': MANAGER,
  '/alerts': MANAGER,
  '/alerts/product/[sku]': MANAGER,
  '/alerts/thresholds': MANAGER,
  '/counts': SIGNED_IN,
  // Labels print outside the shell (no navigation on paper); staff print bin and product labels on the floor.
  '/labels/bins': SIGNED_IN,
  '/labels/products': SIGNED_IN,
  '/orders': SIGNED_IN,
  '/import': MANAGER,
  '/picking': SIGNED_IN,
  '/products': MANAGER,
  '/products/new': MANAGER,
  '/products/[sku]': MANAGER,
  '/purchase-orders': MANAGER,
  '/purchase-orders/[reference]': MANAGER,
  '/purchase-orders/[reference]/print': MANAGER,
  '/receiving': SIGNED_IN,
  '/receiving/receipt': SIGNED_IN,
  '/settings': ADMIN,
  '/settings/channels': ADMIN,
  '/settings/people': ADMIN,
  '/stock': SIGNED_IN,
  '/stock/[sku]': SIGNED_IN,
  '/suppliers': MANAGER,
  '/suppliers/[id]': MANAGER,
  '/transfers': SIGNED_IN,
  '/warehouses': MANAGER,
  '/warehouses/[code]': MANAGER,
};

// Socket rooms: the staff namespace (a token from POST /api/realtime/token) and the public storefront namespace.
const rooms: Record<string, string> = {
  '/ warehouse:<id>': SIGNED_IN,
  '/ alerts': MANAGER,
  '/ approvals': MANAGER,
  '/storefront sku:<sku>': PUBLIC,
};

// The sidecar's own HTTP answers: availability and the badge script are read by storefront pages, /health by
// probes; /metrics needs METRICS_TOKEN.
const sidecarHttp: Record<string, string> = {
  [`GET ${AVAILABILITY_PATH}`]: PUBLIC,
  [`GET ${EMBED_PATH}`]: PUBLIC,
  'GET /health': PUBLIC,
  'GET /metrics': METRICS_TOKEN,
};

// ── Enumerating what exists ──────────────────────────────────────────────────────────────────────────────────
const APP = path.resolve('app');
const appFiles = (fs.readdirSync(APP, { recursive: true }) as string[]).map((f) => f.split(path.sep).join('/')).sort();
const isActionFile = (f: string) => /\.(ts|tsx)$/.test(f) && !f.endsWith('.test.ts') && /^\s*['"]use server['"]/.test(fs.readFileSync(path.join(APP, f), 'utf8'));
const urlOf = (dir: string) => '/' + dir.split('/').filter((s) => s && !/^\(.*\)$/.test(s)).join('/');
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

// The file under app/ that answers a URL path (route groups such as (shell) are not part of the URL).
const fileOf = (name: string, url: string) => appFiles.find((f) => path.posix.basename(f) === name && urlOf(path.posix.dirname(f) === '.' ? '' : path.posix.dirname(f)) === url)!;

const cells = (row: string) => row.replace(/\|/g, ' ').trim().split(/\s+/);

function parse(row: string): Record<Caller, 'A' | 'S' | 'F'> {
  const c = cells(row);
  if (c.length !== callers.length || c.some((x) => !'ASF'.includes(x))) throw new Error(`bad table row: ${row}`);
  return Object.fromEntries(callers.map((k, i) => [k, c[i]])) as Record<Caller, 'A' | 'S' | 'F'>;
}

// ── Callers ─────────────────────────────────────────────────────────────────────────────────────────────────
const conn = testConnection(4);
let w: World;
const sessions: Partial<Record<Caller, TestSession>> = {};
const keys: Partial<Record<Caller, TestKey>> = {};
let checked = 0;

beforeAll(async () => {
  w = await makeWorld(conn, { products: 1 });
  sessions.anon = anonymous;
  for (const role of ['staff', 'manager', 'admin'] as const) sessions[role] = await signInAs(conn, role);
  for (const scope of apiScopes) keys[`key:${scope}` as Caller] = await makeKey(conn, [scope]);
  keys['key:all'] = await makeKey(conn, [...apiScopes]);
  const revoked = await makeKey(conn, [...apiScopes]);
  await revokeApiKey(conn.db, revoked.id);
  keys['key:revoked'] = revoked;
});
afterAll(async () => {
  console.log(`[authorization] ${checked} cells checked`);
  await conn.close();
});

// A caller's session (a key is sent as a bearer token and holds no session).
function sessionOf(c: Caller): TestSession {
  return sessions[c] ?? anonymous;
}
function headersOf(c: Caller): Record<string, string> {
  const h: Record<string, string> = {};
  const s = sessions[c];
  if (s?.cookie) h.cookie = s.cookie;
  const k = keys[c];
  if (k) h.authorization = `Bearer ${k.secret}`;
  return h;
}
const asCaller = <T>(c: Caller, fn: () => Promise<T>) => as(sessionOf(c), fn, headersOf(c));

function expectCell(what: string, caller: Caller, expected: string, got: string, detail = '') {
  checked++;
  expect(`${what} as ${caller}: ${got}`, detail).toBe(`${what} as ${caller}: ${expected}`);
}

// ── The tests ───────────────────────────────────────────────────────────────────────────────────────────────
describe('every entry point is in the table', () => {
  it('server actions', async () => {
    const found: string[] = [];
    for (const f of appFiles.filter(isActionFile)) {
      const mod = (await import(/* @vite-ignore */ path.join(APP, f))) as Record<string, unknown>;
      for (const [name, v] of Object.entries(mod)) if (typeof v === 'function') found.push(`${f.replace(/\.tsx?$/, '')}#${name}`);
    }
    expect(found.sort()).toEqual(Object.keys(actions).sort());
  });

  it('route handlers', async () => {
    const found: string[] = [];
    for (const f of appFiles.filter((f) => /(^|\/)route\.tsx?$/.test(f))) {
      const mod = (await import(/* @vite-ignore */ path.join(APP, f))) as Record<string, unknown>;
      for (const m of METHODS) if (typeof mod[m] === 'function') found.push(`${m} ${urlOf(path.posix.dirname(f))}`);
    }
    expect(found.sort()).toEqual(Object.keys(routes).sort());
  });

  it('pages and layouts', () => {
    const found = appFiles
      .filter((f) => /(^|\/)(page|layout)\.tsx$/.test(f))
      .map((f) => {
        const dir = path.posix.dirname(f) === '.' ? '' : path.posix.dirname(f);
        return f.endsWith('layout.tsx') ? `layout /${dir}` : urlOf(dir);
      });
    expect(found.sort()).toEqual(Object.keys(pages).sort());
  });

  it('socket rooms', () => {
    const source = fs.readFileSync('server/realtime/create-realtime.ts', 'utf8');
    const namespaces = [...source.matchAll(/io\.of\(([^)]+)\)/g)].map((m) => m[1]);
    expect(namespaces).toEqual(["'/'", 'STOREFRONT_NAMESPACE']);
    const staffRooms = Object.keys(staffRoomRoles).map((k) => (k === 'warehouse' ? '/ warehouse:<id>' : `/ ${k}`));
    expect([...staffRooms, '/storefront sku:<sku>'].sort()).toEqual(Object.keys(rooms).sort());
  });

  it("the sidecar's HTTP paths", () => {
    const source = fs.readFileSync('server/realtime/create-realtime.ts', 'utf8');
    const consts: Record<string, string> = { AVAILABILITY_PATH, EMBED_PATH };
    const paths = [...source.matchAll(/(?:url\.pathname|req\.url) === ('[^']+'|\w+)/g)].map((m) => (m[1].startsWith("'") ? m[1].slice(1, -1) : consts[m[1]] ?? m[1]));
    expect(paths.map((p) => `GET ${p}`).sort()).toEqual(Object.keys(sidecarHttp).sort());
  });
});

// How each kind of entry point is called, and how its answer reads as A, S or F.
function actionVerdict(r: ActionState): string {
  if (r.message?.startsWith('Your session has ended')) return 'S';
  if (/^This needs the \w+ role/.test(r.message ?? '')) return 'F';
  return 'A';
}

function statusVerdict(status: number, body: string): string {
  if (status >= 500) throw new Error(`answered ${status}: ${body.slice(0, 300)}`);
  return status === 401 ? 'S' : status === 403 ? 'F' : 'A';
}

// What each route is called with: enough to get past routing, never enough to change anything.
const probes: Record<string, { path?: string; params?: Record<string, string>; body?: string }> = {
  'GET /api/v1/orders/[id]': { params: { id: '00000000-0000-4000-8000-000000000000' } },
  'POST /api/v1/orders/[id]/cancel': { params: { id: '00000000-0000-4000-8000-000000000000' } },
  'DELETE /api/v1/reservations/[id]': { params: { id: '00000000-0000-4000-8000-000000000000' } },
  'PUT /api/v1/products/[sku]': { path: '/api/v1/products/NO-SUCH-SKU', params: { sku: 'NO-SUCH-SKU' } },
  'PUT /api/v1/locations/[warehouse]/[code]': { path: '/api/v1/locations/NO-SUCH-WH/X', params: { warehouse: 'NO-SUCH-WH', code: 'X' } },
  'POST /api/v1/products/[sku]/archive': { path: '/api/v1/products/NO-SUCH-SKU/archive', params: { sku: 'NO-SUCH-SKU' } },
  'GET /api/v1/purchase-orders/[reference]': { path: '/api/v1/purchase-orders/NO-SUCH-PO', params: { reference: 'NO-SUCH-PO' } },
  'GET /purchase-orders/[reference]/csv': { path: '/purchase-orders/NO-SUCH-PO/csv', params: { reference: 'NO-SUCH-PO' } },
};

describe('the matrix', () => {
  it('server actions', async () => {
    for (const [id, row] of Object.entries(actions)) {
      const [file, name] = id.split('#');
      const mod = (await import(/* @vite-ignore */ path.join(APP, file))) as Record<string, (prev: ActionState, f: FormData) => Promise<ActionState>>;
      for (const [caller, expected] of Object.entries(parse(row)) as [Caller, string][]) {
        // Signing out ends the session: each signed-in caller signs out a session of its own.
        const s = name === 'signOut' && sessions[caller]?.cookie ? await signInAs(conn, sessions[caller]!.role as 'staff') : undefined;
        const run = () => mod[name]({ status: 'idle' }, new FormData());
        let got: string;
        try {
          got = actionVerdict(await (s ? as(s, run) : asCaller(caller, run)));
        } catch (e) {
          // signOut answers with a redirect to the sign-in page, for everyone.
          const outcome = await pageOutcome(() => Promise.reject(e));
          got = outcome === 'sign-in' ? 'A' : `threw ${outcome}`;
        }
        expectCell(id, caller, expected, got);
      }
    }
  });

  it('route handlers', async () => {
    for (const [id, row] of Object.entries(routes)) {
      const [method, route] = id.split(' ');
      const file = path.join(APP, fileOf('route.ts', route));
      const handler = ((await import(/* @vite-ignore */ file)) as Record<string, RouteHandler>)[method];
      const probe = probes[id] ?? {};
      for (const [caller, expected] of Object.entries(parse(row)) as [Caller, string][]) {
        const headers = new Headers(headersOf(caller));
        if (method === 'POST') headers.set('Idempotency-Key', crypto.randomUUID());
        const body = method === 'POST' ? (probe.body ?? '{}') : undefined;
        if (body) headers.set('content-type', 'application/json');
        const url = BASE + (probe.path ?? route.replace('[id]', probe.params?.id ?? ''));
        const res = await asCaller(caller, () => handler(new Request(url, { method, headers, body }), { params: Promise.resolve(probe.params ?? {}) }));
        const text = await res.text();
        expectCell(id, caller, expected, statusVerdict(res.status, text), text);
      }
    }
  });

  it('pages', async () => {
    for (const [id, row] of Object.entries(pages)) {
      const file = id.startsWith('layout ') ? path.join(APP, id.slice('layout /'.length), 'layout.tsx') : path.join(APP, fileOf('page.tsx', id));
      const Page = ((await import(/* @vite-ignore */ file)) as { default: (p: unknown) => Promise<unknown> }).default;
      const props = { params: Promise.resolve({ sku: w.skus[0] }), searchParams: Promise.resolve({}), children: null };
      for (const [caller, expected] of Object.entries(parse(row)) as [Caller, string][]) {
        const outcome = await asCaller(caller, () => pageOutcome(async () => Page(props)));
        const got = outcome === 'sign-in' ? 'S' : outcome === 'forbidden' ? 'F' : 'A';
        expectCell(id, caller, expected, got, outcome);
      }
    }
  });

  describe('socket rooms', () => {
    let sidecar: Sidecar;
    beforeAll(async () => {
      sidecar = await startSidecar();
    });
    afterAll(() => sidecar.close());

    it('the staff namespace, with the token the app mints for each caller', async () => {
      const { POST } = await import('@/app/api/realtime/token/route');
      for (const caller of callers) {
        const res = await asCaller(caller, () => POST());
        const minted = res.ok ? ((await res.json()) as RealtimeTokenResponse) : null;
        const socket = staffClient(sidecar.url, () => minted?.token);
        try {
          let handshake: 'ok' | string = 'ok';
          await connected(socket).catch((e: Error) => (handshake = e.message));
          for (const room of ['/ warehouse:<id>', '/ alerts', '/ approvals']) {
            const name = room === '/ warehouse:<id>' ? `warehouse:${w.warehouseId}` : room.slice(2);
            let got: string;
            if (handshake !== 'ok') got = handshake === 'unauthorized' ? 'S' : `handshake ${handshake}`;
            else {
              const r = await join(socket, [name]);
              got = r.joined.includes(name) ? 'A' : r.refused[0]?.reason === 'forbidden' ? 'F' : `refused ${r.refused[0]?.reason}`;
            }
            expectCell(room, caller, parse(rooms[room])[caller], got);
          }
        } finally {
          socket.close();
        }
      }
    });

    it("the sidecar's HTTP answers", async () => {
      const probe: Record<string, string> = { [`GET ${AVAILABILITY_PATH}`]: `${AVAILABILITY_PATH}?sku=${encodeURIComponent(w.skus[0])}` };
      for (const [id, row] of Object.entries(sidecarHttp)) {
        for (const [caller, expected] of Object.entries(parse(row)) as [Caller, string][]) {
          const res = await fetch(sidecar.url + (probe[id] ?? id.split(' ')[1]), { headers: headersOf(caller) });
          expectCell(`sidecar ${id}`, caller, expected, statusVerdict(res.status, await res.text()));
        }
      }
    });

    it('the storefront namespace needs nothing and gives figures only', async () => {
      for (const caller of callers) {
        const socket = storefrontClient(sidecar.url);
        try {
          await connected(socket);
          const ack = await socket.timeout(5000).emitWithAck('subscribe', { skus: [w.skus[0]] });
          expect(ack.items).toHaveLength(1);
          // Never bins, ids, costs or users.
          for (const k of Object.keys(ack.items[0])) expect(k).not.toMatch(/location|bin|cost|user|product|warehouse|id$|onHand|reserved/i);
          expectCell('/storefront sku:<sku>', caller, parse(rooms['/storefront sku:<sku>'])[caller], 'A');
        } finally {
          socket.close();
        }
      }
    });
  });
});

// Holds and orders belong to the key that made them: every other key, whatever its scopes, meets 404 (as for an id
// that does not exist), and staff reach them only through their own pages. The owner's own call is the control.
describe("another key's holds and orders", () => {
  it('are not found for every other caller with the scope; their owner reaches them', async () => {
    const { POST: reserve } = await import('@/app/api/v1/reservations/route');
    const { DELETE: release } = await import('@/app/api/v1/reservations/[id]/route');
    const { POST: place } = await import('@/app/api/v1/orders/route');
    const { POST: cancel } = await import('@/app/api/v1/orders/[id]/cancel/route');
    const { stock } = await import('@/server/inventory/test-support');
    await stock(conn, w, w.skus[0], { 'A-01': 10 });
    const owner = await makeKey(conn, ['reservations:write', 'orders:write']);
    const send = async (handler: RouteHandler, method: string, url: string, k: TestKey, params: Record<string, string> = {}, body?: unknown) => {
      const headers = new Headers({ authorization: `Bearer ${k.secret}` });
      if (method === 'POST') headers.set('Idempotency-Key', crypto.randomUUID());
      if (body) headers.set('content-type', 'application/json');
      const res = await handler(new Request(BASE + url, { method, headers, body: body ? JSON.stringify(body) : undefined }), { params: Promise.resolve(params) });
      return { status: res.status, body: (await res.json()) as { id: string } };
    };
    const hold = (await send(reserve, 'POST', '/api/v1/reservations', owner, {}, { sku: w.skus[0], qty: 1 })).body.id;
    const order = (await send(place, 'POST', '/api/v1/orders', owner, {}, { reference: `M-${crypto.randomUUID()}`, lines: [{ sku: w.skus[0], qty: 1 }] })).body.id;
    for (const caller of ['key:reservations:write', 'key:all'] as const) {
      const got = await send(release, 'DELETE', `/api/v1/reservations/${hold}`, keys[caller]!, { id: hold });
      expectCell(`DELETE another key's hold`, caller, '404', String(got.status));
    }
    for (const caller of ['key:orders:write', 'key:all'] as const) {
      const got = await send(cancel, 'POST', `/api/v1/orders/${order}/cancel`, keys[caller]!, { id: order });
      expectCell(`cancel another key's order`, caller, '404', String(got.status));
    }
    expectCell(`DELETE its own hold`, 'key:all', '200', String((await send(release, 'DELETE', `/api/v1/reservations/${hold}`, owner, { id: hold })).status));
    expectCell(`cancel its own order`, 'key:all', '200', String((await send(cancel, 'POST', `/api/v1/orders/${order}/cancel`, owner, { id: order })).status));
  });
});

describe('sessions', () => {
  it('an expired session is anonymous everywhere, and a fresh one lasts a shift (12 hours)', async () => {
    const s = await signInAs(conn, 'admin');
    const [row] = (await conn.db.execute(sql`SELECT expires_at FROM sessions WHERE user_id = ${s.userId}`)) as unknown as { expires_at: Date }[];
    const hours = (new Date(row.expires_at).getTime() - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(11.9);
    expect(hours).toBeLessThanOrEqual(12);

    const { adjustAction } = await import('@/app/(shell)/adjust/actions');
    const { GET } = await import('@/app/api/dashboard/warehouses/route');
    const Stock = (await import('@/app/(shell)/stock/(list)/page')).default as (p: unknown) => Promise<unknown>;
    const props = { searchParams: Promise.resolve({}) };
    expect(await as(s, () => pageOutcome(() => Stock(props)))).toBe('rendered');
    expect((await as(s, () => GET(new Request(`${BASE}/api/dashboard/warehouses`)))).status).toBe(200);

    await conn.db.execute(sql`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = ${s.userId}`);
    expect(await as(s, () => pageOutcome(() => Stock(props)))).toBe('sign-in');
    expect((await as(s, () => GET(new Request(`${BASE}/api/dashboard/warehouses`)))).status).toBe(401);
    // Server actions check the session's signed cookie cache: they see the end within its lifetime.
    const act = () => as(s, () => adjustAction({ status: 'idle' }, new FormData()));
    await waitFor(async () => /session has ended/.test((await act()).message ?? ''), 'the action to see the session end', SESSION_CACHE_SECONDS * 1000 + 10_000);
  });

  it('a session in use still ends a shift after sign-in (ONHAND_SESSION_MAX_HOURS), however often it was renewed', async () => {
    const s = await signInAs(conn, 'staff');
    const { GET } = await import('@/app/api/dashboard/warehouses/route');
    const { POST } = await import('@/app/api/realtime/token/route');
    // Renewed a minute ago (as better-auth does while it is used), signed in 12 hours ago.
    await conn.db.execute(sql`UPDATE sessions SET created_at = now() - interval '12 hours', updated_at = now() - interval '1 minute',
      expires_at = now() + interval '11 hours' WHERE user_id = ${s.userId}`);
    expect((await as(s, () => GET(new Request(`${BASE}/api/dashboard/warehouses`)))).status).toBe(401);
    expect((await as(s, () => POST())).status).toBe(401);
    const [left] = (await conn.db.execute(sql`SELECT count(*)::int AS n FROM sessions WHERE user_id = ${s.userId}`)) as unknown as { n: number }[];
    expect(left.n).toBe(0);

    process.env.ONHAND_SESSION_MAX_HOURS = '2';
    try {
      const t = await signInAs(conn, 'staff');
      await conn.db.execute(sql`UPDATE sessions SET created_at = now() - interval '90 minutes' WHERE user_id = ${t.userId}`);
      expect((await as(t, () => GET(new Request(`${BASE}/api/dashboard/warehouses`)))).status).toBe(200);
      await conn.db.execute(sql`UPDATE sessions SET created_at = now() - interval '121 minutes' WHERE user_id = ${t.userId}`);
      expect((await as(t, () => GET(new Request(`${BASE}/api/dashboard/warehouses`)))).status).toBe(401);
    } finally {
      delete process.env.ONHAND_SESSION_MAX_HOURS;
    }
  });

  it('a forged or altered session cookie is anonymous', async () => {
    const s = await signInAs(conn, 'admin');
    const { GET } = await import('@/app/api/dashboard/warehouses/route');
    const tampered = { ...s, cookie: s.cookie!.replace(/=([^.]+)\./, (_, t: string) => `=${t.slice(0, -2)}xx.`) };
    expect((await as(tampered, () => GET(new Request(`${BASE}/api/dashboard/warehouses`)))).status).toBe(401);
    const unsigned = { ...s, cookie: s.cookie!.replace(/\.[^;]+/, '') };
    expect((await as(unsigned, () => GET(new Request(`${BASE}/api/dashboard/warehouses`)))).status).toBe(401);
  });

  it('a demoted user loses the role at the next call', async () => {
    const s = await signInAs(conn, 'manager');
    const { GET } = await import('@/app/api/alerts/count/route');
    expect((await as(s, () => GET(new Request(`${BASE}/api/alerts/count`)))).status).toBe(200);
    await conn.db.execute(sql`UPDATE users SET role = 'staff' WHERE id = ${s.userId}`);
    expect((await as(s, () => GET(new Request(`${BASE}/api/alerts/count`)))).status).toBe(403);
  });
});
