import { test } from '@playwright/test';
import { receive } from '@/server/inventory';
import { actor, core, expect, signInAs, slow, feedback, level, makeProduct, movements, ready, scan } from './dashboard-fixtures';

slow();

const c = core();

test('moves stock to another warehouse by scanning; a bin other than the suggested one is confirmed by re-scan', async ({ page }) => {
  const a = await makeProduct(c, 'TRF', { 'A-01-05': 8 });
  await receive(c.db, { sku: a.sku, warehouse: 'EAST', location: 'P-02-02', qty: 1 }, { actor });
  await signInAs(page, 'staff');
  await page.goto('/transfers');
  await page.getByLabel('From', { exact: true }).selectOption('MAIN');
  await page.getByLabel('To', { exact: true }).selectOption('EAST');
  await ready(page, 'Scan the source bin');
  await scan(page, 'A-01-05');
  await expect(feedback(page)).toContainText('Moving from MAIN A-01-05');

  await scan(page, a.ean);
  await scan(page, a.ean);
  await scan(page, a.ean);
  await expect(feedback(page)).toContainText(`3 × ${a.name} to move. Scan the destination (P-02-02)`);
  await ready(page, 'Scan the destination (P-02-02)');

  await scan(page, 'P-02-05');
  await expect(feedback(page)).toContainText('Put it in P-02-05 instead of P-02-02? Scan P-02-05 again to confirm.');
  await scan(page, 'P-02-05');
  await expect(feedback(page)).toContainText(`Moved 3 × ${a.name} from A-01-05 to EAST P-02-05 (5 left free in A-01-05)`);
  await expect(page.getByRole('region', { name: 'In MAIN A-01-05' })).toContainText(`${a.sku} · ${a.name}5`);

  expect(await level(c, a.sku, 'A-01-05', 'MAIN')).toEqual({ onHand: 5, reserved: 0 });
  expect(await level(c, a.sku, 'P-02-05', 'EAST')).toEqual({ onHand: 3, reserved: 0 });
  const moves = (await movements(c, a.sku)).filter((m) => m.kind.startsWith('transfer'));
  expect(moves.map((m) => [m.kind, m.location, m.on_hand_delta]).sort()).toEqual([
    ['transfer_in', 'P-02-05', 3],
    ['transfer_out', 'A-01-05', -3],
  ]);
});
