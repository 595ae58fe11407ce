// A connector retired without its slot: the slot keeps WAL, /health names it once past the threshold, and
// `npm run amqp:retire` drops it with its position row.
import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Connection } from '@/db/client';
import { amqpOutboundPositions } from '@/db/schema';
import { createChangeStream } from '@/server/connectors/amqp/change-stream';
import { retireConnectorSlot } from '@/server/connectors/amqp/retire';
import { topologyNames } from '@/server/connectors/amqp/topology';
import { replicationSlots, slotsBehind } from './replication-slots';
import { inject } from 'vitest';

process.env.DATABASE_URL = inject('databaseUrl');
const { GET: health } = await import('@/app/api/health/route');

let conn: Connection;
beforeAll(() => {
  conn = connect(inject('databaseUrl'), { max: 2 });
});
afterAll(() => conn.close());

describe('a retired connector’s replication slot', () => {
  it('is reported with the WAL it keeps, named as degraded past the threshold, and dropped by amqp:retire', async () => {
    const prefix = `retire_${randomBytes(3).toString('hex')}`;
    const { slot } = topologyNames(prefix);
    await createChangeStream({ db: conn.db, slot, publication: 'onhand_amqp', exchange: '' }).open();
    // Some WAL after the slot's position, as a shop's writes would make.
    await conn.db.execute(sql`SELECT pg_switch_wal()`).catch(() => {});
    await conn.db.execute(sql`CREATE TEMP TABLE wal_filler AS SELECT g FROM generate_series(1, 20000) g`);

    const mine = (await replicationSlots(conn.db)).find((s) => s.slot === slot);
    expect(mine).toMatchObject({ slot, active: false, temporary: false });
    expect(mine!.retainedWalBytes).toBeGreaterThan(0);
    expect(slotsBehind([mine!], mine!.retainedWalBytes - 1)).toEqual([`slot:${slot}`]);
    expect(slotsBehind([mine!], mine!.retainedWalBytes + 1)).toEqual([]);

    // What an operator's monitoring sees: still 200 (the app serves), degraded, naming the slot and its WAL.
    process.env.SLOT_WAL_WARN_BYTES = '0';
    try {
      const res = await health();
      expect(res.status).toBe(200);
      const answer = await res.json();
      expect(answer).toMatchObject({ ok: true, status: 'degraded' });
      expect(answer.degraded).toContain(`slot:${slot}`);
      expect(answer.replicationSlots).toContainEqual({ slot, active: false, retainedWalBytes: expect.any(Number) });
    } finally {
      delete process.env.SLOT_WAL_WARN_BYTES;
    }

    const r = await retireConnectorSlot(conn.db, { prefix });
    expect(r).toMatchObject({ slot, dropped: true });
    expect((await replicationSlots(conn.db)).map((s) => s.slot)).not.toContain(slot);
    expect(await conn.db.select().from(amqpOutboundPositions).where(eq(amqpOutboundPositions.slotName, slot))).toEqual([]);

    expect(await retireConnectorSlot(conn.db, { prefix })).toEqual({ slot, dropped: false, retainedWalBytes: null });
  });
});
