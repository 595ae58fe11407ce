// The outbound publisher: every ledger row, as committed, to the topic exchange (stock.<warehouse>.<sku>),
// with publisher confirms, letting the database move its durable position only past what the broker confirmed.
//
// Why a persistent logical replication slot rather than an outbox cursor over stock_movements.id: ids are taken
// at insert, not at commit, so a cursor can pass id 11 while id 10's transaction is still open and skip it for
// good; making that safe needs each row's xid and the snapshot's xmin, and even then xid order is not commit
// order, so two versions of one bin could go out backwards. A slot hands over whole transactions in commit
// order and keeps every change until we confirm it, so a connector or broker restart resumes from the last
// confirmed transaction; and it adds no write to the command's transaction. We stream it (START_REPLICATION,
// replication-stream.ts) rather than poll pg_logical_slot_peek_changes: each peek decodes again from the
// slot's restart point, which under steady load trails by up to a checkpoint's or a running-xacts interval of
// WAL. The cost of a slot: it holds WAL while the connector is down (watch onhand_amqp_outbound_lag_bytes, and
// drop the slot when retiring the connector). amqp_outbound_positions keeps the confirmed position as well:
// durable at once (a slot's is saved at checkpoints) and still there when a slot is lost, so a loss is noticed.
import type { ChannelModel, ConfirmChannel } from 'amqplib';
import { backoffDelay, type Backoff } from './backoff';
import type { ChangeStream, CommittedTx } from './change-stream';
import { lsnAfter } from './pgoutput';
import { startReplication, type ReplicationSession } from './replication-stream';
import { toStockEvent } from './stock-event';
import type { ConnectorMetrics } from './metrics';
import { declareOutbound, stockRoutingKey, type Names } from './topology';

export type OutboundSettings = {
  // Events per publish-and-confirm round (whole transactions, so a round may slightly exceed it).
  batchRows: number;
  // Pause the replication stream while this many events wait for the broker.
  maxBuffered: number;
  // The idle position is written to the position row at most this often (the slot itself follows every confirm).
  idleSaveMs: number;
  backoff: Backoff;
  // Staff e-mails (actor 'user:<e-mail>') and free-text notes go out only when the broker's consumers may read them
  // (AMQP_OUTBOUND_STAFF_DETAILS=on); otherwise the actor is 'user' and the note null.
  staffDetails: boolean;
};

export type OutboundOptions = OutboundSettings & {
  stream: ChangeStream;
  databaseUrl: string;
  names: Names;
  metrics: ConnectorMetrics;
  log: (line: string) => void;
};

export type Outbound = {
  attach: (conn: ChannelModel, recycle: (reason: string) => void) => Promise<void>;
  start: () => void;
  stop: () => Promise<void>;
  readonly streaming: boolean;
  // Another connector holds the slot (several instances: one streams, the others wait to take over).
  readonly standby: boolean;
  readonly caughtUp: boolean;
  // Seconds since the stream was last caught up with every commit (0 while it is).
  readonly lagSeconds: number;
  readonly lastError: string | null;
};

