// `npm test` on a machine that lacks a broker: the suites that need it are named as not run, with the fix, and
// under CI=true the run fails at once instead of passing without them.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { provideBroker, provideBrowser } from './test-prerequisites';

const unreachable = 'amqp://guest:guest@127.0.0.1:1';
const saved = { AMQP_URL: process.env.AMQP_URL, ONHAND_CHROMIUM: process.env.ONHAND_CHROMIUM };
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe('what the suites need', () => {
  it('uses the broker AMQP_URL names, and says so plainly when it is not there', async () => {
    process.env.AMQP_URL = unreachable;
    const missing = await provideBroker(() => {});
    expect(missing).toMatchObject({ ok: false, reason: expect.stringContaining('AMQP_URL (amqp://guest:***@127.0.0.1:1) is not reachable') });

    delete process.env.AMQP_URL;
    const local = await provideBroker(() => {});
    expect(local).toMatchObject({ ok: true, env: { AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672' } });
  });

  it('takes the browser ONHAND_CHROMIUM names, refuses a path that does not exist, else finds the system one', async () => {
    process.env.ONHAND_CHROMIUM = process.execPath; // any existing file stands in for the path check
    expect(await provideBrowser(() => {})).toMatchObject({ ok: true, env: { ONHAND_CHROMIUM: process.execPath } });
    process.env.ONHAND_CHROMIUM = '/nonexistent/chrome';
    expect(await provideBrowser(() => {})).toMatchObject({ ok: false, reason: 'ONHAND_CHROMIUM names /nonexistent/chrome, which does not exist' });
    if (fs.existsSync('/usr/bin/chromium')) {
      delete process.env.ONHAND_CHROMIUM;
      expect(await provideBrowser(() => {})).toMatchObject({ ok: true, env: { ONHAND_CHROMIUM: '/usr/bin/chromium' } });
    }
  });
});

describe('npm test without a broker', () => {
  const npmTest = (env: Record<string, string>) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/test.ts', '--unit', '--passWithNoTests', 'no-such-test-file'], {
      env: { ...process.env, AMQP_URL: unreachable, ...env },
      encoding: 'utf8',
      timeout: 120_000,
    });

  it('fails under CI=true before running anything, naming the suite and the fix', () => {
    const r = npmTest({ CI: 'true' });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/message-queue connector \(vitest\)\s+not run: AMQP_URL .* is not reachable/);
    expect(r.stdout).toContain('CI=true: a suite that did not run fails the run');
    expect(r.stdout).not.toContain('unit and integration (vitest)');
  });

  it('outside CI runs the rest and names what did not run', () => {
    const r = npmTest({ CI: '' });
    expect(r.stdout).toMatch(/unit and integration \(vitest\)\s+passed/);
    expect(r.stdout).toMatch(/message-queue connector \(vitest\)\s+not run/);
    expect(r.status).toBe(0);
  });
});
