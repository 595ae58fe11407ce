// `npm start` (and `npm run dev` with --dev): database, migrations, demo data, then the app, the realtime sidecar,
// the connector (with AMQP_URL) and the demo shop as supervised parts (supervisor.ts: one that crashes is restarted,
// the others keep running); prints where to go and who to sign in as. The demo is seeded only into the embedded
// database, or into DATABASE_URL with --demo or ONHAND_DEMO=1 (first-start.ts). The embedded PostgreSQL dying stops
// everything. Ctrl-C or SIGTERM stops everything, database included.
import path from 'node:path';
import { connect } from '@/db/client';
import { migrateDatabase } from '@/db/migrate';
import { provisionDatabase } from '@/db/provision';
import { demoPassword, demoUsers } from '@/server/cli/demo/seed-data';
import { PARTS_FILE_ENV } from '@/server/observability/parts';
import { ADMIN_HINT, demoRequested, prepareData } from './first-start';
import { appServer, describeExit, nextBin, run, tsEntry, waitForHttp } from './processes';
import { appEnv, buildIsStale, dataDir, ports } from './runtime-env';
import { Supervisor } from './supervisor';

const dev = process.argv.includes('--dev');
const log = (s: string) => console.log(`[onhand] ${s}`);

async function main() {
  let stopping = false;
  const db = await provisionDatabase();
  const partsFile = path.join(dataDir(), 'parts.json');
  const supervisor = new Supervisor({ log, statusFile: partsFile });
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping…');
    await supervisor.stop();
    await db.stop();
    log('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  // If whatever started us dies without passing the signal on, we are re-parented: stop rather than linger.
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && void shutdown(0), 1000).unref();
  // Every part needs the database: without it nothing can be served, so its end is the end.
  void db.exited?.then((exit) => {
    if (stopping) return;
    console.error(
      `[onhand] !!! the embedded PostgreSQL stopped unexpectedly (${describeExit(exit)}): stopping everything. ` +
        'Run `npm start` again: PostgreSQL recovers from its write-ahead log, and nothing committed is lost.',
    );
    void shutdown(1);
  });

  try {
    log(db.embedded ? `embedded PostgreSQL at ${db.url.replace(/:[^:@/]+@/, ':***@')}` : 'using DATABASE_URL');
    await migrateDatabase(db.url);
    const conn = connect(db.url, { max: 8 });
    const data = await prepareData(conn.db, { embedded: db.embedded, demo: demoRequested(process.argv, process.env), log });
    await conn.close();
    if (data.needsAdmin) log(ADMIN_HINT);

    const p = ports();
    const env = appEnv(db.url, p, { ...(dev ? {} : { NODE_ENV: 'production' }), [PARTS_FILE_ENV]: partsFile });
    if (!dev && buildIsStale()) {
      log('building the app (first start or changed sources)…');
      const code = await run([nextBin(), 'build'], env);
      if (code !== 0) throw new Error('next build failed');
    }
    supervisor.start('realtime', tsEntry('server/realtime/main.ts'), env, `http://localhost:${p.realtime}/health`);
    // The message-queue connector, only when a broker is named. Running once it listens: its /health also waits
    // for the broker, which is the broker's state, not the process's.
    const amqpPort = Number(process.env.AMQP_METRICS_PORT ?? 3002);
    if (process.env.AMQP_URL)
      supervisor.start('amqp', tsEntry('server/connectors/amqp/main.ts'), { ...env, AMQP_METRICS_PORT: String(amqpPort) }, `http://localhost:${amqpPort}/metrics`);
    supervisor.start('app', appServer(...(dev ? ['--dev'] : []), '-p', String(p.app)), env, `http://localhost:${p.app}/api/health`);
    // A demo shop on an origin of its own, embedding the availability badge as a real one would.
    const shopPort = Number(process.env.DEMO_STOREFRONT_PORT ?? 3003);
    supervisor.start('storefront', tsEntry('server/demo-storefront/main.ts'), { ...env, DEMO_STOREFRONT_PORT: String(shopPort) }, `http://localhost:${shopPort}/health`);
    await waitForHttp(`http://localhost:${p.app}/api/health`, 180_000);
    await waitForHttp(`http://localhost:${p.realtime}/health`, 30_000);
    await waitForHttp(`http://localhost:${shopPort}/health`, 30_000);
    // /metrics answers as soon as the connector listens; /health waits for the broker, which may still be starting.
    if (process.env.AMQP_URL) await waitForHttp(`http://localhost:${amqpPort}/metrics`, 30_000);
    console.log(
      [
        '',
        `  Onhand is running`,
        `    app       http://localhost:${p.app}`,
        `    realtime  http://localhost:${p.realtime}/health`,
        `    API spec  http://localhost:${p.app}/api/v1/openapi.json`,
        `    shop      http://localhost:${shopPort}  (demo storefront with live availability badges)`,
        ...(process.env.AMQP_URL ? [`    amqp      http://localhost:${amqpPort}/health  (connector to ${redactUrl(process.env.AMQP_URL)})`] : []),
        '',
        ...(data.demoSignIns ? [`  Demo sign-ins (password: ${demoPassword})`, ...demoUsers.map((u) => `    ${u.role.padEnd(8)} ${u.email}`), ''] : []),
        ...(data.needsAdmin ? [`  ${ADMIN_HINT}`, ''] : []),
        '  A part that crashes is restarted (its state: /api/health). Ctrl-C stops everything.',
        '',
      ].join('\n'),
    );
  } catch (e) {
    console.error(`[onhand] could not start: ${e instanceof Error ? e.message : e}`);
    await shutdown(1);
  }
}

// A broker URL may carry a password: show where, never the secret.
function redactUrl(url: string) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'AMQP_URL';
  }
}

void main();
