// One benchmark scenario as a process: a scratch database of its own, migrated, with a connection pool on it; the
// scenario's measurements; its report (the README's table and bench/results/<scenario>.json); then the pool and the
// database gone whatever happened, and the process ended with its code, since an app, a sidecar or a socket left
// open must not keep it alive.
import { randomBytes } from 'node:crypto';
import { connect, type Connection } from '@/db/client';
import { migrateDatabase } from '@/db/migrate';
import { createDatabaseIfMissing, databaseUrl, dropDatabase, scratchServer } from '@/db/provision';
import { loadavg, machine, postgresVersion, printLines, writeResult, type ScenarioResult } from './common';

export type Report = Omit<ScenarioResult, 'at' | 'commit' | 'machine'>;

export type Scenario = {
  url: string;
  conn: Connection;
  // The machine's load when the scenario began, for its heading and its results file.
  loadBefore: number[];
  // Prints the scenario's lines and writes its results file (named after the scenario unless `file` says otherwise).
  report: (result: Report, file?: string) => Promise<void>;
};

export function runScenario(tag: string, opts: { pool: number; durable?: boolean }, body: (s: Scenario) => Promise<void>) {
  const main = async () => {
    const loadBefore = loadavg();
    const { url, cleanup } = await scratchDatabase(tag, { durable: opts.durable });
    const conn = connect(url, { max: opts.pool });
    const report = async (r: Report, file?: string) => {
      printLines(r.lines);
      const ran = machine(loadBefore, await postgresVersion(url));
      writeResult({ scenario: r.scenario, title: r.title, machine: ran, settings: r.settings, lines: r.lines, notes: r.notes }, file);
    };
    try {
      await migrateDatabase(url);
      await body({ url, conn, loadBefore, report });
    } finally {
      await conn.close();
      await cleanup();
    }
  };
  main().then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}

// A fresh database for one run: on DATABASE_URL's server if set, otherwise an embedded PostgreSQL of its own.
async function scratchDatabase(tag: string, opts: { durable?: boolean }): Promise<{ url: string; cleanup: () => Promise<void> }> {
  const name = `onhand_bench_${randomBytes(4).toString('hex')}`;
  const server = await scratchServer(`.data/bench-${tag}-${process.pid}`, { durable: opts.durable ?? true });
  await createDatabaseIfMissing(server.adminUrl, name);
  return {
    url: databaseUrl(server.adminUrl, name),
    cleanup: async () => {
      await dropDatabase(server.adminUrl, name);
      await server.stop();
    },
  };
}
