// The authenticated default namespace: a token minted by the app opens the socket, and every join asks the
// database for the user's current role, so a demoted or deleted user stops receiving at the next join.
import type { Namespace, Socket } from 'socket.io';
import type { Role } from '@/db/schema';
import { MAX_ROOMS_PER_JOIN, parseStaffRoom, type JoinResult, type StaffClientEvents, type StaffServerEvents } from '@/lib/contracts/realtime';
import { joinRequestSchema as joinRequest } from '@/lib/contracts/realtime-messages';
import { hasRole } from '@/lib/contracts/roles';
import type { RealtimeMetrics } from './metrics';
import { verifyToken } from '@/server/auth/socket-token';

export type StaffSocketData = { userId: string };
export type StaffNamespace = Namespace<StaffClientEvents, StaffServerEvents, Record<string, never>, StaffSocketData>;
type StaffSocket = Socket<StaffClientEvents, StaffServerEvents, Record<string, never>, StaffSocketData>;

export type StaffDeps = {
  tokenKey: Buffer;
  allowsOrigin: (origin: string | undefined) => boolean;
  originOf: (socket: StaffSocket) => string | undefined;
  // The user's role now, or null if there is no such user; throws when the database cannot say.
  currentRole: (userId: string) => Promise<Role | null>;
  warehouseExists: (id: number) => Promise<boolean>;
  metrics: RealtimeMetrics;
};

const MAX_ROOMS_PER_SOCKET = MAX_ROOMS_PER_JOIN;

// Which role a room needs. Every warehouse is open to all staff until warehouses are assigned to users.
export const staffRoomRoles = { warehouse: 'staff', alerts: 'manager' } as const satisfies Record<string, Role>;

export function setupStaffNamespace(nsp: StaffNamespace, d: StaffDeps) {
  nsp.use((socket, next) => {
    if (!d.allowsOrigin(d.originOf(socket))) return next(refusal('origin_not_allowed'));
    const claims = verifyToken(d.tokenKey, (socket.handshake.auth as { token?: unknown } | undefined)?.token);
    if (!claims) return next(refusal('unauthorized'));
    socket.data.userId = claims.sub;
    next();
  });

  nsp.on('connection', (socket) => {
    socket.on('join', async (raw, ack) => {
      const result = await join(socket, raw);
      for (const r of result.refused) d.metrics.joinRefusals.inc({ reason: r.reason });
      if (typeof ack === 'function') ack(result);
    });
    socket.on('leave', (raw, ack) => {
      const parsed = joinRequest.safeParse(raw);
      const left = parsed.success ? parsed.data.rooms.filter((r) => parseStaffRoom(r) && socket.rooms.has(r)) : [];
      for (const r of left) void socket.leave(r);
      if (typeof ack === 'function') ack({ left });
    });
  });

  async function join(socket: StaffSocket, raw: unknown): Promise<JoinResult> {
    const parsed = joinRequest.safeParse(raw);
    if (!parsed.success) return { joined: [], refused: [{ room: '', reason: 'invalid' }] };
    const wanted = [...new Set(parsed.data.rooms)];
    let role: Role | null;
    try {
      role = await d.currentRole(socket.data.userId);
    } catch {
      return { joined: [], refused: wanted.map((room) => ({ room, reason: 'unavailable' as const })) };
    }
    const result: JoinResult = { joined: [], refused: [] };
    for (const room of wanted) {
      const parsedRoom = parseStaffRoom(room);
      if (!parsedRoom) {
        result.refused.push({ room, reason: 'invalid' });
      } else if (!hasRole(role, staffRoomRoles[parsedRoom.kind])) {
        result.refused.push({ room, reason: 'forbidden' });
      } else if (parsedRoom.kind === 'warehouse' && !(await d.warehouseExists(parsedRoom.warehouseId))) {
        result.refused.push({ room, reason: 'unknown_room' });
      } else if (!socket.rooms.has(room) && socket.rooms.size > MAX_ROOMS_PER_SOCKET) {
        result.refused.push({ room, reason: 'invalid' });
      } else {
        await socket.join(room);
        result.joined.push(room);
      }
    }
    return result;
  }
}

// A handshake refusal the client reads as `connect_error` with `err.message` and `err.data.code`.
function refusal(code: 'unauthorized' | 'origin_not_allowed') {
  return Object.assign(new Error(code), { data: { code } });
}
