// How `npm start`'s parts are doing, as its supervisor (server/cli/supervisor.ts) last wrote it, so the app's
// /api/health can answer "degraded" and name the part. A small JSON file under the data directory, named to the
// app by ONHAND_PARTS_FILE: the app is one of the supervisor's children, and a file needs no port, survives the
// app's own restarts and is written whole (write, then rename) so a reader never sees half of it. Without the
// variable (the app run by another process manager) there is nothing to report.
import fs from 'node:fs';

export const PARTS_FILE_ENV = 'ONHAND_PARTS_FILE';

// starting: first started, not answering yet. running: answering. restarting: it exited; from then until it
// answers again. failed: it exited too often in a short window (a crash loop); it is still retried, at the longest
// delay, and stays failed until it has run steadily again.
export type PartState = 'starting' | 'running' | 'restarting' | 'failed' | 'stopped';

export type PartStatus = { state: PartState; pid: number | null; restarts: number; lastExit: string | null; since: string };

export type PartsReport = { supervisor: number; updatedAt: string; parts: Record<string, PartStatus> };

export function writeParts(file: string, report: PartsReport) {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(report, null, 2));
  fs.renameSync(tmp, file);
}

export function readParts(file = process.env[PARTS_FILE_ENV]): PartsReport | null {
  if (!file) return null;
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as PartsReport;
  } catch {
    // Not written yet, or the supervisor is gone with its file: nothing to say about the other parts.
    return null;
  }
}

// The parts not running, by name: what makes the whole degraded.
export const degradedParts = (r: PartsReport | null): string[] =>
  r ? Object.entries(r.parts).filter(([, p]) => p.state !== 'running').map(([name]) => name) : [];
