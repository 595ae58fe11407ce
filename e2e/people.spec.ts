// People: an admin adds someone, who signs in with the one-time password and must choose their own before anything
// else; an admin deactivates someone whose live screen is open elsewhere, and that screen is signed out within seconds.
import { randomBytes } from 'node:crypto';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { eq } from 'drizzle-orm';
import { connect } from '@/db/client';
import { users as userTable } from '@/db/schema';
import { systemActor } from '@/server/inventory';
import { createPerson } from '@/server/people/users';
import { signIn } from './support';

test.describe.configure({ mode: 'default', timeout: 90_000 });

const contexts: BrowserContext[] = [];
async function newPage(browser: Browser) {
  const context = await browser.newContext();
  contexts.push(context);
  return context.newPage();
}
test.afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

async function signInWith(page: Page, email: string, password: string) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

const personRow = (page: Page, email: string) => page.locator(`tr[data-email="${email}"]`);

test('an admin adds a person, who must replace the one-time password before anything else, then works', async ({ browser }) => {
  const email = `new.hire.${randomBytes(3).toString('hex')}@shop.example`;
  const admin = await newPage(browser);
  await signIn(admin, 'admin');
  await admin.goto('/settings');
  await admin.getByRole('link', { name: 'People' }).click();
  await expect(admin.getByRole('heading', { name: 'People' })).toBeVisible();

  const form = admin.getByRole('form', { name: 'Add a person' });
  await form.getByLabel('Name', { exact: true }).fill('New Hire');
  await form.getByLabel('E-mail', { exact: true }).fill(email);
  await form.getByLabel('Role', { exact: true }).selectOption('manager');
  await form.getByRole('button', { name: 'Add person' }).click();
  const otp = (await form.getByTestId('one-time-password').textContent())!.trim();
  expect(otp).toMatch(/^\w{4}-\w{4}-\w{4}-\w{4}$/);
  await expect(personRow(admin, email)).toContainText('One-time password not yet changed');

  // The same address again is refused next to the field.
  await form.getByLabel('E-mail', { exact: true }).fill(email.toUpperCase());
  await form.getByRole('button', { name: 'Add person' }).click();
  await expect(form.getByText('Someone already signs in with this e-mail address')).toBeVisible();

  const hire = await newPage(browser);
  await signInWith(hire, email, otp);
  await expect(hire).toHaveURL(/\/account$/);
  await expect(hire.getByRole('heading', { name: 'Choose your password' })).toBeVisible();
  // Nothing else opens until the password is changed.
  await hire.goto('/alerts');
  await expect(hire).toHaveURL(/\/account$/);

  await hire.getByLabel('Current password').fill(otp);
  await hire.getByLabel('New password', { exact: true }).fill('short');
  await hire.getByLabel('Repeat the new password').fill('short');
  await hire.getByRole('button', { name: 'Change password' }).click();
  await expect(hire.getByText('At least 10 characters', { exact: true })).toBeVisible();
  await hire.getByLabel('New password', { exact: true }).fill('a-password-of-my-own');
  await hire.getByLabel('Repeat the new password').fill('a-password-of-my-own');
  await hire.getByRole('button', { name: 'Change password' }).click();
  await expect(hire).toHaveURL(/\/stock/);
  await expect(hire.getByTestId('signed-in-user')).toContainText('New Hire');
  await hire.getByRole('link', { name: 'Alerts' }).click();
  await expect(hire).toHaveURL(/\/alerts/);
  await expect(hire.getByTestId('live-status')).toHaveAttribute('data-status', 'live', { timeout: 15_000 });

  await admin.reload();
  await expect(personRow(admin, email)).not.toContainText('One-time password not yet changed');
});

test('deactivating someone signs out their open live screen within seconds, and they cannot sign in again', async ({ browser }) => {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is set by npm test for the end-to-end run');
  const conn = connect(url, { max: 2 });
  const email = `leaver.${randomBytes(3).toString('hex')}@shop.example`;
  try {
    const { person } = await createPerson(conn.db, { name: 'Lee Leaver', email, role: 'staff', password: 'leaver-password-1' }, { actor: systemActor('e2e-people') });
    await conn.db.update(userTable).set({ mustChangePassword: false }).where(eq(userTable.id, person.id));
  } finally {
    await conn.close();
  }

  const leaver = await newPage(browser);
  await signInWith(leaver, email, 'leaver-password-1');
  await expect(leaver.getByRole('navigation', { name: 'Main' })).toBeVisible({ timeout: 20_000 });
  await leaver.goto('/stock');
  const live = leaver.getByTestId('live-status');
  await expect(live).toHaveAttribute('data-status', 'live', { timeout: 15_000 });

  const admin = await newPage(browser);
  await signIn(admin, 'admin');
  await admin.goto('/settings/people');
  admin.once('dialog', (d) => void d.accept());
  const row = personRow(admin, email);
  await row.getByRole('button', { name: 'Deactivate' }).click();
  await expect(row).toContainText('Deactivated');

  // The open page loses its live connection at once, and says so.
  await expect(live).toHaveAttribute('data-status', 'signed_out', { timeout: 5_000 });
  await expect(live).toContainText('Signed out');
  // Its next move finds no session.
  await leaver.getByRole('link', { name: 'Receiving' }).click();
  await expect(leaver).toHaveURL(/\/sign-in/);
  await signInWith(leaver, email, 'leaver-password-1');
  await expect(leaver.getByText('This account is deactivated. Ask an admin to reactivate it.')).toBeVisible();
});
