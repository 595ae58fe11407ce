// The sidecar's Prometheus metrics, in the text exposition format. Hand-rolled: a handful of counters and
// one histogram do not justify a client library in a process whose job is to stay small and fast.

const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

class Histogram {
  private readonly counts = BUCKETS.map(() => 0);
  private sum = 0;
  private n = 0;
  last = 0;

  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  observe(seconds: number) {
    const s = Math.max(seconds, 0);
    this.last = s;
    this.sum += s;
    this.n++;
    BUCKETS.forEach((b, i) => s <= b && this.counts[i]++);
  }

  render(): string[] {
    return [
      `# HELP ${this.name} ${this.help}`,
      `# TYPE ${this.name} histogram`,
      ...BUCKETS.map((b, i) => `${this.name}_bucket{le="${b}"} ${this.counts[i]}`),
      `${this.name}_bucket{le="+Inf"} ${this.n}`,
      `${this.name}_sum ${this.sum}`,
      `${this.name}_count ${this.n}`,
    ];
  }
}

export type Gauges = {
  staffClients: () => number;
  storefrontClients: () => number;
  feedUp: () => boolean;
  cachedSkus: () => number;
};

export class RealtimeMetrics {
  private readonly counters = new Map<string, number>();
  private readonly lag = new Histogram('onhand_realtime_feed_lag_seconds', 'Delay from a level change (its updated_at, the transaction start) to the sidecar.');
  private readonly fanout = new Histogram('onhand_realtime_fanout_seconds', 'Time to hand one level message to every socket in its room.');

  constructor(private readonly gauges: Gauges) {}

  inc(name: string, labels: Record<string, string> = {}, by = 1) {
    const key = `${name}${formatLabels(labels)}`;
    this.counters.set(key, (this.counters.get(key) ?? 0) + by);
  }

  count(name: string, labels: Record<string, string> = {}) {
    return this.counters.get(`${name}${formatLabels(labels)}`) ?? 0;
  }

  // Commit-to-sidecar delay of one change, as measured from the row's updated_at.
  observeLag(seconds: number) {
    this.lag.observe(seconds);
  }

  observeFanout(seconds: number) {
    this.fanout.observe(seconds);
  }

  render(): string {
    const g = this.gauges;
    const lines = [
      '# HELP onhand_realtime_connected_clients Sockets connected to this sidecar, by namespace.',
      '# TYPE onhand_realtime_connected_clients gauge',
      `onhand_realtime_connected_clients{namespace="/"} ${g.staffClients()}`,
      `onhand_realtime_connected_clients{namespace="/storefront"} ${g.storefrontClients()}`,
      '# HELP onhand_realtime_feed_up 1 while the replication feed is subscribed and its snapshot loaded.',
      '# TYPE onhand_realtime_feed_up gauge',
      `onhand_realtime_feed_up ${g.feedUp() ? 1 : 0}`,
      '# HELP onhand_realtime_cached_skus Products held in the availability cache.',
      '# TYPE onhand_realtime_cached_skus gauge',
      `onhand_realtime_cached_skus ${g.cachedSkus()}`,
      '# HELP onhand_realtime_feed_lag_last_seconds Delay from the last level change (its updated_at) to the sidecar.',
      '# TYPE onhand_realtime_feed_lag_last_seconds gauge',
      `onhand_realtime_feed_lag_last_seconds ${this.lag.last}`,
      ...this.lag.render(),
      ...this.fanout.render(),
    ];
    const byName = new Map<string, string[]>();
    for (const [key, v] of this.counters) {
      const name = key.replace(/\{.*$/, '');
      byName.set(name, [...(byName.get(name) ?? []), `${key} ${v}`]);
    }
    for (const [name, samples] of [...byName].sort(([a], [b]) => a.localeCompare(b))) {
      lines.push(`# HELP ${name} ${COUNTER_HELP[name] ?? name}`, `# TYPE ${name} counter`, ...samples);
    }
    return `${lines.join('\n')}\n`;
  }
}

const COUNTER_HELP: Record<string, string> = {
  onhand_realtime_db_queries_total: 'Queries the sidecar sent to the database (snapshots, look-ups of new products), not counting the replication stream.',
  onhand_realtime_http_requests_total: 'Public HTTP requests (availability) by status.',
  onhand_realtime_messages_out_total: 'Messages delivered to sockets (one per recipient), by event.',
  onhand_realtime_broadcasts_total: 'Room broadcasts (one per message, whatever the number of recipients), by event.',
  onhand_realtime_feed_changes_total: 'Row changes received from the replication feed, by table.',
  onhand_realtime_stale_changes_total: 'Row changes ignored because a newer version was already held.',
  onhand_realtime_resyncs_total: 'Snapshot reloads after a (re)subscription.',
  onhand_realtime_feed_losses_total: 'Times the replication stream was lost.',
  onhand_realtime_join_refusals_total: 'Room joins refused, by reason.',
};

function formatLabels(labels: Record<string, string>) {
  const entries = Object.entries(labels);
  if (!entries.length) return '';
  return `{${entries.map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`).join(',')}}`;
}
