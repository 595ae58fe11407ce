// An admin sets how many requests a minute an API key may make, when creating it and later in the key list; the
// API refuses the key with 429 past it, and a changed limit applies at once.
import { randomUUID } from 'node:crypto';
import { test } from '@playwright/test';
import { core, expect, makeProduct, signInAs } from './dashboard-fixtures';

test('a key created with 2 requests a minute is refused the third; raised to 5, it gets the rest of the five', async ({ page, request }) => {
  const c = core();
  try {
    const p = await makeProduct(c, 'LIMIT', { 'P-01-01': 3 });
    await signInAs(page, 'admin');
    await page.goto('/settings');
    const name = `Limited ${randomUUID().slice(0, 8)}`;
    await page.getByLabel('Name').fill(name);
    await page.getByLabel('Requests a minute').fill('none');
    await page.getByRole('button', { name: 'Create key' }).click();
    await expect(page.getByText('A whole number of requests a minute, at least 1')).toBeVisible();
    await page.getByLabel('Requests a minute').fill('2');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = (await page.getByTestId('new-api-key').textContent())!.trim();

    const get = async () => (await request.get(`/api/v1/stock?sku=${p.sku}`, { headers: { Authorization: `Bearer ${secret}` } })).status();
    expect([await get(), await get()]).toEqual([200, 200]);
    const refused = await request.get(`/api/v1/stock?sku=${p.sku}`, { headers: { Authorization: `Bearer ${secret}` } });
    expect(refused.status()).toBe(429);
    expect((await refused.json()).detail).toMatch(/at most 2 a minute/);

    // The key's row shows its limit; a new one is saved with Enter, as a scanner or a keyboard would.
    await page.reload();
    const limit = page.getByLabel(`Requests a minute for ${name}`);
    await expect(limit).toHaveValue('2');
    await limit.fill('5');
    await limit.press('Enter');
    const row = page.getByRole('row').filter({ hasText: name });
    await expect(row.getByRole('status')).toHaveText('Saved');
    // The refused request was not counted (this process already knew the key was spent): three more.
    expect([await get(), await get(), await get(), await get()]).toEqual([200, 200, 200, 429]);

    await limit.fill('-3');
    await limit.press('Enter');
    await expect(row.getByText('A whole number of requests a minute, at least 1')).toBeVisible();
    await page.reload();
    await expect(page.getByLabel(`Requests a minute for ${name}`)).toHaveValue('5');
  } finally {
    await c.close();
  }
});
