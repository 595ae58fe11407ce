// Decodes the messages of PostgreSQL's pgoutput plugin (protocol version 1, text tuples): begin, relation,
// insert and commit. The rest is not in our publication (it publishes inserts only) and is reported as 'other'.

export type PgOutputMessage =
  | { tag: 'begin'; finalLsn: string; commitTime: Date; xid: number }
  | { tag: 'commit'; commitLsn: string; endLsn: string; commitTime: Date }
  | { tag: 'relation'; relationId: number; schema: string; table: string; columns: string[] }
  | { tag: 'insert'; relationId: number; values: (string | null)[] }
  | { tag: 'other'; code: string };

// pgoutput timestamps count microseconds from 2000-01-01 UTC.
const PG_EPOCH_MS = Date.UTC(2000, 0, 1);

export function decodePgOutput(buf: Buffer): PgOutputMessage {
  const r = new Reader(buf);
  const code = String.fromCharCode(r.u8());
  switch (code) {
    case 'B':
      return { tag: 'begin', finalLsn: r.lsn(), commitTime: r.time(), xid: r.u32() };
    case 'C':
      r.u8(); // flags, unused
      return { tag: 'commit', commitLsn: r.lsn(), endLsn: r.lsn(), commitTime: r.time() };
    case 'R': {
      const relationId = r.u32();
      const schema = r.cstring();
      const table = r.cstring();
      r.u8(); // replica identity
      const n = r.u16();
      const columns: string[] = [];
      for (let i = 0; i < n; i++) {
        r.u8(); // flags (part of the key)
        columns.push(r.cstring());
        r.u32(); // type oid
        r.u32(); // type modifier
      }
      return { tag: 'relation', relationId, schema, table, columns };
    }
    case 'I': {
      const relationId = r.u32();
      if (String.fromCharCode(r.u8()) !== 'N') throw new Error('pgoutput: insert without a new tuple');
      return { tag: 'insert', relationId, values: r.tuple() };
    }
    default:
      return { tag: 'other', code };
  }
}

class Reader {
  private at = 0;
  constructor(private readonly buf: Buffer) {}

  u8() {
    return this.buf.readUInt8(this.at++);
  }
  u16() {
    const v = this.buf.readUInt16BE(this.at);
    this.at += 2;
    return v;
  }
  u32() {
    const v = this.buf.readUInt32BE(this.at);
    this.at += 4;
    return v;
  }
  lsn() {
    const hi = this.u32();
    const lo = this.u32();
    return `${hi.toString(16).toUpperCase()}/${lo.toString(16).toUpperCase()}`;
  }
  time() {
    const micros = this.buf.readBigInt64BE(this.at);
    this.at += 8;
    return new Date(PG_EPOCH_MS + Number(micros / 1000n));
  }
  cstring() {
    const end = this.buf.indexOf(0, this.at);
    const s = this.buf.toString('utf8', this.at, end);
    this.at = end + 1;
    return s;
  }
  tuple(): (string | null)[] {
    const n = this.u16();
    const values: (string | null)[] = [];
    for (let i = 0; i < n; i++) {
      const kind = String.fromCharCode(this.u8());
      if (kind === 't' || kind === 'b') {
        const len = this.u32();
        values.push(this.buf.toString('utf8', this.at, this.at + len));
        this.at += len;
      } else {
        // 'n' null, 'u' an unchanged TOASTed value (never in an insert)
        values.push(null);
      }
    }
    return values;
  }
}

// LSNs compare as 64-bit numbers: 'hi/lo' in hex.
export function lsnToBigInt(lsn: string): bigint {
  const [hi, lo] = lsn.split('/');
  return (BigInt(`0x${hi}`) << 32n) | BigInt(`0x${lo}`);
}

export const lsnAfter = (a: string, b: string) => lsnToBigInt(a) > lsnToBigInt(b);
