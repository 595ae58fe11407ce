// A first start on a shop's own (external) database: no demo, no account with a known password, one line saying how
// to create the first admin; then `npm run admin` (the real command, as a child process) creates an admin who must
// change the one-time password it printed, and --reset is the way back in for a locked-out shop.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accounts, masterDataChanges, users, warehouses } from '@/db/schema';
import { scratchDatabase } from '@/server/inventory/test-support';
import { verifyPassword } from '@/server/people/passwords';
import { ADMIN_HINT, demoRequested, prepareData } from './first-start';

let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
beforeAll(async () => {
  scratch = await scratchDatabase();
});
afterAll(() => scratch.drop());

function admin(args: string[]) {
  return promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/cli/admin.ts', ...args], { env: { ...process.env, DATABASE_URL: scratch.url } }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

describe('the first start on an empty external database', () => {
  it('seeds nothing and creates no account, and says how to create the first admin', async () => {
    const lines: string[] = [];
    const prepared = await prepareData(scratch.conn.db, { embedded: false, demo: false, log: (l) => lines.push(l) });
    expect(prepared).toEqual({ seeded: false, demoSignIns: false, needsAdmin: true });
    expect(await scratch.conn.db.$count(users)).toBe(0);
    expect(await scratch.conn.db.$count(accounts)).toBe(0);
    expect(await scratch.conn.db.$count(warehouses)).toBe(0);
    expect(lines.join('\n')).toContain('--demo');
    expect(ADMIN_HINT).toContain('npm run admin -- --email');
  });

  it('seeds the demo only when asked: --demo or ONHAND_DEMO=1', () => {
    expect(demoRequested(['node', 'start.ts'], {})).toBe(false);
    expect(demoRequested(['node', 'start.ts', '--demo'], {})).toBe(true);
    expect(demoRequested(['node', 'start.ts'], { ONHAND_DEMO: '1' })).toBe(true);
    expect(demoRequested(['node', 'start.ts'], { ONHAND_DEMO: '0' })).toBe(false);
  });

  it('npm run admin creates an admin whose printed one-time password works once and must be changed', async () => {
    const r = await admin(['--email', 'Owner@Shop.Example', '--name', 'Shop Owner']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const otp = /One-time password:\s+(\S+)/.exec(r.stdout)?.[1];
    expect(otp).toBeTruthy();
    const [u] = await scratch.conn.db.select().from(users).where(eq(users.email, 'owner@shop.example'));
    expect(u).toMatchObject({ name: 'Shop Owner', role: 'admin', active: true, mustChangePassword: true });
    const [account] = await scratch.conn.db.select().from(accounts).where(eq(accounts.userId, u.id));
    expect(await verifyPassword({ hash: account.password!, password: otp! })).toBe(true);
    const audit = await scratch.conn.db.select().from(masterDataChanges).where(eq(masterDataChanges.entityKey, u.id));
    expect(audit.map((a) => [a.action, a.actor])).toEqual([['create', 'system:npm run admin']]);

    expect(await prepareData(scratch.conn.db, { embedded: false, demo: false, log: () => {} })).toEqual({ seeded: false, demoSignIns: false, needsAdmin: false });

    // Again for the same address: refused unless --reset, which gives a new one-time password.
    const again = await admin(['--email', 'owner@shop.example']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('--reset');
    const reset = await admin(['--email', 'owner@shop.example', '--reset']);
    expect(reset.code).toBe(0);
    const second = /One-time password:\s+(\S+)/.exec(reset.stdout)?.[1];
    expect(second).toBeTruthy();
    expect(second).not.toBe(otp);
    expect(await scratch.conn.db.$count(users)).toBe(1);
  });

  it('npm run admin refuses a malformed e-mail and changes nothing', async () => {
    const r = await admin(['--email', 'not-an-address']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--email: Enter a valid e-mail address');
  });
});
