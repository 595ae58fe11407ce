// The Activity page's reads against a real ledger: each filter, keyset paging that returns every row exactly once
// (even while new rows arrive), the streamed CSV with its quoting, the change log's field diffs, and the plans
// PostgreSQL makes for the filters (each walks an index, none scans the ledger).
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));
vi.mock('next/headers', async () => (await import('@/server/testing/request-scope')).nextHeadersMock);

import { movementKindEnum } from '@/db/schema';
import { fieldChanges, movementKinds, type StockActivityQuery } from '@/lib/contracts/activity';
import { adjust } from '@/server/inventory/commands/adjust';
import { saveProduct } from '@/server/inventory/commands/products';
import { receive } from '@/server/inventory/commands/receive';
import { transfer } from '@/server/inventory/commands/transfer';
import type { Actor } from '@/server/inventory/kernel/actor';
import { makeWorld, testConnection, uid, type World } from '@/server/testing/fixtures';
import { as, signInAs } from '@/server/testing/request-scope';
import { allPages, changeActivity, stockActivity, stockActivityQuery } from './activity';
import { changeActivityCsv, stockActivityCsv } from './activity-csv';

const conn = testConnection(4);
const run = uid();
const user = (name: string): Actor => ({ kind: 'user', id: name, label: `${name}-${run}@onhand.test` });
const alice = user('alice');
const bob = user('bob');
const RECEIPTS = 60;
const awkward = ['Box "B", damp', 'two\nlines', '=HYPERLINK("http://evil.test")', 'plain'];
let w: World;
let transferCommand: string;

beforeAll(async () => {
  w = await makeWorld(conn, { products: 3 });
  const [a, b] = w.skus;
  for (let i = 0; i < RECEIPTS; i++) {
    await receive(conn.db, { sku: a, warehouse: w.warehouse, location: 'A-01', qty: 1, reference: `REF-${run}`, note: awkward[i % awkward.length] }, { actor: alice });
  }
  for (let i = 0; i < 5; i++) {
    await adjust(conn.db, { sku: b, warehouse: w.warehouse, location: 'A-02', delta: 3, reason: 'correction', reference: `ADJ-${run}` }, { actor: bob });
  }
  for (let i = 0; i < 2; i++) {
    const t = await transfer(conn.db, { sku: a, from: { warehouse: w.warehouse, location: 'A-01' }, to: { warehouse: w.warehouse, location: 'A-02' }, qty: 2 }, { actor: alice });
    const [row] = (await stockActivity(conn.db, { actor: alice.label, kind: 'transfer_in' }, 1)).items;
    expect(row.kind).toBe('transfer_in');
    transferCommand = row.commandId;
    expect(t.qty).toBe(2);
  }
}, 60_000);
afterAll(() => conn.close());

// Every page of a filter, following the cursor as the page's "Older" link does.
async function pages(q: StockActivityQuery, limit = 50) {
  const out: number[][] = [];
  let before: number | undefined;
  for (;;) {
    const page = await stockActivity(conn.db, { ...q, before }, limit);
    out.push(page.items.map((r) => r.id));
    if (!page.nextCursor) return out;
    before = Number(page.nextCursor);
  }
}

