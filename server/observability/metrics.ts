// The app process's Prometheus metrics (prom-client), served at GET /metrics: every stock command by outcome and
// its duration, /api/v1 answers by status, the hold sweeper, and the process's own figures (memory, CPU, event-loop
// delay, GC). The sidecar and the queue connector have their own (server/realtime, server/connectors/amqp).
import { Counter, Histogram, type Registry } from 'prom-client';
import { processRegistry } from './registry';

export type AppMetrics = {
  registry: Registry;
  commands: Counter<'command' | 'outcome'>;
  commandSeconds: Histogram<'command'>;
  apiResponses: Counter<'method' | 'status'>;
  holdsExpired: Counter;
  unitsReleasedBySweeper: Counter;
};

function create(): AppMetrics {
  const registry = processRegistry('app');
  return {
    registry,
    commands: new Counter({
      name: 'onhand_commands_total',
      help: 'Stock commands by outcome: applied, replayed (answered from its Idempotency-Key), failed, or the refusal type (insufficient_stock, validation_failed, …).',
      labelNames: ['command', 'outcome'],
      registers: [registry],
    }),
    commandSeconds: new Histogram({
      name: 'onhand_command_duration_seconds',
      help: 'Time from a command being called to its answer, retries included.',
      labelNames: ['command'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    apiResponses: new Counter({ name: 'onhand_api_responses_total', help: 'Answers of /api/v1 by method and status.', labelNames: ['method', 'status'], registers: [registry] }),
    holdsExpired: new Counter({ name: 'onhand_holds_expired_total', help: 'Cart holds released by the sweeper after their time ran out.', registers: [registry] }),
    unitsReleasedBySweeper: new Counter({ name: 'onhand_hold_sweeper_units_total', help: 'Units the sweeper made available again.', registers: [registry] }),
  };
}

// One registry per process, kept on globalThis: Next bundles route handlers and server actions separately, so a
// module-level one could exist twice in the same process and each /metrics answer would see only half.
const holder = globalThis as unknown as { onhandAppMetrics?: AppMetrics };

export function appMetrics(): AppMetrics {
  holder.onhandAppMetrics ??= create();
  return holder.onhandAppMetrics;
}
