import { randomBytes } from 'node:crypto';
import { test } from '@playwright/test';
import { eq } from 'drizzle-orm';
import { products } from '@/db/schema';
import { core, expect, makeProduct, randomEan, signInAs, slow } from './dashboard-fixtures';

slow();

const c = core();

test('a manager checks a CSV (new, changed, refused by line), fixes it, applies it, and the same file again changes nothing', async ({ page }) => {
  const p = `E2E-IMP-${randomBytes(3).toString('hex').toUpperCase()}`;
  const existing = await makeProduct(c, 'IMPORT');
  const ean = randomEan();
  const rows = [`${p}-1,Blue enamel mug,${ean},4`, `${existing.sku},Import target renamed,,`];
  const file = (lines: string[]) => ({ name: 'catalogue.csv', mimeType: 'text/csv', buffer: Buffer.from(['sku,name,barcode,threshold', ...lines].join('\n') + '\n') });

  await signInAs(page, 'manager');
  await page.goto('/import');
  await page.getByLabel('The file holds').selectOption('products');

  // A file with a misread barcode: the dry run names the line and writes nothing.
  const misread = ean.slice(0, -1) + String((Number(ean.at(-1)) + 1) % 10);
  await page.getByLabel(/^CSV file/).setInputFiles(file([...rows, `${p}-2,Red mug,${misread},`]));
  await page.getByRole('button', { name: 'Check file' }).click();
  await expect(page.getByTestId('count-new')).toContainText('1');
  await expect(page.getByTestId('count-changed')).toContainText('1');
  await expect(page.getByTestId('count-refused')).toContainText('1');
  const refused = page.getByRole('table', { name: 'Refused rows' });
  await expect(refused.getByRole('row').nth(1)).toContainText('4');
  await expect(refused).toContainText('the check digit is wrong');
  await expect(page.getByText('1 row refused: fix it and check the file again. Nothing was written.')).toBeVisible();
  await expect(page.getByRole('button', { name: /^Apply/ })).toHaveCount(0);
  await expect(page.getByRole('table', { name: 'Changed rows' })).toContainText(`name: ${existing.name} → Import target renamed`);
  await page.screenshot({ path: 'e2e/screenshots/import-dry-run.png', fullPage: true });
  expect(await c.db.$count(products, eq(products.sku, `${p}-1`))).toBe(0);

  // Fixed: apply it.
  await page.getByLabel(/^CSV file/).setInputFiles(file(rows));
  await page.getByRole('button', { name: 'Check file' }).click();
  await expect(page.getByTestId('count-refused')).toContainText('0');
  await page.getByRole('button', { name: 'Apply 2 changes' }).click();
  await expect(page.getByText('Applied: 1 new, 1 changed, 0 unchanged.')).toBeVisible();
  const [made] = await c.db.select().from(products).where(eq(products.sku, `${p}-1`));
  expect(made).toMatchObject({ name: 'Blue enamel mug', lowStockThreshold: 4 });

  // The same file again: nothing would change.
  await page.getByLabel(/^CSV file/).setInputFiles(file(rows));
  await page.getByRole('button', { name: 'Check file' }).click();
  await expect(page.getByText('Nothing would change: every row matches what is stored.')).toBeVisible();
  await expect(page.getByTestId('count-unchanged')).toContainText('2');
});
