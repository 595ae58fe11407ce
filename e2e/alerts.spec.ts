// The manager's alert review, end to end: an alert opened by a committed change is announced without a reload ("1 new")
// rather than pushed into the rows, is acknowledged with a note, and is marked resolved in place when stock returns;
// the review pages 50 at a time, filters, and acknowledges or snoozes in bulk; staff reach none of it.
import { randomBytes } from 'node:crypto';
import { expect as baseExpect, test, type Page } from '@playwright/test';
import { and, eq, inArray } from 'drizzle-orm';
import { connect } from '@/db/client';
import { alertEvents, alerts, products } from '@/db/schema';
import { allocateOrder, pick, receive, systemActor } from '@/server/inventory';
import { password, users } from './support';

// A small shared machine: waits are on what the page shows, with room.
const expect = baseExpect.configure({ timeout: 20_000 });
test.describe.configure({ timeout: 90_000 });

const actor = { actor: systemActor('e2e-alerts') };
const BIN = 'P-01-05';

function database() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is set by npm test for the end-to-end run');
  return connect(url, { max: 2 });
}

async function signIn(page: Page, role: keyof typeof users) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(users[role]);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
}

// A product of this test's own: 10 in one MAIN pick bin, threshold 5, so it starts without an alert.
async function product(db: ReturnType<typeof database>['db']) {
  const sku = `AL-${randomBytes(3).toString('hex').toUpperCase()}`;
  await db.insert(products).values({ sku, name: `Alert lamp ${sku}`, lowStockThreshold: 5, leadTimeDays: 7 });
  await receive(db, { sku, warehouse: 'MAIN', location: BIN, qty: 10 }, actor);
  return sku;
}

test('a manager is told of a new alert live when an order is picked under the threshold, shows it, acknowledges it, and sees it resolved when stock returns', async ({ page }) => {
  const conn = database();
  try {
    const sku = await product(conn.db);
    await signIn(page, 'manager');
    // Once its rooms are joined the page reads itself again (what it rendered may have missed a change meanwhile);
    // the change under test must come after that read, or it is simply in the page.
    const joinedAndReread = page.waitForResponse((r) => r.url().includes('/api/alerts?') && r.request().method() === 'GET');
    // Searched for this test's product: its row sorts with the slow movers, past the first page of the demo's alerts.
    await page.goto(`/alerts?warehouse=MAIN&q=${sku}`);
    await expect(page.getByTestId('live-status')).toHaveAttribute('data-status', 'live');
    await joinedAndReread;
    await expect(page.getByTestId('alert-summary')).toContainText('out of stock');
    const row = page.locator('tr', { hasText: sku });
    await expect(row).toHaveCount(0);
    // Marks this document: a reload would lose it, so the row must arrive without one.
    await page.evaluate(() => ((window as unknown as { __same: boolean }).__same = true));

    // An order for 6 takes available from 10 to 4 (at or under 5) and is picked, committed through the core.
    const order = await allocateOrder(conn.db, { reference: `SO-AL-${sku}`, lines: [{ sku, qty: 6 }] }, actor);
    await pick(conn.db, { orderId: order.id, sku, warehouse: 'MAIN', location: BIN, qty: 6 }, actor);

    // Announced, not inserted: the rows on screen keep their places until the manager asks for the new one.
    await expect(page.getByTestId('new-alerts')).toContainText('1 new alert');
    await expect(row).toHaveCount(0);
    await page.getByTestId('new-alerts').click();
    await expect(row).toHaveCount(1);
    await expect(page.getByTestId('new-alerts')).toHaveCount(0);
    await expect(row).toContainText('Low');
    await expect(row.getByRole('cell').nth(3)).toHaveText('4');
    await expect(row).toContainText('Open since');
    expect(await page.evaluate(() => (window as unknown as { __same?: boolean }).__same)).toBe(true);
    await expect(page.getByRole('navigation', { name: 'Main' }).getByTestId('alert-count')).toBeVisible();

    await row.getByText('Acknowledge or snooze').click();
    await row.getByLabel('Note').fill('PO-9 placed with Kiln & Co');
    // The reader's own change reads the page again; the stock below returns after that read, so the row is patched.
    const reread = page.waitForResponse((r) => r.url().includes('/api/alerts?') && r.request().method() === 'GET');
    await row.getByRole('button', { name: 'Acknowledge', exact: true }).click();
    await expect(row).toContainText('Acknowledged by manager@onhand.test');
    await expect(row).toContainText('PO-9 placed with Kiln & Co');
    await reread;

    const productId = (await conn.db.select({ id: products.id }).from(products).where(eq(products.sku, sku)))[0].id;
    const [alert] = await conn.db.select().from(alerts).where(eq(alerts.productId, productId));
    expect(alert).toMatchObject({ status: 'acknowledged', kind: 'low_stock', available: 4, acknowledgedBy: 'user:manager@onhand.test' });
    const history = await conn.db.select().from(alertEvents).where(eq(alertEvents.alertId, alert.id)).orderBy(alertEvents.id);
    expect(history.map((e) => [e.action, e.actor, e.note])).toEqual([
      ['opened', 'system:e2e-alerts', null],
      ['acknowledged', 'user:manager@onhand.test', 'PO-9 placed with Kiln & Co'],
    ]);

    // Stock returns: the alert is resolved and its row says so in place (a row leaving would move the ones below
    // under the manager's pointer), still without a reload.
    await receive(conn.db, { sku, warehouse: 'MAIN', location: BIN, qty: 20 }, actor);
    await expect(row).toHaveAttribute('data-state', 'resolved');
    await expect(row).toContainText('Resolved');
    const [after] = await conn.db.select().from(alerts).where(and(eq(alerts.productId, productId), eq(alerts.id, alert.id)));
    expect(after.status).toBe('resolved');
    expect(await page.evaluate(() => (window as unknown as { __same?: boolean }).__same)).toBe(true);
  } finally {
    await conn.close();
  }
});

