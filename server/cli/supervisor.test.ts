// The restart policy on real child processes (tiny node scripts) with short delays: restarts with a doubling
// backoff while the other parts keep running, a crash loop marked failed (loudly, and in the parts file), a
// failed part that runs steadily again is running, and no restarts once stopping.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '@/db/provision';
import { degradedParts, readParts } from '@/server/observability/parts';
import { Supervisor, type RestartPolicy } from './supervisor';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onhand-supervisor-'));
const statusFile = path.join(dir, 'parts.json');
const script = (code: string) => ['-e', code];
const crashAfter = (ms: number) => script(`setTimeout(() => process.exit(3), ${ms})`);
const forever = script('setInterval(() => {}, 1000)');

let sup: Supervisor | null = null;
const lines: string[] = [];

function supervise(policy: Partial<RestartPolicy>) {
  lines.length = 0;
  sup = new Supervisor({
    log: (l) => lines.push(l),
    statusFile,
    quiet: true,
    policy: { firstDelayMs: 100, maxDelayMs: 400, steadyAfterMs: 60_000, crashLoop: { exits: 100, windowMs: 60_000 }, ...policy },
  });
  return sup;
}

async function until(check: () => boolean, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; log:\n${lines.join('\n')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const part = (name: string) => readParts(statusFile)!.parts[name];
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

afterEach(async () => {
  await sup?.stop();
  sup = null;
});

describe('the supervisor', () => {
  it('restarts a part that exits, after a doubling delay, while the others keep running', async () => {
    const s = supervise({});
    s.start('crashy', crashAfter(30), process.env);
    s.start('steady', forever, process.env);
    const steadyPid = part('steady').pid!;
    await until(() => part('crashy').restarts >= 5, 'five restarts');
    expect(lines.filter((l) => l.startsWith('crashy exited unexpectedly (code 3)')).map((l) => l.split('restarting in ')[1])).toEqual(
      expect.arrayContaining(['0.1 s', '0.2 s', '0.4 s']),
    );
    // Capped: never longer than maxDelayMs.
    expect(lines.filter((l) => /restarting in (0\.[5-9]|[1-9])/.test(l))).toEqual([]);
    expect(part('steady')).toMatchObject({ state: 'running', pid: steadyPid, restarts: 0 });
    expect(alive(steadyPid)).toBe(true);
    expect(degradedParts(readParts(statusFile))).not.toContain('steady');
  });

  it('marks a part that crashes repeatedly in a short window failed, says so loudly, and keeps retrying it', async () => {
    const s = supervise({ crashLoop: { exits: 3, windowMs: 60_000 } });
    s.start('loopy', crashAfter(10), process.env);
    s.start('steady', forever, process.env);
    await until(() => part('loopy').state === 'failed', 'the crash loop to be noticed');
    expect(lines.filter((l) => l.includes('loopy FAILED'))).toHaveLength(1);
    expect(lines.find((l) => l.includes('loopy FAILED'))).toMatch(/exited 3 times within 60 s \(last: code 3\)/);
    expect(degradedParts(readParts(statusFile))).toEqual(['loopy']);
    const restarts = part('loopy').restarts;
    await until(() => part('loopy').restarts > restarts, 'a retry of the failed part');
    expect(part('loopy').state).toBe('failed');
  });

  it('counts a failed part that then runs steadily as running again', async () => {
    const counter = path.join(dir, 'runs');
    fs.writeFileSync(counter, '0');
    // Exits on its first two runs, then stays up.
    const flaky = script(
      `const fs = require('node:fs'); const n = Number(fs.readFileSync(${JSON.stringify(counter)}, 'utf8')) + 1; fs.writeFileSync(${JSON.stringify(counter)}, String(n)); if (n <= 2) process.exit(1); setInterval(() => {}, 1000);`,
    );
    // Steady means longer than a loaded machine takes to start node and run the exiting script, so the two early
    // exits always count as one crash loop.
    const s = supervise({ crashLoop: { exits: 2, windowMs: 30_000 }, steadyAfterMs: 4000 });
    s.start('flaky', flaky, process.env);
    await until(() => part('flaky').state === 'failed', 'failed', 30_000);
    await until(() => part('flaky').state === 'running', 'running again', 30_000);
    expect(part('flaky').restarts).toBe(2);
    expect(lines.some((l) => l.includes('flaky has run steadily'))).toBe(true);
  });

  it('counts a part with a readiness URL as running only once it answers, again after a restart', async () => {
    const port = await freePort();
    const counter = path.join(dir, 'slow-runs');
    fs.writeFileSync(counter, '0');
    // Listens after a moment; the first time, exits a moment after that.
    const slow = script(
      `const fs = require('node:fs'); const n = Number(fs.readFileSync(${JSON.stringify(counter)}, 'utf8')) + 1; fs.writeFileSync(${JSON.stringify(counter)}, String(n));` +
        `setTimeout(() => require('node:http').createServer((q, r) => r.end('ok')).listen(${port}), 600); if (n === 1) setTimeout(() => process.exit(1), 1500);`,
    );
    const s = supervise({});
    s.start('slow', slow, process.env, `http://127.0.0.1:${port}/`);
    expect(part('slow').state).toBe('starting');
    await until(() => part('slow').state === 'running', 'running');
    await until(() => part('slow').state === 'restarting', 'restarting');
    await until(() => part('slow').pid !== null, 'a new process');
    expect(part('slow').state).toBe('restarting');
    await until(() => part('slow').state === 'running', 'running again');
    expect(part('slow').restarts).toBe(1);
  });

  it('restarts nothing once stopping, and stops every part', async () => {
    const s = supervise({ firstDelayMs: 300 });
    s.start('crashy', crashAfter(10), process.env);
    s.start('steady', forever, process.env);
    const steadyPid = part('steady').pid!;
    // crashy has exited and waits out its backoff when the stop comes.
    await until(() => part('crashy').state === 'restarting', 'the first exit');
    await s.stop();
    sup = null;
    await new Promise((r) => setTimeout(r, 600));
    expect(part('crashy')).toMatchObject({ state: 'stopped', pid: null, restarts: 0 });
    expect(part('steady')).toMatchObject({ state: 'stopped', pid: null });
    expect(alive(steadyPid)).toBe(false);
  });
});
