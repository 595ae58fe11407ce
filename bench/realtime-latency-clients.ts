// One client process of the realtime benchmark: opens its share of the sockets, timestamps every message, and
// at the end turns timestamps into latencies against the commit times the orchestrator sends over IPC.
// Its own process, so parsing thousands of messages a second does not delay the writers' clocks.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import { STOREFRONT_NAMESPACE, type AvailabilityMessage, type LevelMessage } from '@/lib/contracts/realtime';
import { encodeFloats, type ClientsConfig, type ClientsResult, type CommitTimes } from './realtime-latency-support';

const now = () => performance.timeOrigin + performance.now();
const config = JSON.parse(readFileSync(process.env.BENCH_CLIENTS_FILE!, 'utf8')) as ClientsConfig;
const staffSamples: { k: string; t: number }[] = [];
const shopSamples: { k: string; t: number }[] = [];
const sockets: Socket[] = [];

let nextToken = 0;
async function open(staff: boolean) {
  const s = staff
    ? io(config.url, { transports: ['websocket'], forceNew: true, auth: { token: config.tokens[nextToken++] } })
    : io(`${config.url}${STOREFRONT_NAMESPACE}`, { transports: ['websocket'], forceNew: true });
  sockets.push(s);
  await new Promise<void>((resolve, reject) => (s.once('connect', () => resolve()), s.once('connect_error', reject)));
  // Timestamped on frame receipt: the engine's 'packet' fires for each WebSocket frame before Socket.IO decodes it
  // and calls the handler below, in the same tick.
  let frameAt = 0;
  s.io.engine.on('packet', () => (frameAt = now()));
  if (staff) {
    await s.timeout(10_000).emitWithAck('join', { rooms: [`warehouse:${config.warehouseId}`] });
    s.on('level', (m: LevelMessage) => staffSamples.push({ k: `${m.sku}|${m.locationCode}|${m.version}`, t: frameAt }));
  } else {
    await s.timeout(10_000).emitWithAck('subscribe', { skus: config.skus });
    s.on('availability', (m: AvailabilityMessage) => shopSamples.push({ k: `${m.sku}|${m.version}`, t: frameAt }));
  }
}

async function main() {
  const kinds = [...Array(config.staff).fill(true), ...Array(config.storefront).fill(false)] as boolean[];
  for (let i = 0; i < kinds.length; i += 50) await Promise.all(kinds.slice(i, i + 50).map(open));
  process.send?.({ type: 'ready' });
  process.on('message', (m: { type: 'count' } | { type: 'finish'; times: CommitTimes }) => {
    if (m.type === 'count') return void process.send?.({ type: 'count', staff: staffSamples.length });
    const since = (samples: typeof staffSamples, at: Record<string, number>) => samples.filter((s) => s.k in at).map((s) => s.t - at[s.k]);
    const result: ClientsResult = {
      type: 'result',
      staffDeliveries: staffSamples.length,
      staffFromAck: encodeFloats(since(staffSamples, m.times.acked)),
      staffFromSent: encodeFloats(since(staffSamples, m.times.sent)),
      shopFromAck: encodeFloats(since(shopSamples, m.times.skuAcked)),
      shopFromSent: encodeFloats(since(shopSamples, m.times.skuSent)),
    };
    sockets.forEach((s) => s.close());
    process.send?.(result, () => process.exit(0));
  });
  process.on('disconnect', () => process.exit(0));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
