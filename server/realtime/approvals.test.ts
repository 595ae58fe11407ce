// The approvals room: a staff count beyond the tolerance, a manager's approval and another's rejection reach every
// manager's socket in that room as they commit, and a staff socket can neither join the room nor hear it. Real
// database, real sidecar, real Socket.IO clients.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApprovalMessage } from '@/lib/contracts/realtime';
import type { Actor } from '@/server/inventory';
import { ApprovalRequired } from '@/server/inventory/commands/approval-guard';
import { approveStockChange, rejectStockChange } from '@/server/inventory/commands/approvals';
import { count } from '@/server/inventory/commands/count';
import { receive } from '@/server/inventory/commands/receive';
import { makeWorld, testActor, testConnection, type World } from '@/server/testing/fixtures';
import { collect, connected, join, makeUser, staffClient, startSidecar, tokenFor, waitFor, type Sidecar, type StaffSocket } from './test-support';

const conn = testConnection(4);
let sidecar: Sidecar;
let w: World;
let staff: Actor;
let manager: Actor;
const sockets: StaffSocket[] = [];

beforeAll(async () => {
  w = await makeWorld(conn, { products: 1 });
  staff = { kind: 'user', id: await makeUser(conn, 'staff'), label: 'sam@onhand.test' };
  manager = { kind: 'user', id: await makeUser(conn, 'manager'), label: 'mia@onhand.test' };
  await receive(conn.db, { sku: w.skus[0], warehouse: w.warehouse, location: 'A-01', qty: 50 }, { actor: testActor });
  sidecar = await startSidecar();
});
afterAll(async () => {
  sockets.forEach((s) => s.close());
  await sidecar.close();
  await conn.close();
});

async function open(userId: string, role: 'staff' | 'manager' | 'admin') {
  const socket = staffClient(sidecar.url, () => tokenFor(userId, role));
  sockets.push(socket);
  await connected(socket);
  return socket;
}

async function held(input: { counted: number; expected: number }): Promise<number> {
  const e = await count(conn.db, { sku: w.skus[0], warehouse: w.warehouse, location: 'A-01', ...input }, { actor: staff }).then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ApprovalRequired);
  return (e as ApprovalRequired).requestId;
}

describe('the approvals room', () => {
  it('refuses a staff socket; managers and admins join it', async () => {
    const s = await open(staff.id, 'staff');
    expect(await join(s, ['approvals', `warehouse:${w.warehouseId}`])).toEqual({
      joined: [`warehouse:${w.warehouseId}`],
      refused: [{ room: 'approvals', reason: 'forbidden' }],
    });
    expect((await join(await open(manager.id, 'manager'), ['approvals'])).joined).toEqual(['approvals']);
    expect((await join(await open(await makeUser(conn, 'admin'), 'admin'), ['approvals'])).joined).toEqual(['approvals']);
  });

  it('tells every manager in the room of a request asked for, approved and rejected; a staff socket hears none of it', async () => {
    const managers = [await open(manager.id, 'manager'), await open(await makeUser(conn, 'manager'), 'manager')];
    for (const m of managers) expect((await join(m, ['approvals'])).joined).toEqual(['approvals']);
    const heard = managers.map((m) => collect<ApprovalMessage>(m, 'approval'));
    const s = await open(staff.id, 'staff');
    await join(s, ['approvals', `warehouse:${w.warehouseId}`]);
    const staffHeard = collect<ApprovalMessage>(s, 'approval');
    const staffLevels = collect(s, 'level');

    const first = await held({ counted: 10, expected: 50 });
    await waitFor(() => heard.every((h) => h.some((m) => m.id === first && m.status === 'pending')), 'both managers to hear the new request', 5000);
    expect(heard[0].find((m) => m.id === first)).toEqual({ id: first, command: 'count', status: 'pending' });

    await approveStockChange(conn.db, first, manager);
    await waitFor(() => heard.every((h) => h.some((m) => m.id === first && m.status === 'approved')), 'both managers to hear the approval', 5000);

    const second = await held({ counted: 90, expected: 10 });
    await rejectStockChange(conn.db, second, 'Recount it, please', manager);
    await waitFor(() => heard.every((h) => h.some((m) => m.id === second && m.status === 'rejected')), 'both managers to hear the rejection', 5000);

    // The approved count reached the staff socket as a level change in its warehouse; the queue's messages did not.
    await waitFor(() => staffLevels.length > 0, 'the staff socket to see the applied count', 5000);
    expect(staffHeard).toEqual([]);
  });
});
