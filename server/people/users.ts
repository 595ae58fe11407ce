// People: create users, change their role, deactivate and reactivate them, reset and change passwords. Each change
// is one transaction with its audit row (master_data_changes, entity 'user'; never a password or its hash), taken
// under one advisory lock so two admins cannot both demote "the other last admin". Deactivating, demoting or resetting
// a user deletes their sessions in the same transaction: the sidecar follows the sessions table and drops their
// sockets the moment it commits.
import '#server-only';
import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, ne, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db, Executor, Tx } from '@/db/client';
import { accounts, masterDataChanges, sessions, users, type User } from '@/db/schema';
import {
  changeOwnPasswordInput,
  createPersonInput,
  resetPasswordInput,
  setActiveInput,
  setRoleInput,
  type Person,
} from '@/lib/contracts/people';
import { hasRole } from '@/lib/contracts/roles';
import { actorRef } from '@/server/inventory/kernel/actor';
import type { CommandContext } from '@/server/inventory/kernel/clock';
import { runCommand, type CommandOptions } from '@/server/inventory/kernel/command';
import { InventoryError, invalidInput } from '@/server/inventory/kernel/errors';
import { hashPassword, oneTimePassword, passwordWeakness, verifyPassword } from './passwords';

const CREDENTIAL = 'credential';

export function toPerson(u: User): Person {
  return {
    id: u.id,
    name: u.name,
    email: u.email,
    role: u.role,
    active: u.active,
    mustChangePassword: u.mustChangePassword,
    lastSignedInAt: u.lastSignedInAt?.toISOString() ?? null,
    createdAt: u.createdAt.toISOString(),
  };
}

export async function listPeople(db: Executor): Promise<Person[]> {
  const rows = await db.select().from(users).orderBy(desc(users.active), asc(users.name), asc(users.email));
  return rows.map(toPerson);
}

export async function personById(db: Executor, id: string): Promise<Person | null> {
  const [u] = await db.select().from(users).where(eq(users.id, id));
  return u ? toPerson(u) : null;
}

export type CreatedPerson = { person: Person; oneTimePassword?: string };

