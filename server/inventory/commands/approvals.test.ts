// The manager-only rule, against the real database: a staff count beyond the tolerance and a large receipt without
// a purchase order write nothing until a manager approves; approving applies once however often it is pressed;
// rejecting writes nothing; a manager's own change applies at once.
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stockChangeRequests } from '@/db/schema';
import type { Actor } from '@/server/inventory';
import { makeUser } from '@/server/realtime/test-support';
import { makeWorld, testActor, testConnection, waitFor, type World } from '@/server/testing/fixtures';
import { ApprovalRequired } from './approval-guard';
import { approveStockChange, pendingStockChanges, rejectStockChange } from './approvals';
import { count } from './count';
import { receive } from './receive';

const conn = testConnection();
const other = testConnection(1);
let w: World;
let staff: Actor;
let manager: Actor;

beforeAll(async () => {
  w = await makeWorld(conn, { products: 2 });
  staff = { kind: 'user', id: await makeUser(conn, 'staff'), label: 'sam@onhand.test' };
  manager = { kind: 'user', id: await makeUser(conn, 'manager'), label: 'mia@onhand.test' };
  await receive(conn.db, { sku: w.skus[0], warehouse: w.warehouse, location: 'A-01', qty: 50 }, { actor: testActor });
});
afterAll(async () => {
  await conn.close();
  await other.close();
});

const ledgerRows = async () => {
  const [{ n }] = (await conn.db.execute(sql`SELECT count(*)::int AS n FROM stock_movements WHERE product_id IN ${Object.values(w.productIds)}`)) as unknown as {
    n: number;
  }[];
  return n;
};
const onHand = async (sku: string, location: string) => {
  const [r] = (await conn.db.execute(sql`
    SELECT s.on_hand FROM stock_levels s JOIN products p ON p.id = s.product_id JOIN locations l ON l.id = s.location_id
    WHERE p.sku = ${sku} AND l.code = ${location} AND l.warehouse_id = ${w.warehouseId}`)) as unknown as { on_hand: number }[];
  return r?.on_hand ?? 0;
};
async function heldAs(p: Promise<unknown>): Promise<ApprovalRequired> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ApprovalRequired);
  return e as ApprovalRequired;
}

describe('a staff count beyond the tolerance', () => {
  it('writes no ledger row until approved; approving twice applies it once', async () => {
    const before = await ledgerRows();
    const key = randomUUID();
    const input = { sku: w.skus[0], warehouse: w.warehouse, location: 'A-01', counted: 20, expected: 50 };
    const held = await heldAs(count(conn.db, input, { actor: staff, idempotencyKey: key }));
    expect(held.message).toMatch(/by 30 units; staff may change a level by 10 units/);
    // The same form submitted again is the same request.
    expect((await heldAs(count(conn.db, input, { actor: staff, idempotencyKey: key }))).requestId).toBe(held.requestId);
    expect(await ledgerRows()).toBe(before);
    expect(await onHand(w.skus[0], 'A-01')).toBe(50);
    expect((await pendingStockChanges(conn.db)).map((r) => r.id)).toContain(held.requestId);

    const first = await approveStockChange(conn.db, held.requestId, manager);
    const again = await approveStockChange(conn.db, held.requestId, manager);
    expect(again).toEqual(first);
    expect(await ledgerRows()).toBe(before + 1);
    expect(await onHand(w.skus[0], 'A-01')).toBe(20);
    const [row] = await conn.db.select().from(stockChangeRequests).where(eq(stockChangeRequests.id, held.requestId));
    expect(row).toMatchObject({ status: 'approved', decidedBy: 'mia@onhand.test', movementId: first.movementId });
    await expect(rejectStockChange(conn.db, held.requestId, 'too late', manager)).rejects.toThrow(/already approved/);
  });

  it('within the tolerance applies at once; a manager’s own count applies at once', async () => {
    const before = await ledgerRows();
    await count(conn.db, { sku: w.skus[0], warehouse: w.warehouse, location: 'A-01', counted: 25, expected: 20 }, { actor: staff });
    await count(conn.db, { sku: w.skus[0], warehouse: w.warehouse, location: 'A-01', counted: 90, expected: 25 }, { actor: manager });
    expect(await ledgerRows()).toBe(before + 2);
    expect(await onHand(w.skus[0], 'A-01')).toBe(90);
  });
});

