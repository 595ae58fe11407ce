// `npm test`: unit and integration tests (vitest) on a real PostgreSQL, then the end-to-end tests
// (Playwright in Chromium) against the built app and sidecar on a freshly seeded database, then the system
// suites (two built apps and two sidecars under load while faults are injected, on an embedded PostgreSQL of its
// own, which it restarts; `npm start` itself, each of its parts killed in turn; and the reference topology behind
// nginx). DATABASE_URL names a server to use (a fresh database is made on it); otherwise an embedded one runs. What
// the suites need beyond Node (a Chromium, a RabbitMQ, nginx) is found or provided first (test-prerequisites.ts); a suite that cannot run is named in
// the summary at the end with the reason, and under CI=true that fails the run.
//   npm test -- --unit   vitest only        npm test -- --e2e   Playwright only     npm test -- --system   faults only
import { randomBytes } from 'node:crypto';
import { connect } from '@/db/client';
import { migrateDatabase } from '@/db/migrate';
import { createDatabaseIfMissing, databaseUrl, dropDatabase, freePort, scratchServer } from '@/db/provision';
import { seedDemo } from '@/server/cli/demo/seed';
import { appServer, nextBin, run, startChild, stopChild, tsEntry, waitForHttp, type Child } from './processes';
import { appEnv, buildEnv, buildIsStale } from './runtime-env';
import { provideBroker, provideBrowser, provideNginx } from './test-prerequisites';

const args = process.argv.slice(2);
const only = args.includes('--unit') ? 'unit' : args.includes('--e2e') ? 'e2e' : args.includes('--system') ? 'system' : 'all';
const passThrough = args.filter((a) => a !== '--unit' && a !== '--e2e' && a !== '--system');
const log = (s: string) => console.log(`[test] ${s}`);
const ci = process.env.CI === 'true' || process.env.CI === '1';

// The suites that need a message broker or the reverse proxy, left out of their runner's files when it is missing.
const BROKER_SUITES = { vitest: 'server/connectors/amqp/**', system: 'server/testing/system/supervision.system.ts' };
const PROXY_SUITE = 'server/testing/system/topology.system.ts';

type Outcome = { suite: string; result: 'passed' | 'failed' | 'not run'; why?: string };
const outcomes: Outcome[] = [];
const record = (suite: string, code: number) => {
  outcomes.push({ suite, result: code === 0 ? 'passed' : 'failed' });
  return code;
};
const notRun = (suite: string, why: string) => outcomes.push({ suite, result: 'not run', why });

async function main(): Promise<number> {
  const wants = { vitest: only === 'all' || only === 'unit', e2e: only === 'all' || only === 'e2e', system: only === 'all' || only === 'system' };
  const broker = wants.vitest || wants.system ? await provideBroker(log) : null;
  const browser = wants.e2e ? await provideBrowser(log) : null;
  const nginx = wants.system ? await provideNginx(log) : null;
  for (const [what, p] of [['RabbitMQ', broker], ['Chromium', browser], ['nginx', nginx]] as const) {
    if (p?.ok) log(`${what}: ${p.note}`);
    else if (p) log(`!!! ${what}: ${p.reason}. To provide it: ${p.fix}`);
  }
  const missingBroker = broker && !broker.ok ? broker : null;
  if (missingBroker) {
    if (wants.vitest) notRun('message-queue connector (vitest)', `${missingBroker.reason}; ${missingBroker.fix}`);
    if (wants.system) notRun('npm start supervision (system)', `${missingBroker.reason}; ${missingBroker.fix}`);
  }
  if (browser && !browser.ok) notRun('end-to-end (Playwright)', `${browser.reason}; ${browser.fix}`);
  if (nginx && !nginx.ok) notRun('reference topology behind nginx (system)', `${nginx.reason}; ${nginx.fix}`);
  // Every child (vitest, the app, Playwright) reads them from the environment.
  Object.assign(process.env, broker?.ok ? broker.env : {}, browser?.ok ? browser.env : {});
  // In CI a suite not run is a failure: say so at once rather than after the rest.
  if (ci && outcomes.length) return summary();
  try {
    const leftOut = [...(missingBroker ? [BROKER_SUITES.system] : []), ...(nginx && !nginx.ok ? [PROXY_SUITE] : [])];
    await suites(wants, missingBroker !== null, browser?.ok !== false, leftOut);
    const ran = new Set(outcomes.map((o) => o.suite));
    const named = { vitest: 'unit and integration (vitest)', e2e: 'end-to-end (Playwright)', system: 'system (faults, npm start)' } as const;
    for (const k of ['vitest', 'e2e', 'system'] as const) if (wants[k] && !ran.has(named[k])) notRun(named[k], 'an earlier suite failed');
  } finally {
    if (broker?.ok) await broker.release?.();
  }
  return summary();
}

