import { expect, test } from '@playwright/test';
import { core, makeProduct, openThresholdEditor } from './dashboard-fixtures';
import { database, signIn, users } from './support';

test('an anonymous visitor is sent to sign-in', async ({ page }) => {
  await page.goto('/stock');
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByRole('heading', { name: 'Onhand' })).toBeVisible();
});

test('wrong credentials get a clear message and no session', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(users.staff);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('status')).toContainText('Wrong email or password.');
  await page.goto('/stock');
  await expect(page).toHaveURL(/\/sign-in$/);
});

test('staff sign in, see the shell without manager pages, and sign out', async ({ page }) => {
  await signIn(page, 'staff');
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const item of ['Stock', 'Receiving', 'Picking', 'Counts']) await expect(nav.getByRole('link', { name: item })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Alerts' })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'Settings' })).toHaveCount(0);
  await expect(page.getByTestId('signed-in-user').first()).toContainText('Sam Staff');
  await expect(page.getByTestId('signed-in-user').first()).toContainText('Staff');
  await expect(page.getByRole('table')).toContainText('In stock');

  await page.goto('/alerts');
  await expect(page.getByRole('heading', { name: 'Not allowed' })).toBeVisible();
  await page.getByRole('link', { name: 'Back to stock' }).click();

  await page.getByRole('button', { name: 'Sign out' }).first().click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto('/stock');
  await expect(page).toHaveURL(/\/sign-in$/);
});

test('a manager-only action refuses staff and anonymous callers and changes nothing', async ({ page, browser }) => {
  // Two sign-ins, the alerts page and three saves: more than the default 30 s on a busy 2-core machine.
  test.setTimeout(90_000);
  const sql = database();
  try {
    // A manager's page whose session is then swapped for a staff session, then for none: the action
    // itself must check, whatever the page showed.
    // A product of this test's own, under its threshold, so its alert row is nobody else's to edit meanwhile.
    const c = core();
    const { sku } = await makeProduct(c, 'AUTH', { 'P-01-03': 1 }).finally(() => c.close());
    await signIn(page, 'manager');
    const form = await openThresholdEditor(page, sku);
    const staff = await browser.newContext();
    const staffPage = await staff.newPage();
    await signIn(staffPage, 'staff');
    const staffCookies = await staff.cookies();
    await staff.close();

    const [{ low_stock_threshold: before }] = await sql`SELECT low_stock_threshold FROM products WHERE sku = ${sku}`;

    await page.context().clearCookies();
    await page.context().addCookies(staffCookies);
    await form.getByRole('spinbutton').fill(String(before + 7));
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(form.getByRole('status')).toContainText('needs the manager role');

    await page.context().clearCookies();
    await form.getByRole('spinbutton').fill(String(before + 9));
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(form.getByRole('status')).toContainText('Sign in again');

    const [{ low_stock_threshold: after }] = await sql`SELECT low_stock_threshold FROM products WHERE sku = ${sku}`;
    expect(after).toBe(before);
  } finally {
    await sql.end();
  }
});

test('a manager changes a threshold and it is saved', async ({ page }) => {
  const sql = database();
  try {
    // A product of this test's own, under its threshold: its alert is nobody else's to edit meanwhile.
    const c = core();
    const { sku } = await makeProduct(c, 'THR', { 'P-01-03': 1 }).finally(() => c.close());
    await signIn(page, 'manager');
    const form = await openThresholdEditor(page, sku);
    await form.getByRole('spinbutton').fill('42');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(form.getByRole('status')).toContainText(`${sku}: low-stock threshold is now 42`);
    const [{ low_stock_threshold: t }] = await sql`SELECT low_stock_threshold FROM products WHERE sku = ${sku}`;
    expect(t).toBe(42);
  } finally {
    await sql.end();
  }
});

test('password is never echoed back on a failed sign-in', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(users.admin);
  await page.getByLabel('Password').fill('secret-guess-123');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('status')).toContainText('Wrong email or password.');
  expect(await page.content()).not.toContain('secret-guess-123');
});