describe('a decision and its change', () => {
  it('commit together: while the change waits for its stock, the request is still in the queue', async () => {
    const sku = w.skus[0];
    const current = await onHand(sku, 'A-01');
    const held = await heldAs(count(conn.db, { sku, warehouse: w.warehouse, location: 'A-01', counted: current + 40, expected: current }, { actor: staff }));
    let approving: Promise<unknown> = Promise.resolve();
    await other.db.transaction(async (tx) => {
      // Another command holds the level the count changes.
      await tx.execute(sql`SELECT 1 FROM stock_levels WHERE product_id = ${w.productIds[sku]} FOR UPDATE`);
      const [{ pid }] = (await tx.execute(sql`SELECT pg_backend_pid() AS pid`)) as unknown as { pid: number }[];
      approving = approveStockChange(conn.db, held.requestId, manager);
      await waitFor(async () => {
        const [{ n }] = (await conn.db.execute(sql`SELECT count(*)::int AS n FROM pg_stat_activity WHERE ${pid}::int = ANY(pg_blocking_pids(pid))`)) as unknown as { n: number }[];
        return n > 0;
      }, 'the approval to wait for the level');
      // Approved but not applied would already have left the queue: it has not.
      const waiting = await tx.select({ id: stockChangeRequests.id }).from(stockChangeRequests).where(eq(stockChangeRequests.status, 'pending'));
      expect(waiting.map((r) => r.id)).toContain(held.requestId);
    });
    const decided = (await approving) as { movementId: number };
    expect(await onHand(sku, 'A-01')).toBe(current + 40);
    const [row] = await conn.db.select().from(stockChangeRequests).where(eq(stockChangeRequests.id, held.requestId));
    expect(row).toMatchObject({ status: 'approved', movementId: decided.movementId });
  });

  it('a rejection committed while the approval applies wins: nothing is applied', async () => {
    const sku = w.skus[0];
    const current = await onHand(sku, 'A-01');
    const before = await ledgerRows();
    const held = await heldAs(count(conn.db, { sku, warehouse: w.warehouse, location: 'A-01', counted: current + 40, expected: current }, { actor: staff }));
    let approving: Promise<unknown> = Promise.resolve();
    await other.db.transaction(async (tx) => {
      await rejectStockChange(tx as never, held.requestId, 'Counted the wrong bin', manager);
      const [{ pid }] = (await tx.execute(sql`SELECT pg_backend_pid() AS pid`)) as unknown as { pid: number }[];
      approving = approveStockChange(conn.db, held.requestId, manager).catch((e: unknown) => e);
      await waitFor(async () => {
        const [{ n }] = (await conn.db.execute(sql`SELECT count(*)::int AS n FROM pg_stat_activity WHERE ${pid}::int = ANY(pg_blocking_pids(pid))`)) as unknown as { n: number }[];
        return n > 0;
      }, 'the approval to wait for the rejection');
    });
    expect(await approving).toMatchObject({ type: 'invalid_state', message: expect.stringMatching(/was rejected/) });
    expect(await onHand(sku, 'A-01')).toBe(current);
    expect(await ledgerRows()).toBe(before);
    const [row] = await conn.db.select().from(stockChangeRequests).where(eq(stockChangeRequests.id, held.requestId));
    expect(row).toMatchObject({ status: 'rejected', movementId: null });
  });
});

describe('a staff receipt without a purchase order beyond the limit', () => {
  it('rejected with a reason writes nothing, and cannot be approved after', async () => {
    const before = await ledgerRows();
    const held = await heldAs(receive(conn.db, { sku: w.skus[1], warehouse: w.warehouse, location: 'RECV', qty: 500 }, { actor: staff }));
    expect(held.message).toMatch(/receipt of 500 × .* without a purchase order; staff may receive 100/);
    await expect(rejectStockChange(conn.db, held.requestId, '  ', manager)).rejects.toMatchObject({ details: { fields: { reason: [expect.any(String)] } } });
    await rejectStockChange(conn.db, held.requestId, 'No delivery of 500 today', manager);
    await expect(approveStockChange(conn.db, held.requestId, manager)).rejects.toThrow(/was rejected/);
    expect(await ledgerRows()).toBe(before);
    expect(await onHand(w.skus[1], 'RECV')).toBe(0);
    const [row] = await conn.db.select().from(stockChangeRequests).where(eq(stockChangeRequests.id, held.requestId));
    expect(row).toMatchObject({ status: 'rejected', rejectReason: 'No delivery of 500 today', movementId: null });
  });

  it('up to the limit applies at once', async () => {
    const r = await receive(conn.db, { sku: w.skus[1], warehouse: w.warehouse, location: 'RECV', qty: 100 }, { actor: staff });
    expect(r.onHand).toBe(100);
  });
});