test('staff cannot reach the alert pages, their reads or their actions', async ({ page, browser }) => {
  const conn = database();
  try {
    const sku = await product(conn.db);
    await allocateOrder(conn.db, { reference: `SO-AL-${sku}`, lines: [{ sku, qty: 7 }] }, actor);
    const productId = (await conn.db.select({ id: products.id }).from(products).where(eq(products.sku, sku)))[0].id;
    const [alert] = await conn.db.select().from(alerts).where(eq(alerts.productId, productId));
    expect(alert.status).toBe('open');

    // A manager's page whose session is then swapped for a staff one: the action itself must refuse.
    await signIn(page, 'manager');
    await page.goto(`/alerts?warehouse=MAIN&q=${sku}`);
    const row = page.locator('tr', { hasText: sku });
    await expect(row).toHaveCount(1);
    const staff = await browser.newContext();
    const staffPage = await staff.newPage();
    await signIn(staffPage, 'staff');
    await expect(staffPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Alerts' })).toHaveCount(0);
    for (const path of ['/alerts', `/alerts/product/${sku}`, '/alerts/thresholds']) {
      await staffPage.goto(path);
      await expect(staffPage.getByRole('heading', { name: 'Not allowed' })).toBeVisible();
    }
    for (const path of ['/api/alerts', '/api/alerts/count', '/api/alerts/summary', '/alerts/export']) {
      expect((await staffPage.request.get(path)).status(), path).toBe(403);
    }
    const staffCookies = await staff.cookies();
    await staff.close();

    await page.context().clearCookies();
    await page.context().addCookies(staffCookies);
    await row.getByText('Acknowledge or snooze').click();
    // Each click waits for the action's own answer, so the database is read after both have run.
    const answered = () => page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/alerts');
    for (const name of ['Acknowledge', 'Snooze']) {
      const answer = answered();
      await row.getByRole('button', { name, exact: true }).click();
      await answer;
      await expect(row.locator('details').getByRole('status')).toContainText('needs the manager role');
    }

    await page.context().clearCookies();
    expect((await page.request.get('/alerts/export')).status()).toBe(401);
    const [after] = await conn.db.select().from(alerts).where(eq(alerts.id, alert.id));
    expect(after).toMatchObject({ status: 'open', snoozedUntil: null, version: alert.version });
  } finally {
    await conn.close();
  }
});

test('a manager exports the filtered list as CSV and opens the drill-down with its charts', async ({ page }) => {
  await signIn(page, 'manager');
  await page.goto('/alerts?warehouse=MAIN');
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Export CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^onhand-alerts-MAIN-active-\d{8}-\d{4}\.csv$/);
  const text = await (await page.request.get('/alerts/export?warehouse=MAIN')).text();
  const [header, first] = text.split('\r\n');
  expect(header).toBe(
    'sku,name,warehouse,alert,status,available,threshold,threshold_override,picked_in_window,velocity_per_day,days_of_cover,stockout_date,lead_time_days,incoming,incoming_due,suggested_order,opened_at,acknowledged_by,acknowledged_at,snoozed_until,note',
  );
  expect(first).toContain(',MAIN,');

  // The most urgent row has a pick history from the seed: its drill-down draws both charts.
  const top = page.locator('tbody tr').first();
  const sku = (await top.locator('th a').textContent())!.trim();
  await top.getByRole('link', { name: `Open product ${sku}` }).click();
  await expect(page.getByRole('heading', { name: 'Available over time in MAIN' })).toBeVisible();
  await expect(page.getByRole('img', { name: /Available in MAIN went from/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /units picked in MAIN/ })).toBeVisible();
  await expect(page.getByRole('heading', { name: /Why is available \d+ in MAIN\?/ })).toBeVisible();
});

