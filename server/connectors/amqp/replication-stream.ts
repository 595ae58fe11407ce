// One streaming replication session on the connector's persistent slot (START_REPLICATION over a replication
// connection, pgoutput): whole transactions in commit order, and standby status updates that tell PostgreSQL
// how far it may advance the slot, which we only move past transactions the broker has confirmed.
// postgres.js's own sql.subscribe cannot be used: it always creates a temporary slot and acknowledges at once.
import type { Duplex } from 'node:stream';
import postgres from 'postgres';
import type { CommittedTx, MovementChange } from './change-stream';
import { decodePgOutput, lsnAfter, lsnToBigInt } from './pgoutput';

export type ReplicationOptions = {
  url: string;
  slot: string;
  publication: string;
  // Transactions whose commit ends at or before it are not sent again (the position row's LSN).
  startLsn: string;
  applicationName: string;
  onTransaction: (tx: CommittedTx) => void;
  // Something arrived (a transaction, a keepalive) or the session ended.
  onActivity: () => void;
  statusIntervalMs?: number;
};

export type ReplicationSession = {
  // Lets the slot move up to `lsn`: everything before it has been published and confirmed.
  confirm: (lsn: string) => void;
  pause: () => void;
  resume: () => void;
  end: () => Promise<void>;
  readonly ended: boolean;
  readonly error: Error | null;
  // The server's position as of the last message received between transactions: nothing before it is unsent.
  readonly idleEnd: string | null;
};

const PG_EPOCH_MS = Date.UTC(2000, 0, 1);

export async function startReplication(o: ReplicationOptions): Promise<ReplicationSession> {
  let ended = false;
  let error: Error | null = null;
  let flushed = lsnToBigInt(o.startLsn);
  let received = flushed;
  let idleEnd: string | null = null;
  // Declared before the connection exists: its onclose may fire (and clear this) before streaming starts.
  let status: NodeJS.Timeout | undefined;
  const finish = (e?: Error) => {
    if (ended) return;
    ended = true;
    error = e ?? error;
    clearInterval(status);
    o.onActivity();
  };

  const sql = postgres(o.url, {
    max: 1,
    fetch_types: false,
    // 0: no idle timeout and no maximum lifetime; the session lasts until we end it.
    idle_timeout: 0,
    max_lifetime: 0,
    connect_timeout: 10,
    onnotice: () => {},
    connection: { replication: 'database', application_name: o.applicationName } as Record<string, string>,
    onclose: () => finish(new Error('replication connection closed')),
  });
  const slot = `"${o.slot.replace(/"/g, '""')}"`;
  const publication = o.publication.replace(/'/g, "''");
  let stream: Duplex;
  try {
    // CopyBoth: the driver hands back a duplex stream (typed only as Writable) of CopyData payloads.
    stream = (await sql.unsafe(`START_REPLICATION SLOT ${slot} LOGICAL ${o.startLsn} (proto_version '1', publication_names '${publication}')`).writable()) as unknown as Duplex;
  } catch (e) {
    await sql.end({ timeout: 0 }).catch(() => {});
    throw e;
  }

  const relations = new Map<number, { table: string; columns: string[] }>();
  let open: { movements: MovementChange[] } | null = null;

  stream.on('data', (x: Buffer) => {
    if (x[0] === 0x77) {
      // XLogData: start, server WAL end, send time, then one pgoutput message.
      received = x.readBigUInt64BE(9) > received ? x.readBigUInt64BE(9) : received;
      const m = decodePgOutput(x.subarray(25));
      if (m.tag === 'relation') relations.set(m.relationId, { table: m.table, columns: m.columns });
      else if (m.tag === 'begin') open = { movements: [] };
      else if (m.tag === 'insert' && open) {
        const rel = relations.get(m.relationId);
        if (rel?.table === 'stock_movements') open.movements.push(toMovement(rel.columns, m.values));
      } else if (m.tag === 'commit') {
        const tx = open;
        open = null;
        idleEnd = m.endLsn;
        if (tx?.movements.length && lsnAfter(m.endLsn, o.startLsn)) o.onTransaction({ endLsn: m.endLsn, commitTime: m.commitTime, movements: tx.movements });
        o.onActivity();
      }
    } else if (x[0] === 0x6b) {
      // Keepalive: server WAL end, send time, reply requested.
      const walEnd = x.readBigUInt64BE(1);
      if (walEnd > received) received = walEnd;
      if (!open) idleEnd = formatLsn(walEnd);
      if (x[17]) sendStatus();
      o.onActivity();
    }
  });
  stream.on('error', (e: Error) => finish(e));
  stream.on('close', () => finish(new Error('replication stream closed')));

  function sendStatus() {
    if (ended) return;
    const b = Buffer.alloc(34);
    b[0] = 0x72; // 'r'
    b.writeBigUInt64BE(received, 1);
    b.writeBigUInt64BE(flushed, 9);
    b.writeBigUInt64BE(flushed, 17);
    b.writeBigInt64BE(BigInt(Date.now() - PG_EPOCH_MS) * 1000n, 25);
    b[33] = 0;
    stream.write(b);
  }
  // Regular updates keep wal_sender_timeout from ending an idle session.
  status = setInterval(sendStatus, o.statusIntervalMs ?? 10_000);
  status.unref();

  return {
    confirm(lsn: string) {
      const v = lsnToBigInt(lsn);
      if (v <= flushed) return;
      flushed = v;
      sendStatus();
    },
    pause: () => stream.pause(),
    resume: () => stream.resume(),
    async end() {
      finish();
      await new Promise<void>((resolve) => {
        if (stream.destroyed) return resolve();
        stream.once('close', () => resolve());
        stream.end();
        setTimeout(resolve, 1000).unref();
      });
      await sql.end({ timeout: 1 }).catch(() => {});
    },
    get ended() {
      return ended;
    },
    get error() {
      return error;
    },
    get idleEnd() {
      return idleEnd;
    },
  };
}

function formatLsn(v: bigint) {
  return `${(v >> 32n).toString(16).toUpperCase()}/${(v & 0xffffffffn).toString(16).toUpperCase()}`;
}

function toMovement(columns: string[], values: (string | null)[]): MovementChange {
  const v = Object.fromEntries(columns.map((c, i) => [c, values[i]]));
  const int = (c: string) => Number(v[c]);
  return {
    id: int('id'),
    productId: int('product_id'),
    locationId: int('location_id'),
    kind: v.kind as MovementChange['kind'],
    onHandDelta: int('on_hand_delta'),
    reservedDelta: int('reserved_delta'),
    onHandAfter: int('on_hand_after'),
    reservedAfter: int('reserved_after'),
    version: int('version'),
    reasonCode: v.reason_code,
    referenceType: v.reference_type,
    referenceId: v.reference_id,
    note: v.note,
    actor: v.actor ?? '',
    commandId: v.command_id ?? '',
  };
}
