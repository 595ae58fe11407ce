import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { test, type Page } from '@playwright/test';
import { products } from '@/db/schema';
import { receive } from '@/server/inventory/commands/receive';
import { saveProduct } from '@/server/inventory/commands/products';
import { actor, core, expect, makeProduct, signInAs, slow } from './dashboard-fixtures';

slow();

const c = core();
// Millimetres as Chromium lays them out on screen (96 px to the inch).
const px = (mm: number) => (mm * 96) / 25.4;

// What the browser's print gives: the PDF's page count and its first page's size in points (A4 595 × 842, Letter
// 612 × 792). Page dictionaries are plain text in Chromium's PDFs.
async function printed(page: Page): Promise<{ pages: number; size: number[] }> {
  const pdf = (await page.pdf({ preferCSSPageSize: true, printBackground: true })).toString('latin1');
  const box = /\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/.exec(pdf);
  return { pages: pdf.match(/\/Type\s*\/Page\b/g)?.length ?? 0, size: box ? [Math.round(Number(box[1])), Math.round(Number(box[2]))] : [] };
}

test('a manager prints product labels from a product and from the list, and bin labels of a warehouse, on the chosen sheet', async ({ page }) => {
  const product = await makeProduct(c, 'LBL');
  const plain = { sku: `E2E-LBL-NOCODE-${randomBytes(3).toString('hex').toUpperCase()}`, name: 'Label without barcode' };
  await c.db.insert(products).values({ ...plain, barcodes: [] });
  await signInAs(page, 'manager');

  // From the product's page: 25 copies on A4 L7160 (21 a sheet) are two sheets.
  await page.goto(`/products/${product.sku}`);
  const form = page.getByRole('form', { name: 'Print label' });
  await form.getByLabel('Copies').fill('25');
  await form.getByRole('button', { name: 'Print label' }).click();
  await expect(page).toHaveURL(/\/labels\/products\?sku=.*copies=25/);
  await expect(page.getByRole('heading', { name: 'Product labels' })).toBeVisible();
  await expect(page.getByTestId('label-sheet')).toHaveCount(2);
  await expect(page.getByTestId('label')).toHaveCount(25);
  await expect(page.getByText('25 labels on 2 sheet(s)')).toBeVisible();
  const first = page.getByTestId('label').first();
  await expect(first.getByRole('img', { name: `Barcode ${product.ean}` }).locator('svg path').first()).toBeAttached();
  await expect(first).toContainText(product.sku);
  await expect(first).toContainText(product.name);
  // The sheet is the paper, the label its die-cut.
  const sheet = (await page.getByTestId('label-sheet').first().boundingBox())!;
  const label = (await first.boundingBox())!;
  expect(Math.abs(sheet.width - px(210))).toBeLessThan(2);
  expect(Math.abs(sheet.height - px(297))).toBeLessThan(2);
  expect(Math.abs(label.width - px(63.5))).toBeLessThan(2);
  expect(Math.abs(label.height - px(38.1))).toBeLessThan(2);
  expect(Math.abs(label.x - sheet.x - px(7.25))).toBeLessThan(2);
  // Printed (Chromium's own print to PDF, with the page's @page size): two A4 pages, no blank third.
  const a4 = await printed(page);
  expect(a4.pages).toBe(2);
  expect(a4.size).toEqual([595, 842]);

  // US Letter, Avery 5160 (30 a sheet), with 3 used labels skipped: one sheet, the first three cells blank.
  const settings = page.getByRole('form', { name: 'Label sheet' });
  await settings.getByLabel('Sheet').selectOption('5160');
  await settings.getByLabel('Used labels to skip').fill('3');
  await settings.getByRole('button', { name: 'Update' }).click();
  await expect(page).toHaveURL(/sheet=5160/);
  await expect(page.getByTestId('label-sheet')).toHaveCount(1);
  await expect(page.getByTestId('label-skipped')).toHaveCount(3);
  await expect(page.getByTestId('label')).toHaveCount(25);
  const letter = (await page.getByTestId('label-sheet').boundingBox())!;
  expect(Math.abs(letter.width - px(215.9))).toBeLessThan(2);
  expect(Math.abs(letter.height - px(279.4))).toBeLessThan(2);
  expect(await printed(page)).toEqual({ pages: 1, size: [612, 792] });
  // On paper only the labels: the form and the Print button stay on screen.
  await expect(page.getByRole('button', { name: 'Print' })).toBeVisible();
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('button', { name: 'Print' })).toBeHidden();
  await expect(page.getByTestId('label').first()).toBeVisible();
  await page.emulateMedia({ media: 'screen' });

  // From the list: tick two products, one of them without a GTIN (its SKU as Code 128).
  await page.goto(`/products?q=E2E-LBL`);
  await page.getByRole('checkbox', { name: `Select ${product.sku}` }).check();
  await page.getByRole('checkbox', { name: `Select ${plain.sku}` }).check();
  await page.getByRole('button', { name: 'Print labels' }).click();
  await expect(page.getByTestId('label')).toHaveCount(2);
  await expect(page.getByRole('img', { name: `Barcode ${product.ean}` })).toBeVisible();
  await expect(page.getByRole('img', { name: `Barcode ${plain.sku}` })).toBeVisible();
  await expect(page.getByRole('img', { name: `Barcode ${plain.sku}` }).locator('svg')).toBeAttached();

  // Bin labels: choose the warehouse's bins by ticking them.
  await page.goto('/labels/bins?warehouse=MAIN');
  await page.getByRole('checkbox', { name: /^A-01-05/ }).check();
  await page.getByRole('checkbox', { name: /^P-01-05/ }).check();
  await page.getByRole('button', { name: 'Labels for ticked bins' }).click();
  await expect(page).toHaveURL(/\/labels\/bins\?warehouse=MAIN&code=A-01-05&code=P-01-05/);
  await expect(page.getByTestId('label')).toHaveCount(2);
  await expect(page.getByRole('img', { name: 'Barcode MAIN:A-01-05' })).toBeVisible();
  await expect(page.getByTestId('label').nth(1)).toContainText('P-01-05');
  // The link other pages build: codes in one parameter; an unknown one is named.
  await page.goto('/labels/bins?warehouse=MAIN&codes=A-01-05,NOPE-99');
  await expect(page.getByTestId('label')).toHaveCount(1);
  await expect(page.getByText('No bin matches MAIN:NOPE-99.')).toBeVisible();
});

