// The connector's Prometheus metrics in the text exposition format: counters it bumps as it works, gauges
// read when scraped. Hand-rolled like the sidecar's: a few series do not need a client library.

type Labels = Record<string, string>;

const HELP: Record<string, [type: 'counter' | 'gauge', help: string]> = {
  onhand_amqp_inbound_consumed_total: ['counter', 'Messages delivered to the connector, by queue (redeliveries included).'],
  onhand_amqp_inbound_applied_total: ['counter', 'Messages whose command committed (or replayed its first success), acknowledged, by queue.'],
  onhand_amqp_inbound_dead_lettered_total: ['counter', 'Messages moved to the dead-letter queue, by queue and reason.'],
  onhand_amqp_inbound_retries_total: ['counter', 'Retries after a transient failure, by queue.'],
  onhand_amqp_inbound_redelivered_total: ['counter', 'Deliveries the broker marked as redelivered, by queue.'],
  onhand_amqp_inbound_apply_seconds_total: ['counter', 'Time spent applying messages, by queue (divide by applied for the mean).'],
  onhand_amqp_inbound_in_flight: ['gauge', 'Messages received and not yet settled.'],
  onhand_amqp_inbound_queue_depth: ['gauge', 'Messages ready in each inbound queue at the last probe (the inbound lag).'],
  onhand_amqp_outbound_published_total: ['counter', 'Stock events confirmed by the broker.'],
  onhand_amqp_outbound_batches_total: ['counter', 'Batches published and confirmed.'],
  onhand_amqp_outbound_failures_total: ['counter', 'Publish rounds that failed and will be retried from the last confirmed position.'],
  onhand_amqp_outbound_slot_losses_total: ['counter', 'Times the replication slot was found missing and recreated (changes may have been missed).'],
  onhand_amqp_outbound_lag_bytes: ['gauge', 'WAL between the database now and the last position confirmed by the broker.'],
  onhand_amqp_outbound_lag_seconds: ['gauge', 'Seconds since the outbound stream was last caught up with every commit (0 while it is).'],
  onhand_amqp_outbound_last_publish_delay_seconds: ['gauge', 'Commit-to-broker-confirm delay of the newest published change.'],
  onhand_amqp_connection_up: ['gauge', '1 while the connection (inbound, outbound) is open and set up.'],
  onhand_amqp_reconnects_total: ['counter', 'Reconnections after a lost connection, by role.'],
};

export class ConnectorMetrics {
  private readonly counters = new Map<string, number>();
  private readonly gauges = new Map<string, () => number>();
  private readonly values = new Map<string, number>();

  inc(name: string, labels: Labels = {}, by = 1) {
    const key = name + formatLabels(labels);
    this.counters.set(key, (this.counters.get(key) ?? 0) + by);
  }

  count(name: string, labels: Labels = {}) {
    return this.counters.get(name + formatLabels(labels)) ?? 0;
  }

  // Sum over every label set of a counter.
  total(name: string) {
    let n = 0;
    for (const [k, v] of this.counters) if (k === name || k.startsWith(`${name}{`)) n += v;
    return n;
  }

  set(name: string, labels: Labels, value: number) {
    this.values.set(name + formatLabels(labels), value);
  }

  gauge(name: string, labels: Labels, read: () => number) {
    this.gauges.set(name + formatLabels(labels), read);
  }

  render(): string {
    const samples = new Map<string, string[]>();
    const add = (key: string, v: number) => {
      const name = key.replace(/\{.*$/, '');
      samples.set(name, [...(samples.get(name) ?? []), `${key} ${Number.isFinite(v) ? v : 0}`]);
    };
    for (const [k, v] of this.counters) add(k, v);
    for (const [k, v] of this.values) add(k, v);
    for (const [k, read] of this.gauges) add(k, read());
    const lines: string[] = [];
    for (const name of [...samples.keys()].sort()) {
      const [type, help] = HELP[name] ?? ['gauge', name];
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...samples.get(name)!);
    }
    return `${lines.join('\n')}\n`;
  }
}

function formatLabels(labels: Labels) {
  const entries = Object.entries(labels);
  if (!entries.length) return '';
  return `{${entries.map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',')}}`;
}