describe('stock activity', () => {
  it('the contract lists the ledger kinds the database has', () => {
    expect([...movementKinds].sort()).toEqual([...movementKindEnum.enumValues].sort());
  });

  it('filters by who, kind, SKU (or a scanned barcode), reference, command and day', async () => {
    const ids = async (q: StockActivityQuery) => (await pages(q)).flat();
    expect(await ids({ actor: alice.label })).toHaveLength(RECEIPTS + 4);
    expect(await ids({ actor: `user:${bob.label}` })).toHaveLength(5);

    const transfersOut = await stockActivity(conn.db, { actor: alice.label, kind: 'transfer_out' });
    expect(transfersOut.items.map((r) => [r.kind, r.sku, r.location, r.onHandDelta])).toEqual([
      ['transfer_out', w.skus[0], 'A-01', -2],
      ['transfer_out', w.skus[0], 'A-01', -2],
    ]);

    const adjusted = await stockActivity(conn.db, { sku: w.skus[1].toLowerCase() });
    expect(adjusted.items.map((r) => [r.kind, r.reasonCode, r.referenceId, r.actor])).toEqual(Array(5).fill(['adjustment', 'correction', `ADJ-${run}`, `user:${bob.label}`]));
    expect(await ids({ reference: `ADJ-${run}` })).toEqual(adjusted.items.map((r) => r.id));
    expect((await stockActivity(conn.db, { reference: transferCommand })).items.map((r) => r.kind).sort()).toEqual(['transfer_in', 'transfer_out']);
    expect(await ids({ sku: w.skus[0], kind: 'receipt', reference: `REF-${run}` })).toHaveLength(RECEIPTS);
    expect(await ids({ sku: w.skus[2] })).toEqual([]);
    expect(await ids({ sku: 'NO-SUCH-SKU' })).toEqual([]);

    const today = new Date().toISOString().slice(0, 10);
    const day = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
    expect(await ids({ actor: bob.label, from: today, to: today })).toHaveLength(5);
    expect(await ids({ actor: bob.label, from: day(1) })).toEqual([]);
    expect(await ids({ actor: bob.label, to: day(-1) })).toEqual([]);
  });

  it('pages newest first, every row exactly once, while new rows arrive between pages', async () => {
    const expected = (await stockActivity(conn.db, { actor: alice.label }, 1000)).items.map((r) => r.id);
    expect(expected).toEqual([...expected].sort((x, y) => y - x));

    const seen: number[] = [];
    let before: number | undefined;
    let page = 0;
    for (;;) {
      const p = await stockActivity(conn.db, { actor: alice.label, before }, 25);
      seen.push(...p.items.map((r) => r.id));
      // A new movement by the same person: it is newer than the first page, so it belongs to no later one.
      if (page++ === 0) await receive(conn.db, { sku: w.skus[0], warehouse: w.warehouse, location: 'A-01', qty: 1 }, { actor: alice });
      if (!p.nextCursor) break;
      before = Number(p.nextCursor);
    }
    expect(page).toBe(3);
    expect(seen).toEqual(expected);
  });

  it('an empty result has no cursor', async () => {
    const empty = await stockActivity(conn.db, { actor: `nobody-${run}` });
    expect(empty).toEqual({ items: [], nextCursor: null });
  });
});

describe('the CSV export', () => {
  it('streams every filtered row, in batches, quoted so a spreadsheet reads back the same cells', async () => {
    const q = { actor: alice.label, kind: 'receipt' as const };
    const reader = stockActivityCsv(conn.db, q, 7).getReader();
    const chunks: Uint8Array[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
    }
    expect(chunks.length, 'written as it is read, not as one string').toBeGreaterThan(1);
    const text = Buffer.concat(chunks).toString('utf8');
    expect(text.split('\r\n')[0]).toBe(
      'id,at,kind,sku,name,warehouse,location,on_hand_delta,reserved_delta,on_hand_after,reserved_after,reason,reference_type,reference,order_reference,note,actor,command_id',
    );
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    const expected = (await stockActivity(conn.db, q, 1000)).items;
    expect(rows.map((r) => Number(r.id))).toEqual(expected.map((r) => r.id));
    expect(rows).toHaveLength(RECEIPTS + 1);
    expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(['receipt']));
    // A comma, a quote and a line break survive; a formula is defused with a leading apostrophe.
    const notes = new Set(rows.map((r) => r.note));
    expect(notes).toEqual(new Set(['', 'Box "B", damp', 'two\nlines', `'=HYPERLINK("http://evil.test")`, 'plain']));
    expect(text).toContain('"Box ""B"", damp"');
    expect(rows.every((r) => r.actor === `user:${alice.label}` && r.sku === w.skus[0])).toBe(true);
  });

  it('answers the download to a manager, and names a bad filter instead of failing', async () => {
    const { GET } = await import('@/app/(shell)/activity/export/route');
    const manager = await signInAs(conn, 'manager');
    const res = await as(manager, () => GET(new Request(`http://localhost/activity/export?actor=${encodeURIComponent(bob.label)}&before=1`)));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="onhand-ledger-/);
    // The cursor of a shared page link does not cut the file short.
    expect(parse(await res.text(), { columns: true })).toHaveLength(5);

    const bad = await as(manager, () => GET(new Request('http://localhost/activity/export?kind=teleport&from=2026-13-01')));
    expect(bad.status).toBe(422);
    expect(bad.headers.get('content-type')).toBe('application/problem+json');
    const problem = (await bad.json()) as { errors: { field: string; message: string }[] };
    expect(problem.errors).toEqual([
      { field: 'from', message: 'is not a real date' },
      { field: 'kind', message: expect.stringMatching(/^must be one of receipt, adjustment/) },
    ]);
  });
});

