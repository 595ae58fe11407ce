// Every Onhand process (the app, the realtime sidecar, the AMQP connector) exposes its metrics through a
// prom-client Registry of its own, named `onhand_<process>_…`, with the process's own figures (memory, CPU,
// event-loop delay, GC) under the same prefix.
import { collectDefaultMetrics, Registry, type Counter, type Gauge } from 'prom-client';

export type OnhandProcess = 'app' | 'realtime' | 'amqp';

// The default collectors watch the event loop and GC for as long as the process lives, so they are started
// once per process and shared by every registry made for it (tests run several sidecars or connectors at once).
const defaults = new Map<OnhandProcess, Registry>();

export function processRegistry(process: OnhandProcess): Registry {
  let shared = defaults.get(process);
  if (!shared) {
    shared = new Registry();
    collectDefaultMetrics({ register: shared, prefix: `onhand_${process}_` });
    defaults.set(process, shared);
  }
  // A new registry holding the same default collectors; the caller's own metrics go into it alone.
  return Registry.merge([shared]);
}

// The sum of a counter's or gauge's samples whose labels include these (all of them without labels).
export async function metricValue(metric: Counter<string> | Gauge<string>, labels: Record<string, string> = {}): Promise<number> {
  const wanted = Object.entries(labels);
  let sum = 0;
  for (const s of (await metric.get()).values) if (wanted.every(([k, v]) => String(s.labels[k]) === v)) sum += s.value;
  return sum;
}