test('a manager finds movements in Activity by SKU and kind, pages through them, downloads them, and reads a product change', async ({ page }) => {
  const p = await makeProduct(c, 'ACT', { 'A-01-05': 1 });
  // 56 receipts and 2 adjustments-like transfers would do; receipts alone fill more than one page.
  for (let i = 0; i < 55; i++) await receive(c.db, { sku: p.sku, warehouse: 'MAIN', location: 'A-01-05', qty: 1, note: i === 0 ? 'first, "boxed"' : undefined }, { actor });
  await saveProduct(c.db, { sku: p.sku, name: `${p.name} renamed` }, { actor });

  await signInAs(page, 'manager');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Activity' }).click();
  await expect(page.getByRole('heading', { name: 'Activity' })).toBeVisible();

  // Keyboard only: the SKU field has focus; Enter searches.
  await page.getByLabel('Kind', { exact: true }).selectOption('receipt');
  await page.getByLabel('SKU or barcode').fill(p.sku);
  await page.getByLabel('SKU or barcode').press('Enter');
  await expect(page).toHaveURL(new RegExp(`kind=receipt.*sku=${p.sku}|sku=${p.sku}.*kind=receipt`));
  await expect(page.getByTestId('ledger-row')).toHaveCount(50);
  await page.getByRole('link', { name: 'Older' }).click();
  await expect(page).toHaveURL(/before=\d+/);
  await expect(page.getByTestId('ledger-row')).toHaveCount(6);
  await expect(page.getByText('End of the results')).toBeVisible();
  await page.getByRole('link', { name: 'Newest' }).click();
  await expect(page.getByTestId('ledger-row')).toHaveCount(50);

  // The download is the whole filtered result, not the page.
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download CSV' }).click();
  const file = fs.readFileSync((await (await download).path())!, 'utf8');
  const lines = file.trimEnd().split('\r\n');
  expect(lines[0]).toMatch(/^id,at,kind,sku,/);
  expect(lines).toHaveLength(57);
  expect(lines.slice(1).every((l) => l.includes(`,receipt,${p.sku},`))).toBe(true);
  expect(file).toContain('"first, ""boxed"""');

  // Nothing matches: said plainly, with a way back.
  await page.getByLabel('Kind', { exact: true }).selectOption('count');
  await page.getByLabel('SKU or barcode').press('Enter');
  await expect(page.getByText('Nothing matches these filters')).toBeVisible();

  // The change log, with the field that changed.
  await page.getByRole('link', { name: 'Master-data changes' }).click();
  await page.getByLabel('Key', { exact: true }).fill(p.sku);
  await page.getByLabel('Key', { exact: true }).press('Enter');
  const row = page.getByRole('row').filter({ hasText: p.sku });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('update');
  await expect(row).toContainText(`${p.name} → ${p.name} renamed`);
});
