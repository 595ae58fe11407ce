// The people rules against a database of their own (the last-admin rule counts every admin there is): who may be
// created, demoted and deactivated, that sessions end with a demotion, a deactivation or a reset, and that every
// change leaves an audit row without a password in it.
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '@/db/client';
import { accounts, masterDataChanges, sessions, users } from '@/db/schema';
import type { Actor } from '@/server/inventory/kernel/actor';
import { InventoryError } from '@/server/inventory/kernel/errors';
import { scratchDatabase } from '@/server/inventory/test-support';
import { verifyPassword } from './passwords';
import { changeOwnPassword, createPerson, listPeople, resetPassword, setActive, setRole } from './users';

let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
let conn: Connection;
const system: Actor = { kind: 'system', id: 'test', label: 'test' };
const as = (id: string): { actor: Actor } => ({ actor: { kind: 'user', id, label: id } });

beforeAll(async () => {
  scratch = await scratchDatabase();
  conn = scratch.conn;
});
afterAll(() => scratch.drop());

async function refusal(p: Promise<unknown>): Promise<InventoryError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(e instanceof InventoryError)) throw new Error(`expected a refusal, got ${e}`);
  return e;
}

async function openSession(userId: string): Promise<string> {
  const id = randomUUID();
  await conn.db.insert(sessions).values({ id, token: randomUUID(), userId, expiresAt: new Date(Date.now() + 3_600_000) });
  return id;
}
const sessionCount = (userId: string) => conn.db.$count(sessions, eq(sessions.userId, userId));
const audit = (userId: string) => conn.db.select().from(masterDataChanges).where(and(eq(masterDataChanges.entity, 'user'), eq(masterDataChanges.entityKey, userId))).orderBy(masterDataChanges.id);

describe('creating people', () => {
  it('gives a one-time password that works once hashed, must be changed, and is never in the audit trail', async () => {
    const { person, oneTimePassword } = await createPerson(conn.db, { name: 'Ada Admin', email: 'Ada@Shop.Example', role: 'admin' }, { actor: system });
    expect(person).toMatchObject({ email: 'ada@shop.example', role: 'admin', active: true, mustChangePassword: true });
    expect(oneTimePassword).toMatch(/^[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){3}$/);
    const [account] = await conn.db.select().from(accounts).where(eq(accounts.userId, person.id));
    expect(account.providerId).toBe('credential');
    expect(await verifyPassword({ hash: account.password!, password: oneTimePassword! })).toBe(true);
    const rows = await audit(person.id);
    expect(rows.map((r) => r.action)).toEqual(['create']);
    expect(rows[0].actor).toBe('system:test');
    const text = JSON.stringify(rows);
    expect(text).not.toContain(oneTimePassword);
    expect(text).not.toContain(account.password);
  });

  it('refuses a second account for the same e-mail in any letter case, and weak passwords, naming the field', async () => {
    await createPerson(conn.db, { name: 'Bo', email: 'bo@shop.example', role: 'staff' }, { actor: system });
    const dup = await refusal(createPerson(conn.db, { name: 'Bo again', email: 'BO@shop.example', role: 'staff' }, { actor: system }));
    expect(dup.details.fields).toEqual({ email: ['Someone already signs in with this e-mail address'] });
    const short = await refusal(createPerson(conn.db, { name: 'Cy', email: 'cy@shop.example', role: 'staff', password: 'short' }, { actor: system }));
    expect(short.details.fields).toEqual({ password: ['At least 10 characters'] });
    const common = await refusal(createPerson(conn.db, { name: 'Cy', email: 'cy@shop.example', role: 'staff', password: 'Password123' }, { actor: system }));
    expect(Object.keys(common.details.fields as object)).toEqual(['password']);
    const mine = await refusal(createPerson(conn.db, { name: 'Cy', email: 'cyrus@shop.example', role: 'staff', password: 'cyrus-is-great' }, { actor: system }));
    expect(mine.details.fields).toEqual({ password: ['Do not use your e-mail address in the password'] });
    expect((await listPeople(conn.db)).filter((p) => p.email.startsWith('cy'))).toEqual([]);
  });
});

