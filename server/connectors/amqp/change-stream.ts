// The database side of the outbound stream, over a normal connection: the persistent logical replication slot
// (pgoutput, publication onhand_amqp = the ledger's inserts) is found or created, the position row in
// amqp_outbound_positions kept, and the places a change names are read. replication-stream.ts does the streaming.
// The connector writes no table but its own position; stock changes only ever come from the core.
import { eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { amqpOutboundPositions, locations, products, warehouses, type StockMovement } from '@/db/schema';
import { lsnAfter } from './pgoutput';

export type MovementChange = Omit<StockMovement, 'createdAt'>;
export type CommittedTx = { endLsn: string; commitTime: Date; movements: MovementChange[] };
export type OpenResult = { confirmedLsn: string; created: boolean; lost: boolean };

export type ChangeStreamOptions = { db: Db; slot: string; publication: string; exchange: string };

export type ChangeStream = ReturnType<typeof createChangeStream>;

export function createChangeStream(o: ChangeStreamOptions) {
  const { db, slot } = o;
  // What the position row says: the stream starts after it.
  let confirmedLsn = '0/0';

  async function slotRow() {
    const rows = (await db.execute(sql`
      SELECT plugin, database = current_database() AS here, confirmed_flush_lsn::text AS lsn
      FROM pg_replication_slots WHERE slot_name = ${slot}`)) as unknown as { plugin: string; here: boolean; lsn: string | null }[];
    return rows[0];
  }

  // Finds or creates the slot and the position row. A row whose slot is gone means changes were missed.
  async function open(): Promise<OpenResult> {
    const [position] = await db.select().from(amqpOutboundPositions).where(eq(amqpOutboundPositions.slotName, slot));
    let existing = await slotRow();
    if (existing && (existing.plugin !== 'pgoutput' || !existing.here)) {
      throw new Error(`replication slot ${slot} exists but is not a pgoutput slot of this database`);
    }
    let created = false;
    if (!existing) {
      await db.execute(sql`SELECT pg_create_logical_replication_slot(${slot}, 'pgoutput')`);
      existing = await slotRow();
      created = true;
    }
    const slotLsn = existing.lsn ?? '0/0';
    const lost = created && !!position;
    if (!position || lost) {
      await db
        .insert(amqpOutboundPositions)
        .values({ slotName: slot, exchange: o.exchange, confirmedLsn: slotLsn })
        .onConflictDoUpdate({ target: amqpOutboundPositions.slotName, set: { confirmedLsn: slotLsn, updatedAt: sql`now()` } });
      confirmedLsn = slotLsn;
    } else {
      // The later of the two: the row is saved at once, the slot's position only at checkpoints.
      confirmedLsn = lsnAfter(slotLsn, position.confirmedLsn) ? slotLsn : position.confirmedLsn;
    }
    return { confirmedLsn, created, lost };
  }

  // Called once the broker confirmed everything before `to`. Durable at commit, unlike the slot's own position
  // (saved at checkpoints): after a database crash the stream restarts from here, not from an older slot position.
  async function savePosition(to: string, published: number, lastCommitAt: Date | null) {
    if (!lsnAfter(to, confirmedLsn) && !published) return;
    await db
      .update(amqpOutboundPositions)
      .set({
        confirmedLsn: sql`greatest(${amqpOutboundPositions.confirmedLsn}, ${to}::pg_lsn)`,
        published: sql`${amqpOutboundPositions.published} + ${published}`,
        ...(lastCommitAt ? { lastCommitAt } : {}),
        updatedAt: sql`now()`,
      })
      .where(eq(amqpOutboundPositions.slotName, slot));
    if (lsnAfter(to, confirmedLsn)) confirmedLsn = to;
  }

  // WAL the slot holds back: not yet confirmed, or not yet acknowledged by an idle stream.
  async function lagBytes(): Promise<number | null> {
    const rows = (await db.execute(sql`
      SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::float8 AS lag
      FROM pg_replication_slots WHERE slot_name = ${slot}`)) as unknown as { lag: number | null }[];
    return rows[0]?.lag ?? null;
  }

  async function places(productIds: number[], locationIds: number[]) {
    const [prods, locs] = await Promise.all([
      productIds.length ? db.select({ id: products.id, sku: products.sku }).from(products).where(inArray(products.id, productIds)) : [],
      locationIds.length
        ? db
            .select({ id: locations.id, location: locations.code, warehouse: warehouses.code })
            .from(locations)
            .innerJoin(warehouses, eq(warehouses.id, locations.warehouseId))
            .where(inArray(locations.id, locationIds))
        : [],
    ]);
    return { skus: new Map(prods.map((p) => [p.id, p.sku])), bins: new Map(locs.map((l) => [l.id, l])) };
  }

  // Operators and tests: forget the stream entirely (slot and position), ending a session still holding the slot.
  async function drop() {
    for (let i = 0; i < 50; i++) {
      const [row] = (await db.execute(sql`SELECT active_pid FROM pg_replication_slots WHERE slot_name = ${slot}`)) as unknown as { active_pid: number | null }[];
      if (!row) break;
      if (row.active_pid === null) {
        await db.execute(sql`SELECT pg_drop_replication_slot(${slot})`);
        break;
      }
      await db.execute(sql`SELECT pg_terminate_backend(${row.active_pid})`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await db.delete(amqpOutboundPositions).where(eq(amqpOutboundPositions.slotName, slot));
  }

  return { open, savePosition, lagBytes, places, drop, slot, publication: o.publication };
}
