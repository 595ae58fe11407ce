// Server CPU per REST hold: the app process's own CPU time (user + system, from /proc) over a fixed number of holds
// and releases through /api/v1, served by the lean path and by Next.js (ONHAND_LEAN_API=0: every request through
// Next, as `next start` served it), two app processes side by side on the same data, measured in alternating turns.
// CPU time rather than wall time: on a shared machine it is the figure other work disturbs least.
//   npm run bench:api-cpu -- [--holds 2000] [--clients 8] [--products 1000] [--rounds 2]
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { startApp, httpClient, type RunningApp } from './support/app';
import { fmt, log, num, printTable } from './support/common';
import { runScenario } from './support/scenario';
import { makeApiKey, makeWorld } from './support/world';

const HOLDS = num('holds', 2000);
const CLIENTS = num('clients', 8);
const PRODUCTS = num('products', 1000);
const ROUNDS = Math.max(1, num('rounds', 2));
const TICK_MS = 1000 / 100; // USER_HZ: /proc counts CPU time in hundredths of a second on Linux

// CPU time of a process and its descendants, in ms.
function cpuMs(pid: number): number {
  const stats = fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((d) => {
      try {
        // Fields after the command name (which may hold spaces): state is [0], ppid [1], utime [11], stime [12].
        const f = fs.readFileSync(`/proc/${d}/stat`, 'utf8').split(') ').pop()!.split(' ');
        return { pid: Number(d), ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) };
      } catch {
        return null;
      }
    })
    .filter((s): s is NonNullable<typeof s> => s !== null);
  const ours = new Set([pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of stats) if (!ours.has(s.pid) && ours.has(s.ppid)) (ours.add(s.pid), (grew = true));
  }
  return stats.filter((s) => ours.has(s.pid)).reduce((sum, s) => sum + s.ticks, 0) * TICK_MS;
}

runScenario('api-cpu', { pool: 4 }, async ({ url, conn }) => {
  const apps: { name: string; app?: RunningApp; env: Record<string, string> }[] = [
    { name: 'lean path', env: {} },
    { name: 'through Next.js', env: { ONHAND_LEAN_API: '0' } },
  ];
  try {
    log(`making ${PRODUCTS} products…`);
    const world = await makeWorld(conn.sql, { products: PRODUCTS, stock: 1_000_000 });
    const key = await makeApiKey(conn.db, ['reservations:write']);
    const auth = { authorization: `Bearer ${key.secret}` };
    // No sweeper in either process: its timer would be counted as the API's CPU.
    for (const a of apps) a.app = await startApp(url, { env: { ...a.env, HOLD_SWEEP_SECONDS: '0' } });

    const holds = async (app: RunningApp, n: number) => {
      const http = httpClient(app.appUrl, CLIENTS);
      let next = 0;
      let failed = 0;
      await Promise.all(
        Array.from({ length: CLIENTS }, async () => {
          while (next < n) {
            next++;
            const sku = world.skus[Math.floor(Math.random() * world.skus.length)];
            const res = await http.request('POST', '/api/v1/reservations', { ...auth, 'idempotency-key': randomUUID() }, JSON.stringify({ sku, qty: 1 }));
            if (res.status !== 201) {
              failed++;
              continue;
            }
            const { id } = JSON.parse(res.body) as { id: string };
            const d = await http.request('DELETE', `/api/v1/reservations/${id}`, { ...auth, 'idempotency-key': randomUUID() });
            if (d.status !== 200) failed++;
          }
        }),
      );
      http.close();
      if (failed) throw new Error(`${failed} of ${n} holds or releases failed`);
    };

    const perHold = new Map<string, number[]>(apps.map((a) => [a.name, []]));
    for (const a of apps) await holds(a.app!, 200); // warm-up: code compiled, pools open
    for (let round = 1; round <= ROUNDS; round++) {
      for (const a of round % 2 ? apps : [...apps].reverse()) {
        const before = cpuMs(a.app!.app.proc.pid!);
        await holds(a.app!, HOLDS);
        const ms = (cpuMs(a.app!.app.proc.pid!) - before) / HOLDS;
        perHold.get(a.name)!.push(ms);
        log(`round ${round}, ${a.name}: ${fmt(ms, 2)} ms of app CPU per hold + release`);
      }
    }
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    printTable(
      ['app process', 'CPU ms per hold + release', 'per request'],
      apps.map((a) => [a.name, fmt(mean(perHold.get(a.name)!), 2), fmt(mean(perHold.get(a.name)!) / 2, 2)]),
    );
    const lean = mean(perHold.get('lean path')!);
    const next = mean(perHold.get('through Next.js')!);
    log(`the lean path saves ${fmt(next - lean, 2)} ms of app CPU per hold + release (${fmt((1 - lean / next) * 100, 0)} %); ${HOLDS} holds × ${ROUNDS} rounds, ${CLIENTS} clients`);
  } finally {
    await Promise.all(apps.map((a) => a.app?.stop()));
  }
});