describe('master-data changes', () => {
  it("a record's history and the whole log are one read, with the fields each change touched", async () => {
    const sku = `ACT-${run}`;
    const carol = user('carol');
    await saveProduct(conn.db, { sku, name: 'Blue mug', mode: 'create' }, { actor: carol });
    await saveProduct(conn.db, { sku, name: 'Blue mug, 350 ml', lowStockThreshold: 4 }, { actor: carol });
    await saveProduct(conn.db, { sku, active: false }, { actor: bob });

    const history = await changeActivity(conn.db, { entity: 'product', key: sku });
    expect(history.items.map((c) => [c.action, c.actor])).toEqual([
      ['archive', `user:${bob.label}`],
      ['update', `user:${carol.label}`],
      ['create', `user:${carol.label}`],
    ]);
    expect(fieldChanges(history.items[1].before, history.items[1].after)).toEqual([
      { field: 'name', before: 'Blue mug', after: 'Blue mug, 350 ml' },
      { field: 'lowStockThreshold', before: 0, after: 4 },
    ]);
    expect(fieldChanges(history.items[2].before, history.items[2].after).map((f) => f.field).sort()).toEqual(['active', 'barcodes', 'leadTimeDays', 'lowStockThreshold', 'name', 'sku', 'unit']);

    expect((await changeActivity(conn.db, { actor: carol.label })).items).toHaveLength(2);
    expect((await changeActivity(conn.db, { actor: carol.label, action: 'create' })).items.map((c) => c.key)).toEqual([sku]);
    const one = await changeActivity(conn.db, { entity: 'product', key: sku }, 1);
    const all = [];
    for await (const c of allPages(changeActivity, conn.db, { entity: 'product', key: sku }, 1)) all.push(c.id);
    expect(one.nextCursor).not.toBeNull();
    expect(all).toEqual(history.items.map((c) => c.id));

    // The file: one row a change, its fields a line each in one quoted cell.
    const file = parse(await new Response(changeActivityCsv(conn.db, { entity: 'product', key: sku })).text(), { columns: true }) as Record<string, string>[];
    expect(file.map((r) => [r.action, r.key])).toEqual([
      ['archive', sku],
      ['update', sku],
      ['create', sku],
    ]);
    expect(file[1].changes).toBe('name: "Blue mug" -> "Blue mug, 350 ml"\nlowStockThreshold: 0 -> 4');
  });
});

describe('the filters are index-backed', () => {
  // With sequential scans and ordered index walks priced out, the only way left to find the rows is an index whose
  // condition is the filter: a filter without one would end in a Seq Scan. (On a test-sized ledger the planner would
  // otherwise rightly walk the id index backwards, which proves nothing about a ledger of millions.)
  const cases: [string, () => StockActivityQuery, RegExp][] = [
    ['who', () => ({ actor: alice.label }), /stock_movements_actor_idx/],
    ['kind', () => ({ kind: 'count' }), /stock_movements_kind_idx/],
    ['SKU', () => ({ sku: w.skus[0] }), /stock_movements_pkey|stock_movements_level_idx|stock_movements_product_id_id_pk/],
    ['reference', () => ({ reference: `ADJ-${run}` }), /stock_movements_reference_idx/],
    ['command', () => ({ reference: transferCommand }), /stock_movements_command_idx/],
  ];
  it.each(cases)('%s', async (_, q, index) => {
    const { sql: text, params } = stockActivityQuery(conn.db, q()).toSQL();
    const plan = await conn.sql.begin(async (tx) => {
      await tx`SET LOCAL enable_seqscan = off`;
      await tx`SET LOCAL enable_indexscan = off`;
      return tx.unsafe(`EXPLAIN ${text}`, params as never[]);
    });
    const lines = plan.map((r) => String(Object.values(r)[0])).join('\n');
    expect(lines).toMatch(index);
    expect(lines).not.toMatch(/Seq Scan on stock_movements/);
  });
});
