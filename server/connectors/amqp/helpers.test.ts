// The connector's small parts, without a broker or a database.
import { describe, expect, it } from 'vitest';
import { InventoryError } from '@/server/inventory';
import { classify, MessageRefused } from './failures';
import { createKeyedSerializer } from './keyed-serializer';
import { inboundMessages } from './messages';
import { metricValue } from '@/server/observability/registry';
import { createConnectorMetrics } from './metrics';
import { decodePgOutput, lsnAfter } from './pgoutput';
import { stockRoutingKey, topologyNames } from './topology';

describe('pgoutput decoding', () => {
  const lsn = (hi: number, lo: number) => {
    const b = Buffer.alloc(8);
    b.writeUInt32BE(hi, 0);
    b.writeUInt32BE(lo, 4);
    return b;
  };
  const micros = (ms: number) => {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(BigInt(ms - Date.UTC(2000, 0, 1)) * 1000n);
    return b;
  };
  const cstr = (s: string) => Buffer.concat([Buffer.from(s), Buffer.from([0])]);
  const u32 = (n: number) => Buffer.from([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
  const u16 = (n: number) => Buffer.from([n >>> 8, n & 255]);

  it('reads begin, relation, insert and commit messages', () => {
    const at = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
    expect(decodePgOutput(Buffer.concat([Buffer.from('B'), lsn(1, 0xabc), micros(at), u32(42)]))).toEqual({
      tag: 'begin',
      finalLsn: '1/ABC',
      commitTime: new Date(at),
      xid: 42,
    });
    const column = (name: string) => Buffer.concat([Buffer.from([0]), cstr(name), u32(23), u32(0xffffffff)]);
    const rel = Buffer.concat([Buffer.from('R'), u32(16384), cstr('public'), cstr('stock_movements'), Buffer.from('d'), u16(2), column('id'), column('note')]);
    expect(decodePgOutput(rel)).toEqual({ tag: 'relation', relationId: 16384, schema: 'public', table: 'stock_movements', columns: ['id', 'note'] });
    const ins = Buffer.concat([Buffer.from('I'), u32(16384), Buffer.from('N'), u16(2), Buffer.from('t'), u32(2), Buffer.from('17'), Buffer.from('n')]);
    expect(decodePgOutput(ins)).toEqual({ tag: 'insert', relationId: 16384, values: ['17', null] });
    const commit = Buffer.concat([Buffer.from('C'), Buffer.from([0]), lsn(0, 0x10), lsn(0, 0x40), micros(at)]);
    expect(decodePgOutput(commit)).toEqual({ tag: 'commit', commitLsn: '0/10', endLsn: '0/40', commitTime: new Date(at) });
    expect(decodePgOutput(Buffer.from('Y'))).toEqual({ tag: 'other', code: 'Y' });
  });

  it('compares LSNs as 64-bit positions', () => {
    expect(lsnAfter('1/0', '0/FFFFFFFF')).toBe(true);
    expect(lsnAfter('0/A', '0/A')).toBe(false);
    expect(lsnAfter('0/9', '0/A')).toBe(false);
  });
});

describe('documented message formats', () => {
  it('every example is valid for its route', () => {
    for (const [route, m] of Object.entries(inboundMessages)) expect(m.schema.safeParse(m.example).success, route).toBe(true);
  });
});

describe('topology', () => {
  it('escapes dots in routing key words and keeps keys within 255 bytes', () => {
    expect(stockRoutingKey('MAIN', 'TSHIRT-RED-M')).toBe('stock.MAIN.TSHIRT-RED-M');
    expect(stockRoutingKey('EU.1', 'A.B%C')).toBe('stock.EU%2E1.A%2EB%25C');
    const long = stockRoutingKey('W', 'é'.repeat(64) + '.'.repeat(64));
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(255);
    expect(long).toMatch(/^stock\.W\.h[0-9a-f]{32}$/);
  });

  it('derives a valid replication slot name from any prefix', () => {
    expect(topologyNames('test-AB.c').slot).toBe('test_ab_c_amqp');
  });
});

describe('keyed serializer', () => {
  it('runs one key in arrival order and other keys alongside', async () => {
    const s = createKeyedSerializer();
    const log: string[] = [];
    const task = (name: string, ms: number) => () => new Promise<void>((r) => setTimeout(() => (log.push(name), r()), ms));
    await Promise.all([s.run('a', task('a1', 30)), s.run('a', task('a2', 1)), s.run('b', task('b1', 5)), s.run(undefined, task('x', 1))]);
    expect(log.indexOf('a1')).toBeLessThan(log.indexOf('a2'));
    expect(log.indexOf('b1')).toBeLessThan(log.indexOf('a1'));
    expect(s.pendingKeys).toBe(0);
  });

  it('goes on with a key after a task failed', async () => {
    const s = createKeyedSerializer();
    await expect(s.run('k', () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    await expect(s.run('k', async () => 1)).resolves.toBe(1);
  });
});

describe('failure classification', () => {
  it('dead-letters refusals at once and retries the rest', () => {
    expect(classify(new InventoryError('insufficient_stock', 'Only 1'))).toMatchObject({ type: 'insufficient_stock', transient: false });
    expect(classify(new MessageRefused('malformed_json', 'bad'))).toMatchObject({ type: 'malformed_json', transient: false });
    expect(classify(Object.assign(new Error('gone'), { code: 'ECONNREFUSED' }))).toMatchObject({ type: 'database_unavailable', transient: true });
    expect(classify(Object.assign(new Error('x'), { code: '57P01' }))).toMatchObject({ type: 'database_unavailable', transient: true });
    expect(classify(Object.assign(new Error('x'), { code: '40001' }))).toMatchObject({ type: 'serialization_failure', transient: true });
    expect(classify(Object.assign(new Error('x'), { code: '57014' }))).toMatchObject({ type: 'statement_cancelled', transient: true });
    expect(classify(new TypeError('bug'))).toMatchObject({ type: 'internal_error', transient: true });
  });
});

describe('metrics', () => {
  it('renders counters and gauges in the Prometheus text format, with the process figures', async () => {
    const m = createConnectorMetrics({
      inFlight: () => 2,
      outboundLagSeconds: () => 1.5,
      connections: () => ({ inbound: { up: true, reconnects: 4 }, outbound: null }),
    });
    m.applied.inc({ queue: 'onhand.order.placed' }, 3);
    m.lagBytes.set(128);
    const text = await m.registry.metrics();
    expect(text).toContain('# TYPE onhand_amqp_inbound_applied_total counter\nonhand_amqp_inbound_applied_total{queue="onhand.order.placed"} 3');
    expect(text).toContain('onhand_amqp_inbound_in_flight 2');
    expect(text).toContain('# TYPE onhand_amqp_outbound_lag_bytes gauge\nonhand_amqp_outbound_lag_bytes 128');
    expect(text).toContain('onhand_amqp_outbound_lag_seconds 1.5');
    expect(text).toContain('onhand_amqp_connection_up{role="inbound"} 1');
    expect(text).toContain('# TYPE onhand_amqp_reconnects_total counter\nonhand_amqp_reconnects_total{role="inbound"} 4');
    expect(text).not.toContain('role="outbound"');
    expect(text).toMatch(/^onhand_amqp_process_resident_memory_bytes [1-9]\d*$/m);
    expect(await metricValue(m.applied)).toBe(3);
  });
});
