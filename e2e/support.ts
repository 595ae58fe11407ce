import { expect, type Page } from '@playwright/test';
import postgres from 'postgres';

export const password = 'onhand-demo';
export const users = { staff: 'staff@onhand.test', manager: 'manager@onhand.test', admin: 'admin@onhand.test' } as const;

export async function signIn(page: Page, role: keyof typeof users) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(users[role]);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Sign-in is not what most tests test: patience for a busy machine.
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible({ timeout: 20_000 });
}

// The same database the app under test uses, to check what a flow wrote.
export function database() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is set by npm test for the end-to-end run');
  return postgres(url, { max: 2, onnotice: () => {} });
}
