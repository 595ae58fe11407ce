// Traffic through the AMQP connector while faults come, as a shop's other systems produce it: goods receipts
// published to the commands exchange with a message id (the idempotency key) and broker confirms, and a queue of
// our own bound to the stock exchange collecting every stock.changed event of the world's warehouse. Checked: each
// confirmed message took effect exactly once, and every ledger row written since the start was published.
import { connect, type ChannelModel, type ConfirmChannel } from 'amqplib';
import type postgres from 'postgres';
import { stockChangedEvent } from '@/server/connectors/amqp/messages';
import { stockRoutingKey, topologyNames } from '@/server/connectors/amqp/topology';
import type { World } from './world';

// The broker user it publishes as (the broker checks user_id against the connection's); npm start's connector lets
// it send receipts (AMQP_PUBLISHERS).
export const QUEUE_PUBLISHER = 'guest';

export class QueueTraffic {
  readonly published: string[] = [];
  readonly events = new Set<number>();
  private seq = 0;
  private paused = false;
  private stopped = false;
  private loop: Promise<void> = Promise.resolve();
  private sending: Promise<void> = Promise.resolve();
  // Ledger rows after this id must each be published (earlier ones predate the connector's slot).
  private since = 0;

  private constructor(
    private readonly conn: ChannelModel,
    private readonly ch: ConfirmChannel,
    private readonly names: ReturnType<typeof topologyNames>,
    private readonly world: World,
    private readonly runId: string,
    private readonly everyMs: number,
  ) {}

  // Call once the connector is up (its queues and exchanges declared, its slot made).
  static async start(o: { url: string; prefix: string; world: World; sql: postgres.Sql; everyMs?: number }): Promise<QueueTraffic> {
    const conn = await connect(o.url, { clientProperties: { connection_name: `onhand-system-queue-traffic:${o.prefix}` } });
    conn.on('error', () => {});
    const ch = await conn.createConfirmChannel();
    const names = topologyNames(o.prefix);
    await ch.assertExchange(names.stock, 'topic', { durable: true });
    const events = `${o.prefix}.system-suite-events`;
    await ch.assertQueue(events, { durable: false, exclusive: true });
    await ch.bindQueue(events, names.stock, stockRoutingKey(o.world.warehouse, '*'));
    const t = new QueueTraffic(conn, ch, names, o.world, o.prefix, o.everyMs ?? 150);
    const [{ max }] = await o.sql<{ max: number }[]>`SELECT coalesce(max(id), 0)::int AS max FROM stock_movements`;
    t.since = max;
    await ch.consume(events, (msg) => {
      if (!msg) return;
      const e = stockChangedEvent.safeParse(JSON.parse(msg.content.toString()));
      if (e.success) t.events.add(e.data.movementId);
      ch.ack(msg);
    });
    t.loop = t.run();
    return t;
  }

  private async run() {
    while (!this.stopped) {
      if (!this.paused) {
        this.sending = this.publishOne();
        await this.sending;
      }
      await new Promise((r) => setTimeout(r, this.everyMs));
    }
  }

  // A receipt of 1-3 units into a stock bin; published once the broker confirms it has it.
  private async publishOne() {
    const key = `amqp-${this.runId}-${++this.seq}`;
    const w = this.world;
    const body = { sku: pick(w.skus), warehouse: w.warehouse, location: pick(w.stockBins), qty: 1 + Math.floor(Math.random() * 3), reference: key };
    this.ch.publish(this.names.commands, 'goods.received', Buffer.from(JSON.stringify(body)), { messageId: key, persistent: true, contentType: 'application/json', userId: QUEUE_PUBLISHER });
    await this.ch.waitForConfirms();
    this.published.push(key);
  }

  async pause() {
    this.paused = true;
    await this.sending;
  }

  resume() {
    this.paused = false;
  }

  // How many published messages have not taken effect yet.
  async unapplied(sql: postgres.Sql): Promise<number> {
    if (!this.published.length) return 0;
    const [{ n }] = await sql<{ n: number }[]>`
      SELECT count(DISTINCT reference_id)::int AS n FROM stock_movements
      WHERE kind = 'receipt' AND reference_type = 'reference' AND reference_id IN ${sql(this.published)}`;
    return this.published.length - n;
  }

  // Everything wrong, once paused and drained: a message applied other than once, a ledger row never published.
  async mismatches(sql: postgres.Sql): Promise<string[]> {
    const out: string[] = [];
    if (this.published.length) {
      const rows = await sql<{ key: string; n: number }[]>`
        SELECT reference_id AS key, count(*)::int AS n FROM stock_movements
        WHERE kind = 'receipt' AND reference_type = 'reference' AND reference_id IN ${sql(this.published)} GROUP BY 1`;
      const applied = new Map(rows.map((r) => [r.key, r.n]));
      for (const key of this.published) if (applied.get(key) !== 1) out.push(`message ${key}: took effect ${applied.get(key) ?? 0} time(s)`);
    }
    for (const id of await this.unpublished(sql)) out.push(`ledger row ${id}: no stock.changed event`);
    return out;
  }

  async unpublished(sql: postgres.Sql): Promise<number[]> {
    const rows = await sql<{ id: number }[]>`
      SELECT m.id::int AS id FROM stock_movements m JOIN locations l ON l.id = m.location_id
      WHERE l.warehouse_id = ${this.world.warehouseId} AND m.id > ${this.since} ORDER BY m.id`;
    return rows.map((r) => r.id).filter((id) => !this.events.has(id));
  }

  async stop() {
    this.stopped = true;
    await this.loop;
    await this.conn.close().catch(() => {});
  }
}

const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)];