async function suites(wants: { vitest: boolean; e2e: boolean; system: boolean }, noBroker: boolean, haveBrowser: boolean, systemLeftOut: string[]) {
  if (wants.vitest || (wants.e2e && haveBrowser)) {
    const server = await scratchServer(`.data/test-run-${process.pid}`);
    if (server.embedded) log('embedded PostgreSQL started');
    try {
      if (wants.vitest) {
        const exclude = noBroker ? ['--exclude', BROKER_SUITES.vitest] : [];
        const code = record('unit and integration (vitest)', await run(['node_modules/vitest/vitest.mjs', 'run', ...exclude, ...passThrough], { ...process.env, DATABASE_URL: server.adminUrl }));
        if (code !== 0) return;
      }
      if (wants.e2e && haveBrowser && record('end-to-end (Playwright)', await e2e(server.adminUrl)) !== 0) return;
    } finally {
      await server.stop();
    }
  }
  if (wants.system) record('system (faults, npm start)', await system(systemLeftOut));
}

function summary(): number {
  const width = Math.max(...outcomes.map((o) => o.suite.length));
  log('summary');
  for (const o of outcomes) console.log(`[test]   ${o.suite.padEnd(width)}  ${o.result}${o.why ? `: ${o.why}` : ''}`);
  const failed = outcomes.some((o) => o.result === 'failed');
  const skipped = !failed && outcomes.some((o) => o.result === 'not run');
  if (skipped) log(ci ? '!!! CI=true: a suite that did not run fails the run.' : '!!! not every suite ran: see above for what to install.');
  return failed || (skipped && ci) ? 1 : 0;
}

// The system suite brings its own PostgreSQL (it stops and starts it as one of its faults) and runs the built app.
async function system(leftOut: string[]): Promise<number> {
  if (buildIsStale()) {
    log('building the app…');
    if ((await run([nextBin(), 'build'], buildEnv())) !== 0) return 1;
  }
  const extra = only === 'system' ? passThrough : [];
  const exclude = leftOut.flatMap((f) => ['--exclude', f]);
  return run(['node_modules/vitest/vitest.mjs', 'run', '--config', 'vitest.system.config.ts', ...exclude, ...extra], process.env);
}

async function e2e(adminUrl: string): Promise<number> {
  const name = `onhand_e2e_${randomBytes(4).toString('hex')}`;
  await createDatabaseIfMissing(adminUrl, name);
  const url = databaseUrl(adminUrl, name);
  const children: Child[] = [];
  try {
    await migrateDatabase(url);
    const conn = connect(url);
    await seedDemo(conn.db, { products: 200 });
    await conn.close();
    const ports = { app: await freePort(), realtime: await freePort() };
    const shopPort = await freePort();
    const env = appEnv(url, ports, { NODE_ENV: 'production', ONHAND_URL: `http://localhost:${ports.app}` });
    if (buildIsStale()) {
      log('building the app…');
      if ((await run([nextBin(), 'build'], env)) !== 0) return 1;
    }
    children.push(startChild('realtime', tsEntry('server/realtime/main.ts'), env, { quiet: true }));
    children.push(startChild('app', appServer('-p', String(ports.app)), env, { quiet: true }));
    children.push(startChild('storefront', tsEntry('server/demo-storefront/main.ts'), { ...env, DEMO_STOREFRONT_PORT: String(shopPort) }, { quiet: true }));
    await waitForHttp(`http://localhost:${ports.app}/api/health`, 120_000);
    await waitForHttp(`http://localhost:${ports.realtime}/health`, 30_000);
    await waitForHttp(`http://localhost:${shopPort}/health`, 30_000);
    return await run(['node_modules/@playwright/test/cli.js', 'test', ...passThrough], {
      ...env,
      E2E_BASE_URL: `http://localhost:${ports.app}`,
      E2E_REALTIME_URL: `http://localhost:${ports.realtime}`,
      E2E_STOREFRONT_URL: `http://localhost:${shopPort}`,
    });
  } finally {
    await Promise.all(children.map((c) => stopChild(c)));
    await dropDatabase(adminUrl, name);
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