test('a manager pages through 53 alerts 50 at a time, filters to the out-of-stock ones and acknowledges them in bulk, then snoozes all the rest matching', async ({ page }) => {
  const conn = database();
  try {
    const tag = `PG-${randomBytes(3).toString('hex').toUpperCase()}`;
    const skus = Array.from({ length: 53 }, (_, i) => `${tag}-${String(i).padStart(2, '0')}`);
    await conn.db.insert(products).values(skus.map((sku) => ({ sku, name: `Paged mug ${sku}`, lowStockThreshold: 5 })));
    for (const sku of skus) await receive(conn.db, { sku, warehouse: 'MAIN', location: BIN, qty: 3 }, actor);
    // Three of them sell out: out of stock.
    const out = skus.slice(50);
    for (const sku of out) await allocateOrder(conn.db, { reference: `SO-PG-${sku}`, lines: [{ sku, qty: 3 }] }, actor);
    const ids = await conn.db
      .select({ id: alerts.id, sku: products.sku })
      .from(alerts)
      .innerJoin(products, eq(products.id, alerts.productId))
      .where(and(inArray(products.sku, skus), eq(alerts.status, 'open')));
    expect(ids).toHaveLength(53);

    await signIn(page, 'manager');
    await page.goto(`/alerts?q=${tag}`);
    const rows = page.locator('tbody tr');
    await expect(rows).toHaveCount(50);
    await expect(page.getByText('50 shown of 53 matching')).toBeVisible();
    // The most urgent first: the three out of stock lead the first page.
    for (let i = 0; i < 3; i++) await expect(rows.nth(i)).toContainText('Out of stock');
    const first = await rows.locator('th a').allTextContents();
    await page.getByRole('link', { name: 'Next 50 →' }).click();
    await expect(rows).toHaveCount(3);
    await expect(page).toHaveURL(/after=/);
    const second = await rows.locator('th a').allTextContents();
    expect(new Set([...first, ...second].map((s) => s.trim()))).toEqual(new Set(skus));

    // A filter from the form: urgency "Out of stock" starts again at the first page.
    await page.getByLabel('Urgency').selectOption('out');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect(page).toHaveURL(/urgency=out/);
    await expect(rows).toHaveCount(3);
    await page.getByLabel('Select every alert on this page').check();
    await expect(page.getByTestId('bulk-count')).toHaveText('3 selected');
    await page.getByRole('button', { name: 'Acknowledge selected' }).click();
    await expect(page.getByRole('form', { name: 'Bulk actions' }).getByRole('status')).toHaveText('✓ Acknowledged 3 alerts.');
    const outIds = ids.filter((a) => out.includes(a.sku)).map((a) => a.id);
    const acked = await conn.db.select().from(alerts).where(inArray(alerts.id, outIds));
    expect(acked.map((a) => [a.status, a.acknowledgedBy])).toEqual(outIds.map(() => ['acknowledged', 'user:manager@onhand.test']));

    // Every alert still needing attention under the search: one command for all 50, the ones on later pages too.
    await page.goto(`/alerts?q=${tag}&status=attention`);
    await expect(page.getByText('50 shown of 50 matching')).toBeVisible();
    await page.getByLabel(/All 50 matching this filter/).check();
    await expect(page.getByTestId('bulk-count')).toHaveText('50 selected');
    await page.getByRole('button', { name: 'Snooze selected' }).click();
    await expect(page.getByRole('form', { name: 'Bulk actions' }).getByRole('status')).toHaveText('✓ Snoozed 50 alerts.');
    const rest = await conn.db.select().from(alerts).where(inArray(alerts.id, ids.filter((a) => !out.includes(a.sku)).map((a) => a.id)));
    expect(rest.every((a) => a.status === 'open' && a.snoozedUntil !== null && a.snoozedUntil.getTime() > Date.now())).toBe(true);
    expect(rest).toHaveLength(50);
  } finally {
    await conn.close();
  }
});