// The admin chooses the password or receives a one-time one; either way the new user must change it at first sign-in.
export function createPerson(db: Db, input: z.input<typeof createPersonInput>, opts: CommandOptions): Promise<CreatedPerson> {
  return runCommand(db, { name: 'createPerson', schema: createPersonInput }, input, opts, async (tx, i, ctx) => {
    await lockPeople(tx);
    const [taken] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${i.email}`);
    if (taken) throw new InventoryError('conflict', `${i.email} already has an account.`, { fields: { email: ['Someone already signs in with this e-mail address'] } });
    const given = i.password;
    if (given) refuseWeak(given, i, 'password');
    const password = given ?? oneTimePassword();
    const id = randomUUID();
    const [row] = await tx
      .insert(users)
      .values({ id, name: i.name, email: i.email, role: i.role, emailVerified: true, mustChangePassword: true })
      .returning();
    await tx.insert(accounts).values({ id: randomUUID(), accountId: id, providerId: CREDENTIAL, userId: id, password: await hashPassword(password) });
    await record(tx, ctx, 'create', null, row);
    return { person: toPerson(row), oneTimePassword: given ? undefined : password };
  });
}

export function setRole(db: Db, input: z.input<typeof setRoleInput>, opts: CommandOptions): Promise<Person> {
  return runCommand(db, { name: 'setUserRole', schema: setRoleInput }, input, opts, async (tx, i, ctx) => {
    await lockPeople(tx);
    const current = await userRow(tx, i.userId);
    if (current.role === i.role) return toPerson(current);
    if (current.role === 'admin' && current.active) await refuseLastAdmin(tx, current, 'role', `${current.name} is the last active admin: make someone else an admin first`);
    const [row] = await tx.update(users).set({ role: i.role, updatedAt: new Date() }).where(eq(users.id, current.id)).returning();
    // A promotion needs nothing ended; a demotion ends every session, so no page keeps what the new role may not see.
    if (!hasRole(i.role, current.role)) await endSessions(tx, current.id);
    await record(tx, ctx, 'role', current, row);
    return toPerson(row);
  });
}

export function setActive(db: Db, input: z.input<typeof setActiveInput>, opts: CommandOptions): Promise<Person> {
  return runCommand(db, { name: 'setUserActive', schema: setActiveInput }, input, opts, async (tx, i, ctx) => {
    await lockPeople(tx);
    const current = await userRow(tx, i.userId);
    if (current.active === i.active) return toPerson(current);
    if (!i.active) {
      if (ctx.actor.kind === 'user' && ctx.actor.id === current.id) {
        throw new InventoryError('invalid_state', 'You cannot deactivate yourself.', { fields: { active: ['You cannot deactivate yourself; ask another admin'] } });
      }
      if (current.role === 'admin') await refuseLastAdmin(tx, current, 'active', `${current.name} is the last active admin and cannot be deactivated`);
    }
    const [row] = await tx.update(users).set({ active: i.active, updatedAt: new Date() }).where(eq(users.id, current.id)).returning();
    if (!i.active) await endSessions(tx, current.id);
    await record(tx, ctx, i.active ? 'reactivate' : 'deactivate', current, row);
    return toPerson(row);
  });
}

// A new one-time password: the old one stops working, every session ends, and the user must choose their own.
export function resetPassword(db: Db, input: z.input<typeof resetPasswordInput>, opts: CommandOptions): Promise<CreatedPerson & { oneTimePassword: string }> {
  return runCommand(db, { name: 'resetUserPassword', schema: resetPasswordInput }, input, opts, async (tx, i, ctx) => {
    await lockPeople(tx);
    const current = await userRow(tx, i.userId);
    const password = oneTimePassword();
    await setPassword(tx, current.id, password);
    const [row] = await tx.update(users).set({ mustChangePassword: true, updatedAt: new Date() }).where(eq(users.id, current.id)).returning();
    await endSessions(tx, current.id);
    await record(tx, ctx, 'reset_password', current, row);
    return { person: toPerson(row), oneTimePassword: password };
  });
}

// Who is changing (from the session, never the form) joins what the form sent.
const ownPasswordChange = changeOwnPasswordInput.safeExtend({ userId: setRoleInput.shape.userId, keepSessionId: setRoleInput.shape.userId.optional() });

// The user's own change: the current password first. Their other sessions end; the one they are using stays.
export function changeOwnPassword(
  db: Db,
  input: z.input<typeof changeOwnPasswordInput> & { userId: string; keepSessionId?: string },
  opts: CommandOptions,
): Promise<Person> {
  return runCommand(db, { name: 'changeOwnPassword', schema: ownPasswordChange }, input, opts, async (tx, i, ctx) => {
    await lockPeople(tx);
    const current = await userRow(tx, i.userId);
    const [account] = await tx
      .select({ password: accounts.password })
      .from(accounts)
      .where(and(eq(accounts.userId, current.id), eq(accounts.providerId, CREDENTIAL)));
    if (!account?.password || !(await verifyPassword({ hash: account.password, password: i.currentPassword }))) {
      throw invalidInput({ currentPassword: ['That is not your current password'] }, 'Check the highlighted fields.');
    }
    if (i.newPassword === i.currentPassword) throw invalidInput({ newPassword: ['Choose a password different from the current one'] }, 'Check the highlighted fields.');
    refuseWeak(i.newPassword, current, 'newPassword');
    await setPassword(tx, current.id, i.newPassword);
    const [row] = await tx.update(users).set({ mustChangePassword: false, updatedAt: new Date() }).where(eq(users.id, current.id)).returning();
    await tx.delete(sessions).where(and(eq(sessions.userId, current.id), i.keepSessionId ? ne(sessions.id, i.keepSessionId) : undefined));
    await record(tx, ctx, 'change_password', current, row);
    return toPerson(row);
  });
}

async function lockPeople(tx: Tx) {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('onhand:people'))`);
}

async function userRow(tx: Tx, id: string): Promise<User> {
  const [row] = await tx.select().from(users).where(eq(users.id, id)).for('update');
  if (!row) throw new InventoryError('not_found', 'No user has that id.', { fields: { userId: ['This user no longer exists'] } });
  return row;
}

// Under the people lock, so the count cannot change before this transaction commits.
async function refuseLastAdmin(tx: Tx, user: User, field: 'role' | 'active', message: string) {
  const others = await tx.$count(users, and(eq(users.role, 'admin'), eq(users.active, true), ne(users.id, user.id)));
  if (others === 0) throw new InventoryError('invalid_state', `${message}.`, { fields: { [field]: [message] } });
}

function refuseWeak(password: string, person: { email: string; name?: string }, field: string) {
  const weakness = passwordWeakness(password, person);
  if (weakness) throw invalidInput({ [field]: [weakness] }, 'Check the highlighted fields.');
}

async function setPassword(tx: Tx, userId: string, password: string) {
  const hash = await hashPassword(password);
  const updated = await tx
    .update(accounts)
    .set({ password: hash, updatedAt: new Date() })
    .where(and(eq(accounts.userId, userId), eq(accounts.providerId, CREDENTIAL)))
    .returning({ id: accounts.id });
  if (!updated.length) await tx.insert(accounts).values({ id: randomUUID(), accountId: userId, providerId: CREDENTIAL, userId, password: hash });
}

async function endSessions(tx: Tx, userId: string) {
  await tx.delete(sessions).where(eq(sessions.userId, userId));
}

// Who the user is, never their password: the audit trail is readable by every admin.
function audited(u: User) {
  return { name: u.name, email: u.email, role: u.role, active: u.active, mustChangePassword: u.mustChangePassword };
}

async function record(tx: Tx, ctx: CommandContext, action: string, before: User | null, after: User) {
  await tx.insert(masterDataChanges).values({
    entity: 'user',
    entityKey: after.id,
    action,
    actor: actorRef(ctx.actor),
    commandId: ctx.commandId,
    before: before && audited(before),
    after: audited(after),
  });
}
