// Logs for machines: one JSON object a line (pino), naming the process's part (app, realtime, amqp, sweeper) and,
// for a request, its requestId: the same id is its command's commandId, so a log line leads to the ledger rows the
// request wrote (stock_movements.command_id) and back. LOG_LEVEL sets the level (default info); in a terminal the
// lines are pretty-printed instead (LOG_FORMAT=json or pretty overrides).
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export type Part = 'app' | 'realtime' | 'amqp' | 'sweeper' | 'storefront';
export type { Logger };

const globalForLog = globalThis as unknown as { onhandLogger?: Logger; onhandLogPart?: Part };

// Each entry point names its part before its first line; the app (Next) is the default.
export function setLogPart(part: Part) {
  globalForLog.onhandLogPart = part;
}

const options = (): pino.LoggerOptions => ({
    level: process.env.LOG_LEVEL ?? 'info',
    base: { pid: process.pid, part: globalForLog.onhandLogPart ?? 'app' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
});

function root(): Logger {
  if (globalForLog.onhandLogger) return globalForLog.onhandLogger;
  const format = process.env.LOG_FORMAT ?? (process.stdout.isTTY ? 'pretty' : 'json');
  // pino-pretty as a plain stream (no worker thread), so it also works inside Next's server.
  globalForLog.onhandLogger = format === 'pretty' ? pino(options(), pretty({ colorize: true, sync: true, ignore: 'pid' })) : pino(options());
  return globalForLog.onhandLogger;
}

// A logger for one module; bindings are added to each of its lines. Created lazily, so setLogPart may come later.
export function logger(bindings: Record<string, unknown> = {}): Logger {
  let child: Logger | undefined;
  let parent: Logger | undefined;
  return new Proxy({} as Logger, {
    get: (_, prop) => {
      const r = root();
      if (r !== parent) [parent, child] = [r, r.child(bindings)];
      const value: unknown = Reflect.get(child!, prop);
      return typeof value === 'function' ? value.bind(child) : value;
    },
  });
}

// For code that logs through a plain line function (the sidecar's and connector's factories take one).
export const lineLogger = (log: Logger) => (line: string) => log.info(line);

// Tests: every line from now on as a parsed object (also handed to onLine), until restored.
export function captureLogs(onLine?: (line: Record<string, unknown>) => void): { lines: Record<string, unknown>[]; restore: () => void } {
  const previous = globalForLog.onhandLogger;
  const lines: Record<string, unknown>[] = [];
  const write = (text: string) => {
    const line = JSON.parse(text) as Record<string, unknown>;
    lines.push(line);
    onLine?.(line);
  };
  globalForLog.onhandLogger = pino(options(), { write });
  return { lines, restore: () => void (globalForLog.onhandLogger = previous) };
}
