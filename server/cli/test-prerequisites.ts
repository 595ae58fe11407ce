// What `npm test` needs beyond Node and the project, found or provided before the suites run: a Chromium for the
// end-to-end tests and a RabbitMQ for the message-queue connector's suites. Each is looked for where it usually
// is, then installed through the system's package manager when the run may do so (root, apt-get), then by the
// tool's own installer; when none works the suite is reported as not run with the one command that fixes it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { connect } from 'amqplib';

export type Provided = { ok: true; env: Record<string, string>; note: string; release?: () => Promise<void> };
export type Missing = { ok: false; reason: string; fix: string };
export type Provision = Provided | Missing;

type Log = (line: string) => void;

// ---------------------------------------------------------------- the browser

// Where distributions put Chromium (Debian, Ubuntu, Fedora, Arch, snap) and where a Chrome may be.
const SYSTEM_BROWSERS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];
export const BROWSER_ENV = 'ONHAND_CHROMIUM';

export async function provideBrowser(log: Log): Promise<Provision> {
  const named = process.env[BROWSER_ENV];
  if (named && !fs.existsSync(named)) {
    return { ok: false, reason: `${BROWSER_ENV} names ${named}, which does not exist`, fix: `unset ${BROWSER_ENV}, or point it at a Chrome or Chromium` };
  }
  const found = systemBrowser() ?? playwrightBrowser();
  if (found) return found;
  if (mayInstallPackages()) {
    log("no Chromium found: installing the system's chromium package (apt-get)…");
    for (const pkg of ['chromium', 'chromium-browser']) {
      if (aptInstall(pkg)) {
        const installed = systemBrowser();
        if (installed) return { ...installed, note: `${installed.note}, installed for this run` };
      }
    }
  }
  log("no Chromium found: trying Playwright's own browser download…");
  const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');
  const install = spawnSync(process.execPath, [cli, 'install', 'chromium'], { stdio: 'inherit', timeout: 600_000 });
  if (install.status === 0) {
    const downloaded = playwrightBrowser();
    if (downloaded) return downloaded;
  }
  return {
    ok: false,
    reason: 'no Chromium on this machine, and neither the package manager nor Playwright could provide one',
    fix: 'sudo apt-get install chromium   (or: npx playwright install chromium; or set ONHAND_CHROMIUM=/path/to/chrome)',
  };
}

function systemBrowser(): Provided | null {
  const named = process.env[BROWSER_ENV];
  if (named) return fs.existsSync(named) ? { ok: true, env: { [BROWSER_ENV]: named }, note: named } : null;
  const path = SYSTEM_BROWSERS.find((p) => fs.existsSync(p));
  return path ? { ok: true, env: { [BROWSER_ENV]: path }, note: path } : null;
}

function playwrightBrowser(): Provided | null {
  try {
    const { chromium } = createRequire(import.meta.url)('playwright-core') as { chromium: { executablePath(): string } };
    const path = chromium.executablePath();
    return fs.existsSync(path) ? { ok: true, env: { [BROWSER_ENV]: path }, note: `${path} (Playwright's)` } : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------- the message broker

export const DEFAULT_AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';
const redacted = (url: string) => url.replace(/:[^:@/]+@/, ':***@');

export async function provideBroker(log: Log): Promise<Provision> {
  const named = process.env.AMQP_URL;
  if (named) {
    return (await reachable(named))
      ? { ok: true, env: { AMQP_URL: named }, note: redacted(named) }
      : { ok: false, reason: `AMQP_URL (${redacted(named)}) is not reachable`, fix: 'start that broker, or unset AMQP_URL to use a local RabbitMQ' };
  }
  const ready: Provided = { ok: true, env: { AMQP_URL: DEFAULT_AMQP_URL }, note: `RabbitMQ at ${redacted(DEFAULT_AMQP_URL)}` };
  if (await reachable(DEFAULT_AMQP_URL)) return ready;

  let server = rabbitmqServer();
  if (!server && mayInstallPackages()) {
    log('no RabbitMQ found: installing the rabbitmq-server package (apt-get)…');
    if (aptInstall('rabbitmq-server')) server = rabbitmqServer();
    // The package's own service start may have brought it up already.
    if (server && (await reachable(DEFAULT_AMQP_URL))) return { ...ready, note: `${ready.note}, installed for this run` };
  }
  if (!server) {
    return { ok: false, reason: 'no RabbitMQ is reachable and none is installed', fix: 'sudo apt-get install rabbitmq-server   (or set AMQP_URL to a broker)' };
  }
  log(`starting ${server} for this run…`);
  const started = spawnSync(server, ['-detached'], { stdio: 'ignore', timeout: 30_000 });
  if (started.status === 0 && (await waitReachable(DEFAULT_AMQP_URL, 90_000))) {
    return { ...ready, note: `${ready.note}, started for this run`, release: () => stopRabbit(log) };
  }
  return { ok: false, reason: `${server} is installed but did not start`, fix: 'sudo rabbitmq-server -detached   (or set AMQP_URL to a broker)' };
}

async function reachable(url: string): Promise<boolean> {
  try {
    const conn = await connect(url, { timeout: 3000 });
    await conn.close();
    return true;
  } catch {
    return false;
  }
}

async function waitReachable(url: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await reachable(url)) return true;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return false;
}

function rabbitmqServer(): string | null {
  return onPath('rabbitmq-server') ?? (fs.existsSync('/usr/sbin/rabbitmq-server') ? '/usr/sbin/rabbitmq-server' : null);
}

async function stopRabbit(log: Log) {
  const ctl = onPath('rabbitmqctl') ?? '/usr/sbin/rabbitmqctl';
  log('stopping the RabbitMQ started for this run');
  spawnSync(ctl, ['stop'], { stdio: 'ignore', timeout: 60_000 });
}

// ---------------------------------------------------------------- the reverse proxy

// The reference topology suite runs Onhand behind the system's nginx (docs/deploy/nginx.conf).
export function nginxBinary(): string | null {
  return onPath('nginx') ?? (['/usr/sbin/nginx', '/usr/local/sbin/nginx'].find((p) => fs.existsSync(p)) || null);
}

export async function provideNginx(log: Log): Promise<Provision> {
  let found = nginxBinary();
  if (!found && mayInstallPackages()) {
    log('no nginx found: installing the nginx package (apt-get)…');
    if (aptInstall('nginx')) found = nginxBinary();
    if (found) return { ok: true, env: {}, note: `${found}, installed for this run` };
  }
  return found
    ? { ok: true, env: {}, note: found }
    : { ok: false, reason: 'nginx is not installed (the reference topology runs behind it)', fix: 'sudo apt-get install nginx' };
}

// ---------------------------------------------------------------- the package manager

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;
const mayInstallPackages = () => isRoot() && onPath('apt-get') !== null;

function aptInstall(pkg: string): boolean {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env, timeout: 600_000 });
  return spawnSync('apt-get', ['install', '-y', '-qq', pkg], { stdio: 'inherit', env, timeout: 900_000 }).status === 0;
}

function onPath(cmd: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(':').concat('/usr/sbin', '/sbin')) {
    const file = `${dir}/${cmd}`;
    if (dir && fs.existsSync(file)) return file;
  }
  return null;
}