describe('the last active admin, and yourself', () => {
  it('cannot be demoted or deactivated while no other admin is active; can once another is', async () => {
    const db = conn.db;
    // Whatever admins the tests above made: one stays, the others are deactivated by it.
    const admins = (await listPeople(db)).filter((p) => p.role === 'admin' && p.active);
    const last = admins[0];
    for (const other of admins.slice(1)) await setActive(db, { userId: other.id, active: 'false' }, as(last.id));

    const demote = await refusal(setRole(db, { userId: last.id, role: 'manager' }, { actor: system }));
    expect(demote.type).toBe('invalid_state');
    expect(Object.keys(demote.details.fields as object)).toEqual(['role']);
    const deactivate = await refusal(setActive(db, { userId: last.id, active: 'false' }, { actor: system }));
    expect(Object.keys(deactivate.details.fields as object)).toEqual(['active']);
    // An inactive admin does not count as another admin.
    const { person: dormant } = await createPerson(db, { name: 'Dormant', email: `dormant-${randomUUID()}@shop.example`, role: 'admin' }, { actor: system });
    await setActive(db, { userId: dormant.id, active: 'false' }, as(last.id));
    expect((await refusal(setRole(db, { userId: last.id, role: 'staff' }, { actor: system }))).type).toBe('invalid_state');

    await setActive(db, { userId: dormant.id, active: 'true' }, as(last.id));
    expect((await setRole(db, { userId: last.id, role: 'manager' }, as(dormant.id))).role).toBe('manager');
    expect((await audit(last.id)).map((r) => r.action)).toContain('role');
  });

  it('an admin cannot deactivate themselves, even with other admins about', async () => {
    const a = (await createPerson(conn.db, { name: 'Self', email: `self-${randomUUID()}@shop.example`, role: 'admin' }, { actor: system })).person;
    await createPerson(conn.db, { name: 'Other', email: `other-${randomUUID()}@shop.example`, role: 'admin' }, { actor: system });
    const e = await refusal(setActive(conn.db, { userId: a.id, active: 'false' }, as(a.id)));
    expect(e.details.fields).toEqual({ active: ['You cannot deactivate yourself; ask another admin'] });
    expect((await listPeople(conn.db)).find((p) => p.id === a.id)?.active).toBe(true);
  });
});

describe('sessions end with what they may no longer do', () => {
  it('a demotion and a deactivation delete the user’s sessions; a promotion and a reactivation leave them', async () => {
    const { person } = await createPerson(conn.db, { name: 'Mo', email: `mo-${randomUUID()}@shop.example`, role: 'manager' }, { actor: system });
    await openSession(person.id);
    await openSession(person.id);
    await setRole(conn.db, { userId: person.id, role: 'admin' }, { actor: system });
    expect(await sessionCount(person.id)).toBe(2);
    await setRole(conn.db, { userId: person.id, role: 'staff' }, { actor: system });
    expect(await sessionCount(person.id)).toBe(0);

    await openSession(person.id);
    const off = await setActive(conn.db, { userId: person.id, active: 'false' }, { actor: system });
    expect(off.active).toBe(false);
    expect(await sessionCount(person.id)).toBe(0);
    const [row] = await conn.db.select().from(users).where(eq(users.id, person.id));
    expect(row.active).toBe(false);
    expect((await audit(person.id)).map((r) => r.action)).toEqual(['create', 'role', 'role', 'deactivate']);
  });

  it('a reset gives a new one-time password, ends every session and asks for a change; the change keeps only the current session', async () => {
    const { person, oneTimePassword: first } = await createPerson(conn.db, { name: 'Ri', email: `ri-${randomUUID()}@shop.example`, role: 'staff' }, { actor: system });
    await openSession(person.id);
    const { oneTimePassword: second } = await resetPassword(conn.db, { userId: person.id }, { actor: system });
    expect(second).not.toBe(first);
    expect(await sessionCount(person.id)).toBe(0);

    const here = await openSession(person.id);
    await openSession(person.id);
    const wrong = await refusal(changeOwnPassword(conn.db, { userId: person.id, currentPassword: first!, newPassword: 'a-long-new-secret', confirmPassword: 'a-long-new-secret' }, as(person.id)));
    expect(wrong.details.fields).toEqual({ currentPassword: ['That is not your current password'] });
    const mismatch = await refusal(changeOwnPassword(conn.db, { userId: person.id, currentPassword: second, newPassword: 'a-long-new-secret', confirmPassword: 'another' }, as(person.id)));
    expect(mismatch.details.fields).toEqual({ confirmPassword: ['The two new passwords differ'] });
    const same = await refusal(changeOwnPassword(conn.db, { userId: person.id, currentPassword: second, newPassword: second, confirmPassword: second }, as(person.id)));
    expect(Object.keys(same.details.fields as object)).toEqual(['newPassword']);

    const changed = await changeOwnPassword(
      conn.db,
      { userId: person.id, currentPassword: second, newPassword: 'a-long-new-secret', confirmPassword: 'a-long-new-secret', keepSessionId: here },
      as(person.id),
    );
    expect(changed.mustChangePassword).toBe(false);
    expect((await conn.db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, person.id))).map((s) => s.id)).toEqual([here]);
    const [account] = await conn.db.select().from(accounts).where(eq(accounts.userId, person.id));
    expect(await verifyPassword({ hash: account.password!, password: 'a-long-new-secret' })).toBe(true);
    expect(JSON.stringify(await audit(person.id))).not.toMatch(/a-long-new-secret|\$|scrypt/);
  });
});
