// An archived product takes no new stock: receipts, adjustments and counts are refused with the reason and write
// nothing, until the product is restored; and an archive racing a receipt never leaves stock on an archived product.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { products } from '@/db/schema';
import { makeWorld, testConnection, type World } from '@/server/testing/fixtures';
import { adjust } from './adjust';
import { count } from './count';
import { archiveProduct, saveProduct } from './products';
import { receive } from './receive';
import { lastMoveId, levelsOf, opts } from '../test-support';

const conn = testConnection();
let w: World;
beforeAll(async () => {
  w = await makeWorld(conn, { products: 2, bins: ['A-01'] });
});
afterAll(() => conn.close());

describe('an archived product', () => {
  it('is refused new stock with the reason, writes nothing, and takes stock again once restored', async () => {
    const sku = w.skus[0];
    await archiveProduct(conn.db, { sku }, opts);
    const before = await lastMoveId(conn);
    const at = { sku, warehouse: w.warehouse, location: 'A-01' };
    for (const attempt of [
      () => receive(conn.db, { ...at, qty: 5 }, opts),
      () => adjust(conn.db, { ...at, delta: 5, reason: 'correction' }, opts),
      () => count(conn.db, { ...at, counted: 5, expected: 0 }, opts),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ type: 'invalid_state', message: `${sku} is archived: it takes no new stock. Restore it on its product page first.` });
    }
    expect(await lastMoveId(conn)).toBe(before);

    await saveProduct(conn.db, { sku, active: true, mode: 'update' }, opts);
    await receive(conn.db, { ...at, qty: 5 }, opts);
    expect(await levelsOf(conn, w, sku)).toEqual({ 'A-01': { onHand: 5, reserved: 0 } });
  });

  it('racing a receipt: either the receipt lands and the archive is refused, or the archive lands and the receipt is refused', async () => {
    const sku = w.skus[1];
    const results = await Promise.allSettled([
      receive(conn.db, { sku, warehouse: w.warehouse, location: 'A-01', qty: 3 }, opts),
      archiveProduct(conn.db, { sku }, opts),
    ]);
    const [{ active }] = await conn.db.select({ active: products.active }).from(products).where(eq(products.sku, sku));
    const levels = await levelsOf(conn, w, sku);
    const onHand = levels['A-01']?.onHand ?? 0;
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(onHand).toBe(active ? 3 : 0);
  });
});
