import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { makeWorld, testConnection } from '@/server/testing/fixtures';
import { windowPicks } from './window-picks';

const conn = testConnection();
afterAll(() => conn.close());

const DAY = 86_400_000;

describe('windowPicks', () => {
  it('counts the same picks as the ledger for any window, whole days from the history and the partial ones from the ledger', async () => {
    const w = await makeWorld(conn, { products: 2 });
    const ids = Object.values(w.productIds);
    const bins = [w.bins['PICK-01'].id, w.bins['A-01'].id];
    // Picks over 40 days at odd times of day, some on midnight exactly, one backdated after the rest (a history
    // that grows at its start as well as its end).
    const base = Date.parse('2026-03-01T00:00:00Z');
    const times = [0, 0.25, 0.999, 1, 1.5, 3.2, 7, 7.0001, 12.75, 20, 20.5, 27.9, 28, 33.33, 39.99, -2.5].map((d) => base + d * DAY);
    for (const [n, t] of times.entries()) {
      await conn.db.execute(sql`
        INSERT INTO stock_movements (product_id, location_id, kind, on_hand_delta, reserved_delta, on_hand_after, reserved_after, version, actor, command_id, created_at)
        VALUES (${ids[n % 2]}, ${bins[n % 3 === 0 ? 1 : 0]}, 'pick', ${-(1 + (n % 4))}, 0, 0, 0, 1, 'test:picks', ${randomUUID()}, ${new Date(t).toISOString()}::timestamptz)`);
    }
    const figures = async (asOf: Date, days: number) => {
      const rows = (await conn.db.execute(sql`${windowPicks(asOf, days, { only: (c) => sql`AND ${c} IN ${ids}`, inWarehouse: () => sql`` })}`)) as unknown as {
        product_id: number;
        picked: number;
      }[];
      return Object.fromEntries(rows.map((r) => [r.product_id, r.picked]));
    };
    const ledger = async (asOf: Date, days: number) => {
      const rows = (await conn.db.execute(sql`
        SELECT product_id, sum(-on_hand_delta)::int AS picked FROM stock_movements
        WHERE kind = 'pick' AND product_id IN ${ids} AND created_at >= ${new Date(asOf.getTime() - days * DAY).toISOString()}::timestamptz
          AND created_at < ${asOf.toISOString()}::timestamptz
        GROUP BY 1`)) as unknown as { product_id: number; picked: number }[];
      return Object.fromEntries(rows.map((r) => [r.product_id, r.picked]));
    };
    for (const at of [0, 1, 7.0001, 10.5, 28, 28.3, 30, 41, 45.75, 80]) {
      for (const days of [1, 7, 28, 365]) {
        const asOf = new Date(base + at * DAY);
        expect(await figures(asOf, days), `${asOf.toISOString()} over ${days} days`).toEqual(await ledger(asOf, days));
      }
    }
  });
});
