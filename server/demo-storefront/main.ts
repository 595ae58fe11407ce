// The demo storefront `npm start` serves on its own origin (DEMO_STOREFRONT_PORT, default 3003): a shop page that
// embeds Onhand's availability badge exactly as a real shop would, from the realtime sidecar's URL.
import http from 'node:http';
import { connect } from '@/db/client';
import { DEMO_CHANNEL, ensureDemoChannel, pickShowcase } from './catalogue';
import { shopPage } from './page';

const port = Number(process.env.DEMO_STOREFRONT_PORT ?? 3003);
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('DATABASE_URL is not set: start Onhand with `npm start`, which provides it.');
const realtimeUrl = process.env.REALTIME_PUBLIC_URL ?? `http://localhost:${process.env.REALTIME_PORT ?? 3001}`;

const conn = connect(databaseUrl, { max: 2 });
await ensureDemoChannel(conn.db, [`http://localhost:${port}`, `http://127.0.0.1:${port}`]);
const showcase = await pickShowcase(conn.db);

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', `http://localhost:${port}`);
  if (url.pathname === '/health') return res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
  if (url.pathname !== '/') return res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
  try {
    const asked = url.searchParams.getAll('sku').filter(Boolean).slice(0, 100);
    const items = asked.length ? await pickShowcase(conn.db, asked) : showcase;
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    // ?channel= shows another channel's figures: one that does not list this shop's origin shows Unavailable.
    const channel = url.searchParams.get('channel')?.trim() || DEMO_CHANNEL;
    res.end(shopPage({ items, realtimeUrl, channel }));
  } catch (e) {
    console.error('[storefront] page failed', e);
    res.writeHead(500, { 'Content-Type': 'text/plain' }).end('The demo storefront could not read its catalogue.');
  }
});
server.listen(port, () => console.log(`[storefront] demo shop on :${port}`));

const stop = () => server.close(() => void conn.close().finally(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
