// Picking's pure rules, apart from React: which task is current, and what a scan means for it.
import type { Scan } from '@/lib/scan';
import { isBin, isProduct, unitsOf } from '@/lib/scan-match';
import type { PickTask } from '@/lib/contracts/floor';

export type PickStep = { holdId: string | null; bin: boolean; count: number };

// Tasks in bin-path order, skipped ones sent to the end (in the order they were skipped).
export function orderTasks(tasks: PickTask[], orderId: string, skipped: string[]): PickTask[] {
  const mine = orderId ? tasks.filter((t) => t.orderId === orderId) : tasks;
  const rank = (t: PickTask) => skipped.indexOf(t.holdId);
  return [...mine.filter((t) => rank(t) === -1), ...mine.filter((t) => rank(t) !== -1).sort((a, b) => rank(a) - rank(b))];
}

export const stepFor = (step: PickStep, task: PickTask | undefined): PickStep =>
  task && step.holdId === task.holdId ? step : { holdId: task?.holdId ?? null, bin: false, count: 0 };

export type ScanVerdict =
  | { kind: 'bin-ok' }
  | { kind: 'count'; count: number; complete: boolean }
  | { kind: 'error'; text: string }
  | { kind: 'info'; text: string };

export function judgeScan(scan: Scan, task: PickTask, step: PickStep, warehouse: string): ScanVerdict {
  const bin = { warehouse, location: task.location };
  if (!step.bin) {
    if (isBin(scan, bin)) return { kind: 'bin-ok' };
    if (isProduct(scan, task)) return { kind: 'error', text: `Scan bin ${task.location} first, then the product.` };
    return { kind: 'error', text: `Wrong bin: expected ${task.location}, scanned ${scan.code}.` };
  }
  if (isBin(scan, bin)) return { kind: 'info', text: `Bin ${task.location} is confirmed. Scan ${task.name}.` };
  if (!isProduct(scan, task)) {
    if (scan.badCheckDigit) return { kind: 'error', text: `${scan.code} did not read cleanly (check digit). Scan it again.` };
    return { kind: 'error', text: `Wrong product: expected ${task.sku} (${task.name}), scanned ${scan.code}.` };
  }
  const count = step.count + unitsOf(scan);
  if (count > task.qty) return { kind: 'error', text: `You may pick at most ${task.qty} here; ${step.count} already scanned.` };
  return { kind: 'count', count, complete: count === task.qty };
}
