// The availability rule's two renderings give the same answer: the SQL fragments, run by PostgreSQL, against the
// TypeScript functions, on every location kind and flag and on figures around each bound.
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { locationKindEnum } from '@/db/schema';
import { testConnection } from '@/server/testing/fixtures';
import { alertKindFor, availableSql, isSellable, sellableSql, statusOf, statusSql } from './availability-rule';

const conn = testConnection(2);
afterAll(() => conn.close());

// A derived table standing in for locations / stock_levels, so the fragments run on exactly these cases.
const v = (col: string) => sql.raw(`v.${col}`);

describe('the availability rule', () => {
  it('calls the same locations sellable in SQL and in TypeScript', async () => {
    const cases = locationKindEnum.enumValues.flatMap((kind) => [true, false].map((sellable) => ({ kind, sellable })));
    const values = sql.join(cases.map((c) => sql`(${c.kind}::location_kind, ${c.sellable}::boolean)`), sql`, `);
    const rows = await conn.db.execute<{ kind: string; sellable: boolean; rule: boolean }>(
      sql`SELECT v.kind::text AS kind, v.sellable, ${sellableSql({ sellable: v('sellable'), kind: v('kind') })} AS rule FROM (VALUES ${values}) AS v(kind, sellable)`,
    );
    expect(rows).toHaveLength(cases.length);
    for (const r of rows) expect({ ...r, rule: isSellable(r) }).toEqual(r);
    // The rule itself, as a user would state it: only flagged pick and storage bins.
    expect(cases.filter(isSellable)).toEqual([
      { kind: 'storage', sellable: true },
      { kind: 'pick', sellable: true },
    ]);
  });

  it('gives the same status and alert for every figure around the bounds', async () => {
    const cases: [number, number][] = [];
    for (const threshold of [0, 1, 5, 10]) for (const available of [-1, 0, 1, threshold - 1, threshold, threshold + 1, 1000]) cases.push([available, threshold]);
    const values = sql.join(cases.map(([a, t]) => sql`(${a}::int, ${t}::int)`), sql`, `);
    const rows = await conn.db.execute<{ available: number; threshold: number; status: string }>(
      sql`SELECT v.available, v.threshold, ${statusSql(v('available'), v('threshold'))} AS status FROM (VALUES ${values}) AS v(available, threshold)`,
    );
    expect(rows).toHaveLength(cases.length);
    for (const r of rows) expect(r.status, `available ${r.available}, threshold ${r.threshold}`).toBe(statusOf(r.available, r.threshold));
    expect([statusOf(0, 5), statusOf(5, 5), statusOf(6, 5), statusOf(3, 0)]).toEqual(['out_of_stock', 'low_stock', 'in_stock', 'in_stock']);
    expect([alertKindFor(0, 5), alertKindFor(5, 5), alertKindFor(6, 5)]).toEqual(['out_of_stock', 'low_stock', null]);
  });

  it('sums on hand less reserved over sellable locations only', async () => {
    const [r] = await conn.db.execute<{ available: number }>(sql`
      SELECT ${availableSql({ levels: { onHand: v('on_hand'), reserved: v('reserved') }, loc: { sellable: v('sellable'), kind: v('kind') } })} AS available
      FROM (VALUES (10, 3, true, 'pick'::location_kind), (5, 0, true, 'storage'::location_kind), (7, 0, true, 'receiving'::location_kind),
                   (4, 0, false, 'pick'::location_kind), (2, 2, true, 'quarantine'::location_kind)) AS v(on_hand, reserved, sellable, kind)`);
    expect(r.available).toBe(12);
  });
});
