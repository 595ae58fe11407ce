import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { channels } from '@/db/schema';
import { makeWorld, testConnection, uid } from '@/server/testing/fixtures';
import { channelInput, deleteChannel, saveChannel } from './channel-admin';
import { loadChannels } from './channels';

const conn = testConnection();
afterAll(() => conn.close());

const form = (o: Record<string, string>) => channelInput.safeParse({ key: `c-${uid().toLowerCase()}`, name: 'Web shop', ...o });
const messages = (r: ReturnType<typeof form>) => (r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join('.'), i.message])));

describe('the channel form', () => {
  it('stores origins as browsers send them and says which entry is not one', () => {
    const ok = form({ origins: 'HTTPS://Shop.Example:443/\nhttp://localhost:3003, https://shop.example' });
    expect(ok.success && ok.data.origins).toEqual(['https://shop.example', 'http://localhost:3003']);
    expect(messages(form({ origins: 'https://shop.example/products' }))).toEqual({
      origins: 'https://shop.example/products is not an origin: write scheme://host[:port], with no path (or * for any page)',
    });
    expect(messages(form({ origins: 'ftp://files.example' })).origins).toMatch(/not an origin/);
    expect(form({ origins: '*' }).data?.origins).toEqual(['*']);
  });

  it('names a bad key or threshold; a blank threshold means each product’s own', () => {
    expect(messages(form({ key: 'Has Spaces' })).key).toMatch(/lower-case letters, digits and dashes/);
    expect(messages(form({ lowStockThreshold: 'three' })).lowStockThreshold).toMatch(/whole number/);
    expect(messages(form({ lowStockThreshold: '-1' })).lowStockThreshold).toMatch(/whole number/);
    expect(form({ lowStockThreshold: '' }).data?.lowStockThreshold).toBeNull();
    expect(form({ lowStockThreshold: '3' }).data?.lowStockThreshold).toBe(3);
  });
});

describe('saving and removing channels', () => {
  it('creates, then replaces the warehouse list and settings on save', async () => {
    const [a, b] = [await makeWorld(conn, { products: 1 }), await makeWorld(conn, { products: 1 })];
    const key = `c-${uid().toLowerCase()}`;
    const input = (o: Record<string, string>) => channelInput.parse({ key, name: 'Outlet', ...o });
    expect(await saveChannel(conn.db, input({ warehouses: `${a.warehouse},${b.warehouse}`, origins: 'https://outlet.example' }))).toEqual({ created: true });
    const first = (await loadChannels(conn.db)).find((c) => c.key === key)!;
    expect(first).toMatchObject({ name: 'Outlet', allowedOrigins: ['https://outlet.example'], lowStockThreshold: null });
    expect(first.warehouseIds.sort()).toEqual([a.warehouseId, b.warehouseId].sort());

    expect(await saveChannel(conn.db, input({ warehouses: b.warehouse, lowStockThreshold: '4' }))).toEqual({ created: false });
    expect((await loadChannels(conn.db)).find((c) => c.key === key)).toMatchObject({ warehouseIds: [b.warehouseId], allowedOrigins: [], lowStockThreshold: 4 });
  });

  it('refuses an unknown warehouse and changes nothing', async () => {
    const a = await makeWorld(conn, { products: 1 });
    const key = `c-${uid().toLowerCase()}`;
    await saveChannel(conn.db, channelInput.parse({ key, name: 'Before', warehouses: a.warehouse }));
    await expect(saveChannel(conn.db, channelInput.parse({ key, name: 'After', warehouses: `${a.warehouse},NOPE-1` }))).rejects.toMatchObject({
      type: 'validation_failed',
      details: { fields: { warehouses: ['No warehouse NOPE-1'] } },
    });
    expect((await loadChannels(conn.db)).find((c) => c.key === key)).toMatchObject({ name: 'Before', warehouseIds: [a.warehouseId] });
  });

  it('removes a channel, but never the default one', async () => {
    const key = `c-${uid().toLowerCase()}`;
    await saveChannel(conn.db, channelInput.parse({ key, name: 'Gone soon' }));
    expect(await deleteChannel(conn.db, key)).toBe(true);
    expect(await conn.db.select().from(channels).where(eq(channels.key, key))).toEqual([]);
    expect(await deleteChannel(conn.db, key)).toBe(false);
    await expect(deleteChannel(conn.db, 'default')).rejects.toMatchObject({ type: 'invalid_state' });
  });
});
