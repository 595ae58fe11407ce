// The connector's Prometheus metrics (prom-client), served at its /metrics: counters it bumps as it works, gauges
// it sets or reads when scraped, with the process's own figures (onhand_amqp_process_…, onhand_amqp_nodejs_…).
import { Counter, Gauge, type Registry } from 'prom-client';
import { processRegistry } from '@/server/observability/registry';
import type { ConnectionManager } from './connection';

// Read at each scrape from the connector's live state.
export type ConnectorReadings = {
  inFlight: () => number;
  outboundLagSeconds: () => number;
  // null: that side is off.
  connections: () => Record<'inbound' | 'outbound', Pick<ConnectionManager, 'up' | 'reconnects'> | null>;
};

export type ConnectorMetrics = {
  registry: Registry;
  consumed: Counter<'queue'>;
  applied: Counter<'queue'>;
  deadLettered: Counter<'queue' | 'reason'>;
  retries: Counter<'queue'>;
  redelivered: Counter<'queue'>;
  applySeconds: Counter<'queue'>;
  queueDepth: Gauge<'queue'>;
  published: Counter;
  batches: Counter;
  publishFailures: Counter;
  slotLosses: Counter;
  lagBytes: Gauge;
  lastPublishDelay: Gauge;
};

export function createConnectorMetrics(read: ConnectorReadings): ConnectorMetrics {
  const registry = processRegistry('amqp');
  const registers = [registry];
  const counter = <L extends string = string>(name: string, help: string, labelNames: L[] = []) => new Counter<L>({ name, help, labelNames, registers });
  const gauge = <L extends string = string>(name: string, help: string, labelNames: L[] = []) => new Gauge<L>({ name, help, labelNames, registers });
  const byRole = () => Object.entries(read.connections()).flatMap(([role, m]) => (m ? [{ role, m }] : []));
  new Gauge({
    name: 'onhand_amqp_inbound_in_flight',
    help: 'Messages received and not yet settled.',
    registers,
    collect() {
      this.set(read.inFlight());
    },
  });
  new Gauge({
    name: 'onhand_amqp_outbound_lag_seconds',
    help: 'Seconds since the outbound stream was last caught up with every commit (0 while it is).',
    registers,
    collect() {
      this.set(read.outboundLagSeconds());
    },
  });
  new Gauge({
    name: 'onhand_amqp_connection_up',
    help: '1 while the connection (inbound, outbound) is open and set up.',
    labelNames: ['role'],
    registers,
    collect() {
      for (const { role, m } of byRole()) this.set({ role }, m.up ? 1 : 0);
    },
  });
  new Counter({
    name: 'onhand_amqp_reconnects_total',
    help: 'Reconnections after a lost connection, by role.',
    labelNames: ['role'],
    registers,
    // The connection manager keeps the count; the counter shows it.
    collect() {
      this.reset();
      for (const { role, m } of byRole()) this.inc({ role }, m.reconnects);
    },
  });
  return {
    registry,
    consumed: counter('onhand_amqp_inbound_consumed_total', 'Messages delivered to the connector, by queue (redeliveries included).', ['queue']),
    applied: counter('onhand_amqp_inbound_applied_total', 'Messages whose command committed (or replayed its first success), acknowledged, by queue.', ['queue']),
    deadLettered: counter('onhand_amqp_inbound_dead_lettered_total', 'Messages moved to the dead-letter queue, by queue and reason.', ['queue', 'reason']),
    retries: counter('onhand_amqp_inbound_retries_total', 'Retries after a transient failure, by queue.', ['queue']),
    redelivered: counter('onhand_amqp_inbound_redelivered_total', 'Deliveries the broker marked as redelivered, by queue.', ['queue']),
    applySeconds: counter('onhand_amqp_inbound_apply_seconds_total', 'Time spent applying messages, by queue (divide by applied for the mean).', ['queue']),
    queueDepth: gauge('onhand_amqp_inbound_queue_depth', 'Messages ready in each inbound queue at the last probe (the inbound lag).', ['queue']),
    published: counter('onhand_amqp_outbound_published_total', 'Stock events confirmed by the broker.'),
    batches: counter('onhand_amqp_outbound_batches_total', 'Batches published and confirmed.'),
    publishFailures: counter('onhand_amqp_outbound_failures_total', 'Publish rounds that failed and will be retried from the last confirmed position.'),
    slotLosses: counter('onhand_amqp_outbound_slot_losses_total', 'Times the replication slot was found missing and recreated (changes may have been missed).'),
    lagBytes: gauge('onhand_amqp_outbound_lag_bytes', 'WAL between the database now and the last position confirmed by the broker.'),
    lastPublishDelay: gauge('onhand_amqp_outbound_last_publish_delay_seconds', 'Commit-to-broker-confirm delay of the newest published change.'),
  };
}
