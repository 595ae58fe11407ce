// The built app's own defences: security headers on pages and API answers (not on what storefronts embed), a
// Content-Security-Policy the app itself lives within, a session cookie scripts cannot read, and server actions
// refused from another origin even when they carry a valid session.
import { expect, test, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { createApiKey } from '@/server/auth/api-keys';
import { core, makeProduct, openThresholdEditor } from './dashboard-fixtures';
import { database, signIn } from './support';

const realtimeOrigin = new URL(process.env.E2E_REALTIME_URL ?? 'http://localhost:3001').origin;

function directives(csp: string | undefined): Record<string, string[]> {
  return Object.fromEntries((csp ?? '').split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([k, ...v]) => [k, v]));
}

test('pages: a nonce-based CSP that forbids framing, nosniff and a referrer policy; every script carries the nonce', async ({ request }) => {
  const res = await request.get('/sign-in');
  expect(res.status()).toBe(200);
  const h = res.headers();
  expect(h['x-content-type-options']).toBe('nosniff');
  expect(h['referrer-policy']).toBe('strict-origin-when-cross-origin');
  expect(h['x-frame-options']).toBe('DENY');
  const csp = directives(h['content-security-policy']);
  expect(csp['frame-ancestors']).toEqual(["'none'"]);
  expect(csp['object-src']).toEqual(["'none'"]);
  expect(csp['base-uri']).toEqual(["'self'"]);
  expect(csp['form-action']).toEqual(["'self'"]);
  expect(csp['connect-src']).toContain(realtimeOrigin);
  expect(csp['script-src']).not.toContain("'unsafe-inline'");
  expect(csp['script-src']).not.toContain("'unsafe-eval'");
  const nonce = csp['script-src'].find((s) => s.startsWith("'nonce-"))!.slice("'nonce-".length, -1);
  expect(nonce.length).toBeGreaterThan(16);
  const html = await res.text();
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  expect(scripts.length).toBeGreaterThan(0);
  for (const s of scripts) expect(s, s).toContain(`nonce="${nonce}"`);
  // A fresh nonce per request.
  const again = directives((await request.get('/sign-in')).headers()['content-security-policy']);
  expect(again['script-src']).not.toContain(`'nonce-${nonce}'`);
});

test('API answers load nothing and may not be framed; public availability may be embedded', async ({ request }) => {
  const api = await request.get('/api/v1/stock?sku=X');
  expect(api.status()).toBe(401);
  expect(api.headers()['x-content-type-options']).toBe('nosniff');
  expect(api.headers()['x-frame-options']).toBe('DENY');
  expect(directives(api.headers()['content-security-policy'])['default-src']).toEqual(["'none'"]);

  const availability = await request.get('/api/v1/availability?sku=X');
  expect(availability.status()).toBeLessThan(500);
  expect(availability.headers()['x-content-type-options']).toBe('nosniff');
  expect(availability.headers()['x-frame-options']).toBeUndefined();
  expect(availability.headers()['content-security-policy'] ?? '').not.toContain('frame-ancestors');
});

// Every page a manager uses, with the browser reporting any CSP refusal: the policy must not break the app.
test('the app works within its policy: no violation, no script error, and the live connection to the sidecar opens', async ({ page }) => {
  // Eight page loads after a sign-in: on a busy 2-core machine that alone can pass the default 30 s.
  test.setTimeout(120_000);
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to (load|execute|connect|apply)/i.test(m.text())) violations.push(m.text());
  });
  // A hydration mismatch (React error #418) re-renders the page from scratch and drops whatever was typed meanwhile.
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
  await signIn(page, 'manager');
  for (const path of ['/stock', '/alerts', '/receiving', '/picking', '/counts', '/transfers', '/adjust']) {
    await page.goto(path);
    // Live means hydrated (the socket opens from the client): any hydration error has been reported by then.
    await expect(page.getByTestId('live-status').first()).toHaveAttribute('data-status', 'live', { timeout: 20_000 });
  }
  await page.goto('/stock');
  await page.getByRole('row').nth(1).getByRole('link').first().click();
  await expect(page.getByTestId('live-status').first()).toHaveAttribute('data-status', 'live', { timeout: 20_000 });
  expect(violations).toEqual([]);
  expect(errors).toEqual([]);
});

test('the session cookie is HttpOnly and SameSite=Lax', async ({ page }) => {
  await signIn(page, 'staff');
  const session = (await page.context().cookies()).find((c) => c.name.endsWith('session_token'));
  expect(session).toBeDefined();
  expect(session!.httpOnly).toBe(true);
  expect(session!.sameSite).toBe('Lax');
});

test("better-auth's own endpoints are not served: passwords are checked only by the limited sign-in form", async ({ request }) => {
  for (const path of ['/api/auth/sign-in/email', '/api/auth/change-password']) {
    const res = await request.post(path, { data: { email: 'admin@onhand.test', password: 'guess' }, failOnStatusCode: false });
    expect(res.status(), path).toBe(404);
    expect(res.headers()['set-cookie']).toBeUndefined();
  }
  expect((await request.get('/api/auth/get-session', { failOnStatusCode: false })).status()).toBe(404);
});

