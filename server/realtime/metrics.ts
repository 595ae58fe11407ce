// The sidecar's Prometheus metrics (prom-client), served at its /metrics: clients, messages out, the replication
// feed (up, lag, changes, resyncs, losses), fan-out time, refused joins, public HTTP answers and its database
// queries, with the process's own figures (onhand_realtime_process_…, onhand_realtime_nodejs_…).
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { processRegistry } from '@/server/observability/registry';

// Read at each scrape from the sidecar's live state.
export type Gauges = {
  staffClients: () => number;
  storefrontClients: () => number;
  feedUp: () => boolean;
  cachedSkus: () => number;
};

export type RealtimeMetrics = {
  registry: Registry;
  dbQueries: Counter;
  httpRequests: Counter<'route' | 'status'>;
  messagesOut: Counter<'event'>;
  broadcasts: Counter<'event'>;
  feedChanges: Counter<'table'>;
  staleChanges: Counter;
  resyncs: Counter;
  feedLosses: Counter;
  joinRefusals: Counter<'reason'>;
  feedLag: Histogram;
  feedLagLast: Gauge;
  fanout: Histogram;
};

const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createRealtimeMetrics(g: Gauges): RealtimeMetrics {
  const registry = processRegistry('realtime');
  const registers = [registry];
  const counter = <L extends string = string>(name: string, help: string, labelNames: L[] = []) => new Counter<L>({ name, help, labelNames, registers });
  new Gauge({
    name: 'onhand_realtime_connected_clients',
    help: 'Sockets connected to this sidecar, by namespace.',
    labelNames: ['namespace'],
    registers,
    collect() {
      this.set({ namespace: '/' }, g.staffClients());
      this.set({ namespace: '/storefront' }, g.storefrontClients());
    },
  });
  new Gauge({
    name: 'onhand_realtime_feed_up',
    help: '1 while the replication feed is subscribed and its snapshot loaded.',
    registers,
    collect() {
      this.set(g.feedUp() ? 1 : 0);
    },
  });
  new Gauge({
    name: 'onhand_realtime_cached_skus',
    help: 'Products held in the availability cache.',
    registers,
    collect() {
      this.set(g.cachedSkus());
    },
  });
  return {
    registry,
    dbQueries: counter('onhand_realtime_db_queries_total', 'Queries the sidecar sent to the database (snapshots, look-ups of new products), not counting the replication stream.'),
    httpRequests: counter('onhand_realtime_http_requests_total', 'Public HTTP requests (availability) by status.', ['route', 'status']),
    messagesOut: counter('onhand_realtime_messages_out_total', 'Messages delivered to sockets (one per recipient), by event.', ['event']),
    broadcasts: counter('onhand_realtime_broadcasts_total', 'Room broadcasts (one per message, whatever the number of recipients), by event.', ['event']),
    feedChanges: counter('onhand_realtime_feed_changes_total', 'Row changes received from the replication feed, by table.', ['table']),
    staleChanges: counter('onhand_realtime_stale_changes_total', 'Row changes ignored because a newer version was already held.'),
    resyncs: counter('onhand_realtime_resyncs_total', 'Snapshot reloads after a (re)subscription.'),
    feedLosses: counter('onhand_realtime_feed_losses_total', 'Times the replication stream was lost.'),
    joinRefusals: counter('onhand_realtime_join_refusals_total', 'Room joins refused, by reason.', ['reason']),
    feedLag: new Histogram({
      name: 'onhand_realtime_feed_lag_seconds',
      help: 'Delay from a level change (its updated_at, the transaction start) to the sidecar.',
      buckets: BUCKETS,
      registers,
    }),
    feedLagLast: new Gauge({ name: 'onhand_realtime_feed_lag_last_seconds', help: 'Delay from the last level change (its updated_at) to the sidecar.', registers }),
    fanout: new Histogram({ name: 'onhand_realtime_fanout_seconds', help: 'Time to hand one level message to every socket in its room.', buckets: BUCKETS, registers }),
  };
}