export function createOutbound(o: OutboundOptions): Outbound {
  let channel: ConfirmChannel | null = null;
  let stopped = true;
  let loop: Promise<void> = Promise.resolve();
  let streaming = false;
  let standby = false;
  let caughtUp = false;
  let caughtUpAt = Date.now();
  let lastError: string | null = null;
  let wake: (() => void) | null = null;
  // Set when something happens while the loop is busy, so its next wait returns at once.
  let pending = false;
  const poke = () => (wake ? wake() : (pending = true));
  // A lost slot is announced before anything else goes out, however many tries that takes.
  let resetOwed = false;

  async function attach(conn: ChannelModel, recycle: (reason: string) => void) {
    const ch = await conn.createConfirmChannel();
    ch.on('error', (e: Error) => o.log(`outbound: channel error: ${e.message}`));
    ch.on('close', () => {
      if (channel === ch) channel = null;
      poke();
      recycle('outbound channel closed');
    });
    await declareOutbound(ch, o.names);
    channel = ch;
    poke();
  }

  async function run() {
    let failures = 0;
    while (!stopped) {
      const ch = channel;
      if (!ch) {
        markBehind();
        await idle(1000);
        continue;
      }
      let session: ReplicationSession | null = null;
      try {
        const position = await o.stream.open();
        if (position.lost) {
          resetOwed = true;
          o.metrics.slotLosses.inc();
          o.log(`outbound: replication slot ${o.stream.slot} was missing and has been recreated; changes since the last confirmed position may be missing`);
        }
        if (resetOwed) {
          await announceReset(ch);
          resetOwed = false;
        }
        const queue: CommittedTx[] = [];
        let queued = 0;
        session = await startReplication({
          url: o.databaseUrl,
          slot: o.stream.slot,
          publication: o.stream.publication,
          startLsn: position.confirmedLsn,
          applicationName: `onhand-amqp:${o.names.prefix}`,
          onTransaction: (tx) => {
            queue.push(tx);
            queued += tx.movements.length;
            if (queued >= o.maxBuffered) session?.pause();
          },
          onActivity: poke,
        });
        streaming = true;
        if (standby) o.log('outbound: the replication slot is free again; streaming');
        standby = false;
        failures = 0;
        let confirmed = position.confirmedLsn;
        let savedAt = Date.now();
        while (!stopped && channel === ch && !session.ended) {
          if (queue.length) {
            const batch = take(queue, o.batchRows);
            const n = batch.reduce((sum, tx) => sum + tx.movements.length, 0);
            queued -= n;
            await publish(ch, batch);
            const last = batch[batch.length - 1];
            await o.stream.savePosition(last.endLsn, n, last.commitTime);
            session.confirm(last.endLsn);
            confirmed = last.endLsn;
            savedAt = Date.now();
            if (queued < o.maxBuffered / 2) session.resume();
            o.metrics.published.inc(n);
            o.metrics.batches.inc();
            o.metrics.lastPublishDelay.set((Date.now() - last.commitTime.getTime()) / 1000);
            lastError = null;
            continue;
          }
          // Everything the server has sent is published: let the slot move past unrelated WAL too.
          const end = session.idleEnd;
          if (end && lsnAfter(end, confirmed)) {
            session.confirm(end);
            confirmed = end;
            if (Date.now() - savedAt >= o.idleSaveMs) {
              await o.stream.savePosition(end, 0, null);
              savedAt = Date.now();
            }
          }
          caughtUp = true;
          await idle(1000);
        }
        if (session.error && !stopped) throw session.error;
      } catch (e) {
        // Nothing was confirmed past what the broker acknowledged: the next session starts from there again.
        lastError = e instanceof Error ? e.message : String(e);
        // 55006 object_in_use: the slot is streaming to another instance; wait quietly to take over.
        const busy = (e as { code?: string }).code === '55006';
        if (busy && !standby) o.log(`outbound: standing by, another connector streams the slot (${lastError})`);
        standby = busy;
        if (!busy) {
          o.metrics.publishFailures.inc();
          o.log(`outbound: ${lastError}; resuming from the last confirmed position`);
        }
        markBehind();
        streaming = false;
        await session?.end();
        session = null;
        await idle(backoffDelay(o.backoff, failures++));
      } finally {
        streaming = false;
        await session?.end();
      }
      markBehind();
    }
  }

  function markBehind() {
    if (caughtUp) caughtUpAt = Date.now();
    caughtUp = false;
  }

  async function publish(ch: ConfirmChannel, transactions: CommittedTx[]) {
    const productIds = new Set<number>();
    const locationIds = new Set<number>();
    for (const tx of transactions) for (const m of tx.movements) productIds.add(m.productId), locationIds.add(m.locationId);
    const places = await o.stream.places([...productIds], [...locationIds]);
    for (const tx of transactions) {
      for (const m of tx.movements) {
        const event = toStockEvent(m, tx, places, { staffDetails: o.staffDetails });
        const ok = ch.publish(o.names.stock, stockRoutingKey(event.warehouse, event.sku), Buffer.from(JSON.stringify(event)), {
          persistent: true,
          contentType: 'application/json',
          type: event.type,
          // Stable across re-sends, so a consumer can also deduplicate by message id.
          messageId: `movement-${m.id}`,
          timestamp: Math.floor(tx.commitTime.getTime() / 1000),
          headers: { sku: event.sku, warehouse: event.warehouse, location: event.location, version: event.version },
        });
        // The socket buffer is full: wait for it to drain rather than queue without bound in memory.
        if (!ok) await drained(ch);
      }
    }
    await ch.waitForConfirms();
  }

  // The slot was recreated: what committed in between is gone from the stream. Consumers should refetch.
  async function announceReset(ch: ConfirmChannel) {
    const body = { type: 'stream.reset', reason: 'replication slot lost and recreated', slot: o.stream.slot, at: new Date().toISOString() };
    ch.publish(o.names.stock, 'control.reset', Buffer.from(JSON.stringify(body)), { persistent: true, contentType: 'application/json', type: body.type });
    await ch.waitForConfirms();
  }

  function idle(ms: number) {
    if (pending) {
      pending = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        wake = null;
        resolve();
      }
      wake = done;
    });
  }

  return {
    attach,
    start() {
      if (!stopped) return;
      stopped = false;
      loop = run();
    },
    async stop() {
      stopped = true;
      poke();
      await loop;
    },
    get caughtUp() {
      return caughtUp;
    },
    get lagSeconds() {
      return caughtUp ? 0 : (Date.now() - caughtUpAt) / 1000;
    },
    get streaming() {
      return streaming;
    },
    get standby() {
      return standby;
    },
    get lastError() {
      return lastError;
    },
  };
}

// Whole transactions from the front of the queue, up to about `max` events.
function take(queue: CommittedTx[], max: number): CommittedTx[] {
  let n = 0;
  let i = 0;
  while (i < queue.length && (i === 0 || n + queue[i].movements.length <= max)) n += queue[i++].movements.length;
  return queue.splice(0, i);
}

// Resolves when the channel can take more, or when it closed (the next publish then throws).
function drained(ch: ConfirmChannel) {
  return new Promise<void>((resolve) => {
    const done = () => {
      ch.off('drain', done);
      ch.off('close', done);
      resolve();
    };
    ch.once('drain', done);
    ch.once('close', done);
  });
}