test("a session records the client's TCP address, not one the client wrote into X-Forwarded-For or our peer header", async ({ browser }) => {
  const context = await browser.newContext({ extraHTTPHeaders: { 'X-Forwarded-For': '203.0.113.77', 'X-Onhand-Peer': '198.51.100.9' } });
  const page = await context.newPage();
  try {
    await signIn(page, 'staff');
    const token = decodeURIComponent((await context.cookies()).find((c) => c.name.endsWith('session_token'))!.value).split('.')[0];
    const sql = database();
    try {
      const [row] = await sql<{ ip: string }[]>`SELECT ip_address AS ip FROM sessions WHERE token = ${token}`;
      // Loopback, as better-auth writes it (IPv6 expanded).
      expect(row.ip).toMatch(/^(127\.0\.0\.1|::1|(0000:){7}0001)$/);
    } finally {
      await sql.end();
    }
  } finally {
    await context.close();
  }
});

// The alerts review's threshold form: submit it once in the browser, keep the request, replay it. The product is
// this test's own, under its threshold, so its alert row is nobody else's to edit or re-render meanwhile.
async function captureThresholdSave(page: Page, value: number) {
  const { sku } = await makeProduct(core(), 'SEC', { 'P-01-04': 1 });
  const form = await openThresholdEditor(page, sku);
  await form.getByRole('spinbutton').fill(String(value));
  const [req] = await Promise.all([
    page.waitForRequest((r) => r.method() === 'POST' && Boolean(r.headers()['next-action'])),
    form.getByRole('button', { name: 'Save' }).click(),
  ]);
  await expect(form.getByRole('status')).toContainText(`threshold is now ${value}`);
  return { sku, url: req.url(), headers: req.headers(), body: req.postDataBuffer()! };
}

test('a server action posted from another origin is refused and changes nothing, with a valid session', async ({ page }) => {
  const sql = database();
  try {
    await signIn(page, 'manager');
    const saved = await captureThresholdSave(page, 37);
    const threshold = async () => (await sql`SELECT low_stock_threshold AS t FROM products WHERE sku = ${saved.sku}`)[0].t as number;
    expect(await threshold()).toBe(37);

    const replay = (value: number, origin: string, asPlainForm = false) => {
      const body = Buffer.from(saved.body.toString('latin1').replace(/(name="[^"]*threshold"\r\n\r\n)37/, `$1${value}`), 'latin1');
      expect(body.toString('latin1')).toContain(`\r\n\r\n${value}`);
      const headers: Record<string, string> = { ...saved.headers, origin };
      // A form posted before the page's script runs carries the action in its fields, not in a header.
      if (asPlainForm) delete headers['next-action'];
      return page.request.post(saved.url, { headers, data: body, failOnStatusCode: false });
    };

    const foreign = await replay(38, 'https://evil.example');
    expect(foreign.status()).toBe(403);
    expect(await foreign.text()).toContain('Cross-origin server action refused');
    expect(await threshold()).toBe(37);
    const spoofed = await replay(39, 'null');
    expect(spoofed.status()).toBe(403);
    expect((await replay(39, 'https://evil.example', true)).status()).toBe(403);
    expect(await threshold()).toBe(37);

    // The same replay from the app's own origin goes through: the refusal above was the origin's doing.
    const own = await replay(40, new URL(saved.url).origin);
    expect(own.status()).toBe(200);
    expect(await threshold()).toBe(40);
  } finally {
    await sql.end();
  }
});

test('the app serves its metrics to an admin only, and they count the commands it ran', async ({ page }) => {
  const anonymous = await page.request.get('/metrics', { failOnStatusCode: false });
  expect(anonymous.status()).toBe(401);
  expect(anonymous.headers()['content-type']).toBe('application/problem+json');
  await signIn(page, 'staff');
  expect((await page.request.get('/metrics', { failOnStatusCode: false })).status()).toBe(403);
  await page.context().clearCookies();

  // One receipt through the API: the scrape after it counts at least one more applied receive (other tests may run
  // commands on this app meanwhile).
  const c = core();
  const [target] = await c.sql`
    SELECT p.sku, w.code AS warehouse, l.code AS location FROM products p, locations l JOIN warehouses w ON w.id = l.warehouse_id
    WHERE l.kind = 'receiving' LIMIT 1`;
  await signIn(page, 'admin');
  const applied = async () => {
    const scrape = await page.request.get('/metrics');
    expect(scrape.headers()['content-type']).toContain('text/plain');
    const text = await scrape.text();
    expect(text).toMatch(/^onhand_app_process_resident_memory_bytes \d+/m);
    return Number(/^onhand_commands_total\{command="receive",outcome="applied"\} (\d+)/m.exec(text)?.[1] ?? 0);
  };
  const before = await applied();
  const key = await createApiKey(c.db, { name: `e2e-metrics-${randomUUID().slice(0, 8)}`, scopes: ['stock:write'] }, null);
  const receipt = await page.request.post('/api/v1/movements', {
    headers: { Authorization: `Bearer ${key.secret}`, 'Idempotency-Key': randomUUID() },
    data: { kind: 'receipt', sku: target.sku, warehouse: target.warehouse, location: target.location, qty: 1 },
  });
  expect(receipt.status(), await receipt.text()).toBe(201);
  expect(await applied()).toBeGreaterThanOrEqual(before + 1);
});
