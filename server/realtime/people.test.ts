// Live sockets follow who may still listen, at once and not at the next join: a signed-out session's sockets are
// dropped, a deactivated user's are all dropped, a demoted user's end with their sessions, and a role lowered in the
// database leaves the rooms it may no longer hear. Real better-auth sessions, a real sidecar, real Socket.IO clients.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));

import { sessions, type Role } from '@/db/schema';
import { getAuth } from '@/server/auth/auth';
import { setActive, setRole } from '@/server/people/users';
import { makeWorld, testActor, testConnection, type World } from '@/server/testing/fixtures';
import { signInAs, type TestSession } from '@/server/testing/request-scope';
import { connected, join, staffClient, startSidecar, tokenFor, waitFor, type Sidecar, type StaffSocket } from './test-support';

const conn = testConnection(4);
let sidecar: Sidecar;
let w: World;
const sockets: StaffSocket[] = [];

beforeAll(async () => {
  w = await makeWorld(conn, { products: 1 });
  sidecar = await startSidecar();
});
afterAll(async () => {
  sockets.forEach((s) => s.close());
  await sidecar.close();
  await conn.close();
});

async function sessionIdsOf(s: TestSession): Promise<string[]> {
  return (await conn.db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, s.userId!))).map((r) => r.id);
}

// A socket opened the way the browser opens one: a token for this user and this session.
async function open(s: TestSession, sessionId: string, rooms: string[]) {
  const socket = staffClient(sidecar.url, () => tokenFor(s.userId!, s.role as Role, sessionId));
  sockets.push(socket);
  const signedOut: string[] = [];
  socket.on('signed_out', (m) => signedOut.push(m.reason));
  await connected(socket);
  expect((await join(socket, rooms)).joined).toEqual(rooms);
  return { socket, signedOut };
}

const room = () => `warehouse:${w.warehouseId}`;
const inRoom = (socket: StaffSocket, name: string) => sidecar.realtime.io.of('/').adapter.rooms.get(name)?.has(socket.id!) ?? false;

describe('sockets end with their session', () => {
  it('signing out drops that session’s socket only, and its token cannot open another', async () => {
    const s = await signInAs(conn, 'staff');
    const [sid] = await sessionIdsOf(s);
    const other = await signInAs(conn, 'staff');
    const a = await open(s, sid, [room()]);
    const b = await open(other, (await sessionIdsOf(other))[0], [room()]);

    await getAuth().api.signOut({ headers: new Headers({ cookie: s.cookie! }) });
    await waitFor(() => !a.socket.connected, 'the signed-out socket to be dropped', 5000);
    expect(a.signedOut).toEqual(['session_ended']);
    expect(b.socket.connected).toBe(true);
    expect(inRoom(b.socket, room())).toBe(true);

    // A token minted before the sign-out (they live a minute) is refused.
    const again = staffClient(sidecar.url, () => tokenFor(s.userId!, 'staff', sid));
    sockets.push(again);
    await expect(connected(again)).rejects.toThrow('unauthorized');
  });

  it('deactivating a user drops every socket of theirs at once', async () => {
    const s = await signInAs(conn, 'manager');
    const second = await getAuth().api.signInEmail({ body: { email: s.email!, password: 'correct-horse-battery-staple' } });
    expect(second.token).toBeTruthy();
    const ids = await sessionIdsOf(s);
    expect(ids).toHaveLength(2);
    const opened = await Promise.all(ids.map((id) => open(s, id, [room(), 'alerts'])));
    const started = Date.now();
    await setActive(conn.db, { userId: s.userId!, active: 'false' }, { actor: testActor });
    await waitFor(() => opened.every((o) => !o.socket.connected), 'every socket of the deactivated user to be dropped', 5000);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(await sessionIdsOf(s)).toEqual([]);
  });

  it('demoting a manager ends their sessions, so their sockets go with them', async () => {
    const s = await signInAs(conn, 'manager');
    const o = await open(s, (await sessionIdsOf(s))[0], ['alerts', room()]);
    await setRole(conn.db, { userId: s.userId!, role: 'staff' }, { actor: testActor });
    await waitFor(() => !o.socket.connected, 'the demoted manager’s socket to be dropped', 5000);
    expect(o.signedOut).toEqual(['session_ended']);
  });

  it('a role lowered in the database leaves the rooms it may no longer hear, keeping the others', async () => {
    const s = await signInAs(conn, 'manager');
    const o = await open(s, (await sessionIdsOf(s))[0], ['alerts', room()]);
    await conn.db.execute(sql`UPDATE users SET role = 'staff' WHERE id = ${s.userId}`);
    await waitFor(() => !inRoom(o.socket, 'alerts'), 'the socket to leave alerts', 5000);
    expect(o.socket.connected).toBe(true);
    expect(inRoom(o.socket, room())).toBe(true);
  });
});
