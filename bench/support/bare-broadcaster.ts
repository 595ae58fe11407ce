// The realtime benchmark's same-run baseline: a bare Socket.IO server with the sidecar's rooms and namespaces and
// nothing else (no database feed, no authorization, no validation). The orchestrator asks it over IPC to broadcast
// messages shaped like the sidecar's, so the same clients measure what Socket.IO itself costs on this machine.
import http from 'node:http';
import { Server } from 'socket.io';
import { STOREFRONT_NAMESPACE, rooms } from '@/lib/contracts/realtime';
import type { AvailabilityMessage, LevelMessage } from '@/lib/contracts/realtime-messages';

export type BareEmit = { type: 'emit'; id: number; level: LevelMessage; availability: AvailabilityMessage };

const server = http.createServer();
const io = new Server(server, { transports: ['websocket'] });
io.on('connection', (s) => {
  s.on('join', (req: { rooms: string[] }, ack: (r: unknown) => void) => {
    void s.join(req.rooms);
    ack({ joined: req.rooms, refused: [] });
  });
});
io.of(STOREFRONT_NAMESPACE).on('connection', (s) => {
  s.on('subscribe', (req: { skus: string[] }, ack: (r: unknown) => void) => {
    void s.join(req.skus.map(rooms.sku));
    ack({ subscribed: req.skus });
  });
});
process.on('message', (m: BareEmit) => {
  io.to(rooms.warehouse(m.level.warehouseId)).emit('level', m.level);
  io.of(STOREFRONT_NAMESPACE).to(rooms.sku(m.availability.sku)).emit('availability', m.availability);
  process.send?.({ type: 'emitted', id: m.id });
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.({ type: 'listening' }));
process.on('disconnect', () => process.exit(0));
