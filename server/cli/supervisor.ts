// `npm start`'s process manager. Each part (the app, the realtime sidecar, the connector, the demo shop) is a child
// process; one that exits without being asked to is started again after a backoff while the others keep running,
// so a crash of one never takes the rest down. A part that keeps exiting is marked failed and said so loudly; it
// is still retried at the longest delay, so a cause that passes (a port freed, a full database that drains) heals
// without an operator. Every change of state is written to the parts file, where the app's /api/health reads it.
import { writeParts, type PartState, type PartsReport } from '@/server/observability/parts';
import { describeExit, startChild, stopChild, type Child, type Exit } from './processes';

export type RestartPolicy = {
  // Delay before the first restart, doubled for each exit that follows, up to maxDelayMs.
  firstDelayMs: number;
  maxDelayMs: number;
  // A part that has run this long is steady again: its next exit restarts it after firstDelayMs, and it is no
  // longer failed.
  steadyAfterMs: number;
  // This many exits within windowMs is a crash loop: the part is failed.
  crashLoop: { exits: number; windowMs: number };
};

export const restartPolicy: RestartPolicy = { firstDelayMs: 500, maxDelayMs: 30_000, steadyAfterMs: 60_000, crashLoop: { exits: 5, windowMs: 60_000 } };

type Part = {
  name: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  ready?: string;
  child: Child | null;
  state: PartState;
  since: string;
  restarts: number;
  lastExit: string | null;
  // Times of recent exits (for the crash-loop window) and exits since it last ran steadily (for the backoff).
  exits: number[];
  streak: number;
  restartTimer: NodeJS.Timeout | null;
  steadyTimer: NodeJS.Timeout | null;
};

export type SupervisorOptions = {
  log: (line: string) => void;
  // Where the parts' states are written (see server/observability/parts.ts); none: not written.
  statusFile?: string;
  policy?: RestartPolicy;
  // Children's output discarded (tests).
  quiet?: boolean;
};

export class Supervisor {
  private readonly parts: Part[] = [];
  private stopping = false;
  private readonly policy: RestartPolicy;

  constructor(private readonly o: SupervisorOptions) {
    this.policy = o.policy ?? restartPolicy;
  }

  // Starts a part and keeps it running until stop(). With a `ready` URL the part counts as running once that
  // answers 2xx (until then it is starting, or restarting), otherwise as soon as its process is up. Each part's
  // database sessions carry its name (application_name onhand-<part>), so pg_stat_activity shows who holds what.
  start(name: string, args: string[], env: NodeJS.ProcessEnv, ready?: string) {
    const part: Part = {
      name,
      args,
      env: { ...env, PGAPPNAME: env.PGAPPNAME ?? `onhand-${name}` },
      ready,
      child: null,
      state: 'starting',
      since: new Date().toISOString(),
      restarts: 0,
      lastExit: null,
      exits: [],
      streak: 0,
      restartTimer: null,
      steadyTimer: null,
    };
    this.parts.push(part);
    this.run(part);
  }

  // Stops every part (SIGTERM, then SIGKILL after a grace period); nothing is restarted from here on.
  async stop() {
    this.stopping = true;
    for (const p of this.parts) {
      if (p.restartTimer) clearTimeout(p.restartTimer);
      if (p.steadyTimer) clearTimeout(p.steadyTimer);
    }
    await Promise.all(this.parts.map((p) => p.child && stopChild(p.child)));
    for (const p of this.parts) {
      p.child = null;
      this.set(p, 'stopped');
    }
    this.publish();
  }

  report(): PartsReport {
    return {
      supervisor: process.pid,
      updatedAt: new Date().toISOString(),
      parts: Object.fromEntries(
        this.parts.map((p) => [p.name, { state: p.state, pid: p.child?.proc.pid ?? null, restarts: p.restarts, lastExit: p.lastExit, since: p.since }]),
      ),
    };
  }

  private run(p: Part) {
    const child = startChild(p.name, p.args, p.env, { quiet: this.o.quiet });
    p.child = child;
    if (p.ready) void this.waitReady(p, child, p.ready);
    else if (p.state !== 'failed') this.set(p, 'running');
    p.steadyTimer = setTimeout(() => {
      p.streak = 0;
      p.exits = [];
      if (p.state === 'failed') {
        this.set(p, 'running');
        this.o.log(`${p.name} has run steadily for ${secs(this.policy.steadyAfterMs)} s: no longer failed`);
      }
      this.publish();
    }, this.policy.steadyAfterMs);
    p.steadyTimer.unref();
    this.publish();
    void child.exited.then((exit) => this.exited(p, child, exit));
  }

  private exited(p: Part, child: Child, exit: Exit) {
    if (this.stopping || p.child !== child) return;
    if (p.steadyTimer) clearTimeout(p.steadyTimer);
    p.child = null;
    p.lastExit = describeExit(exit);
    const now = Date.now();
    p.exits = [...p.exits.filter((t) => now - t < this.policy.crashLoop.windowMs), now];
    p.streak++;
    const delay = Math.min(this.policy.firstDelayMs * 2 ** (p.streak - 1), this.policy.maxDelayMs);
    if (p.exits.length >= this.policy.crashLoop.exits && p.state !== 'failed') {
      this.set(p, 'failed');
      this.o.log(
        `!!! ${p.name} FAILED: it exited ${p.exits.length} times within ${secs(this.policy.crashLoop.windowMs)} s (last: ${p.lastExit}). ` +
          `/api/health reports degraded; it is retried with a growing delay (up to ${secs(this.policy.maxDelayMs)} s). Its output above says why.`,
      );
    } else if (p.state !== 'failed') {
      this.set(p, 'restarting');
    }
    this.o.log(`${p.name} exited unexpectedly (${p.lastExit}); restarting in ${secs(delay)} s`);
    p.restartTimer = setTimeout(() => {
      p.restartTimer = null;
      if (this.stopping) return;
      p.restarts++;
      this.run(p);
    }, delay);
    this.publish();
  }

  private async waitReady(p: Part, child: Child, url: string) {
    while (p.child === child && !this.stopping) {
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
        await res.arrayBuffer();
        // Any answer but a server error: the part serves (the connector's /metrics says 401 without the token).
        if (res.status < 500 && p.child === child && !this.stopping) {
          if (p.state !== 'failed') this.set(p, 'running');
          return this.publish();
        }
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  private set(p: Part, state: PartState) {
    if (p.state === state) return;
    p.state = state;
    p.since = new Date().toISOString();
  }

  private publish() {
    if (!this.o.statusFile) return;
    try {
      writeParts(this.o.statusFile, this.report());
    } catch (e) {
      this.o.log(`cannot write ${this.o.statusFile}: ${e instanceof Error ? e.message : e}`);
    }
  }
}

const secs = (ms: number) => String(Math.round(ms / 100) / 10);
