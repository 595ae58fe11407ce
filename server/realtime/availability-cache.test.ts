import { describe, expect, it } from 'vitest';
import { versionStep } from '@/lib/contracts/realtime';
import { AvailabilityCache } from './availability-cache';

const T = Date.parse('2026-11-27T10:00:00Z');

function cache() {
  const c = new AvailabilityCache();
  c.putProduct({ id: 1, sku: 'MUG-1', threshold: 5 });
  c.putLocation({ id: 10, warehouseId: 1, code: 'A-01', sellable: true });
  c.putLocation({ id: 11, warehouseId: 1, code: 'SHIP', sellable: false });
  c.putLocation({ id: 20, warehouseId: 2, code: 'B-01', sellable: true });
  return c;
}

describe('the availability cache', () => {
  it('sums on_hand − reserved over sellable locations and versions over all of them', () => {
    const c = cache();
    c.apply({ productId: 1, locationId: 10, onHand: 10, reserved: 3, version: 4, updatedAt: T + 4 });
    c.apply({ productId: 1, locationId: 11, onHand: 50, reserved: 0, version: 2, updatedAt: T + 2 });
    c.apply({ productId: 1, locationId: 20, onHand: 2, reserved: 0, version: 1, updatedAt: T + 1 });
    // updatedAt: the newest change among the rows that count (the unsellable one at version 2 does not).
    expect(c.availability(1)).toEqual({ sku: 'MUG-1', available: 9, status: 'in_stock', version: 7, updatedAt: T + 4 });
    const secondOnly = { warehouses: new Set([2]), lowStockThreshold: null };
    expect(c.availability(1, secondOnly)).toEqual({ sku: 'MUG-1', available: 2, status: 'low_stock', version: 7, updatedAt: T + 1 });
    expect(c.availability(99)).toBeUndefined();
  });

  it('answers an archived product as unknown, and a restored one again; either is a change its room hears of', () => {
    const c = cache();
    expect(c.putProduct({ id: 1, sku: 'MUG-1', threshold: 5, listed: false })).toBe(true);
    expect(c.productBySku('MUG-1')).toBeUndefined();
    expect(c.putProduct({ id: 1, sku: 'MUG-1', threshold: 5, listed: true })).toBe(true);
    expect(c.productBySku('MUG-1')).toMatchObject({ id: 1 });
  });

  it('never lets an old or duplicate change overwrite a newer one', () => {
    const c = cache();
    expect(c.apply({ productId: 1, locationId: 10, onHand: 8, reserved: 0, version: 3, updatedAt: T + 3 })).toBe(true);
    expect(c.apply({ productId: 1, locationId: 10, onHand: 7, reserved: 0, version: 2, updatedAt: T + 2 })).toBe(false);
    expect(c.apply({ productId: 1, locationId: 10, onHand: 9, reserved: 0, version: 3, updatedAt: T + 3 })).toBe(false);
    expect(c.level(1, 10)).toMatchObject({ onHand: 8, version: 3, updatedAt: T + 3 });
    // A snapshot that raced a newer change loses to it, and reports only what it really moved.
    expect([...c.mergeSnapshot([{ productId: 1, locationId: 10, onHand: 5, reserved: 0, version: 2, updatedAt: T + 2 }])]).toEqual([]);
    expect([...c.mergeSnapshot([{ productId: 1, locationId: 10, onHand: 4, reserved: 0, version: 5, updatedAt: T + 5 }])]).toEqual([1]);
    expect(c.level(1, 10)).toMatchObject({ onHand: 4, version: 5, updatedAt: T + 5 });
  });

  it('classifies zero as out of stock and at-threshold as low, and never shows a negative figure', () => {
    const c = cache();
    c.apply({ productId: 1, locationId: 10, onHand: 5, reserved: 0, version: 1, updatedAt: T + 1 });
    expect(c.availability(1)?.status).toBe('low_stock');
    c.apply({ productId: 1, locationId: 10, onHand: 5, reserved: 5, version: 2, updatedAt: T + 2 });
    expect(c.availability(1)).toMatchObject({ available: 0, status: 'out_of_stock' });
  });

  it('uses a channel’s own "only N left" threshold instead of the product’s when it has one', () => {
    const c = cache();
    c.apply({ productId: 1, locationId: 10, onHand: 8, reserved: 0, version: 1, updatedAt: T });
    expect(c.availability(1)?.status).toBe('in_stock');
    expect(c.availability(1, { warehouses: null, lowStockThreshold: 10 })?.status).toBe('low_stock');
    expect(c.availability(1, { warehouses: null, lowStockThreshold: 0 })?.status).toBe('in_stock');
  });

  it('reports when a product’s storefront facts change', () => {
    const c = cache();
    expect(c.putProduct({ id: 1, sku: 'MUG-1', threshold: 5 })).toBe(false);
    expect(c.putProduct({ id: 1, sku: 'MUG-1', threshold: 9 })).toBe(true);
    expect(c.putProduct({ id: 1, sku: 'MUG-2', threshold: 9 })).toBe(true);
    expect(c.productBySku('MUG-1')).toBeUndefined();
    expect(c.productBySku('MUG-2')?.id).toBe(1);
  });
});

describe('versionStep', () => {
  it('patches the next version, ignores old ones and refetches on a gap', () => {
    expect(versionStep(4, 5)).toBe('next');
    expect(versionStep(4, 4)).toBe('stale');
    expect(versionStep(4, 2)).toBe('stale');
    expect(versionStep(4, 6)).toBe('gap');
    expect(versionStep(0, 1)).toBe('next');
  });
});