test('a refused bulk paste keeps every line, so fixing the one wrong line is all it takes', async ({ page }) => {
  const conn = database();
  try {
    const [a, b] = [await product(conn.db), await product(conn.db)];
    const thresholds = async () => {
      const rows = await conn.db.select({ sku: products.sku, t: products.lowStockThreshold }).from(products).where(inArray(products.sku, [a, b]));
      return [a, b].map((sku) => rows.find((r) => r.sku === sku)?.t);
    };
    await signIn(page, 'manager');
    await page.goto('/alerts/thresholds');
    const lines = page.getByLabel(/One product per line/);
    const pasted = `${a}, 7, 20\nNO-SUCH-${a}, 3\n${b}, 9`;
    await lines.fill(pasted);
    await page.getByRole('button', { name: 'Save all' }).click();
    await expect(page.locator('#bulk-errors')).toContainText(`NO-SUCH-${a}`);
    // All or nothing: neither good line was saved, and the paste is still there to fix.
    await expect(lines).toHaveValue(pasted);
    expect(await thresholds()).toEqual([5, 5]);

    await lines.fill(pasted.replace(`\nNO-SUCH-${a}, 3`, ''));
    await page.getByRole('button', { name: 'Save all' }).click();
    await expect(page.getByText('Saved 2 thresholds (product defaults).')).toBeVisible();
    expect(await thresholds()).toEqual([7, 9]);
  } finally {
    await conn.close();
  }
});

test('a refused acknowledgement keeps the note the manager wrote, and changes nothing', async ({ page }) => {
  const conn = database();
  try {
    const sku = `AL-${randomBytes(3).toString('hex').toUpperCase()}`;
    await conn.db.insert(products).values({ sku, name: `Alert lamp ${sku}`, lowStockThreshold: 5, leadTimeDays: 7 });
    // 3 on hand against a threshold of 5: the receipt opens the alert.
    await receive(conn.db, { sku, warehouse: 'MAIN', location: BIN, qty: 3 }, actor);
    await signIn(page, 'manager');
    await page.goto(`/alerts?warehouse=MAIN&q=${sku}`);
    const row = page.locator('tr', { hasText: sku });
    await row.getByText('Acknowledge or snooze').click();
    // Longer than a note may be: the field's own limit stops a browser from sending it, so it is lifted here to
    // reach the server's refusal, which any client without that limit meets.
    const long = `Supplier says next week. ${'x'.repeat(600)}`;
    await row.getByLabel('Note').evaluate((el) => el.removeAttribute('maxlength'));
    await row.getByLabel('Note').fill(long);
    await row.getByRole('button', { name: 'Acknowledge', exact: true }).click();
    await expect(row.getByRole('status')).toContainText('⚠');
    await expect(row.getByLabel('Note')).toHaveValue(long);
    const [{ id: productId }] = await conn.db.select({ id: products.id }).from(products).where(eq(products.sku, sku));
    const [alert] = await conn.db.select().from(alerts).where(eq(alerts.productId, productId));
    expect(alert.status).toBe('open');

    // Shortened, the same form acknowledges it, and the note field empties.
    await row.getByLabel('Note').fill('Supplier says next week.');
    await row.getByRole('button', { name: 'Acknowledge', exact: true }).click();
    await expect(row).toContainText('Acknowledged by manager@onhand.test');
    const [after] = await conn.db.select().from(alerts).where(eq(alerts.productId, productId));
    expect(after).toMatchObject({ status: 'acknowledged', note: 'Supplier says next week.' });
  } finally {
    await conn.close();
  }
});
