// The authenticated default namespace: a token minted by the app opens the socket, and every join asks the
// database for the user's current role. The change feed tells it at once when a session ends (its sockets are
// dropped), a user is deactivated or deleted (all their sockets are dropped) or demoted (their sockets leave the
// rooms the new role may not hear).
import type { Namespace, Socket } from 'socket.io';
import type { Role } from '@/db/schema';
import { MAX_ROOMS_PER_JOIN, parseStaffRoom, type JoinResult, type StaffClientEvents, type StaffServerEvents } from '@/lib/contracts/realtime';
import { joinRequestSchema as joinRequest } from '@/lib/contracts/realtime-messages';
import { hasRole } from '@/lib/contracts/roles';
import type { RealtimeMetrics } from './metrics';
import { verifyToken } from '@/server/auth/socket-token';

export type StaffSocketData = { userId: string; sessionId: string };
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
// A page joins its rooms in one call when it opens and when it moves on: 20 joins or leaves in 10 s is far beyond
// any screen. Past it a call is refused (`rate_limited`); past twice it the socket is dropped as abusive.
export const JOINS_PER_WINDOW = 20;
const JOIN_WINDOW_MS = 10_000;
// A token lives a minute: a session that ended within the last two cannot open a socket with one minted before.
const ENDED_SESSION_MEMORY_MS = 120_000;

export type StaffAccess = {
  sessionEnded: (sessionId: string) => void;
  // role null: the user is gone. Inactive or gone: every socket of theirs is dropped.
  userChanged: (userId: string, role: Role | null, active: boolean) => void;
};

// Which role a room needs. Every warehouse is open to all staff until warehouses are assigned to users.
export const staffRoomRoles = { warehouse: 'staff', alerts: 'manager', approvals: 'manager' } as const satisfies Record<string, Role>;

export function setupStaffNamespace(nsp: StaffNamespace, d: StaffDeps): StaffAccess {
  const endedSessions = new Map<string, number>();
  // Token ids already used, with their expiry, in mint order (so pruning stops at the first live one). A token
  // opens one socket: a copy taken from a page, a log or a proxy cannot open a second.
  const usedTokens = new Map<string, number>();
  nsp.use((socket, next) => {
    if (!d.allowsOrigin(d.originOf(socket))) return next(refusal('origin_not_allowed'));
    const claims = verifyToken(d.tokenKey, (socket.handshake.auth as { token?: unknown } | undefined)?.token);
    if (!claims || endedSessions.has(claims.sid)) return next(refusal('unauthorized'));
    const now = Date.now();
    for (const [jti, exp] of usedTokens) {
      if (exp * 1000 > now) break;
      usedTokens.delete(jti);
    }
    if (usedTokens.has(claims.jti)) return next(refusal('unauthorized'));
    usedTokens.set(claims.jti, claims.exp);
    socket.data.userId = claims.sub;
    socket.data.sessionId = claims.sid;
    next();
  });

  nsp.on('connection', (socket) => {
    let windowStart = Date.now();
    let calls = 0;
    // False (and the socket dropped when it keeps on) once this socket has joined or left too often lately.
    const withinRate = () => {
      if (Date.now() - windowStart > JOIN_WINDOW_MS) {
        windowStart = Date.now();
        calls = 0;
      }
      calls++;
      if (calls > 2 * JOINS_PER_WINDOW) socket.disconnect(true);
      return calls <= JOINS_PER_WINDOW;
    };
    socket.on('join', async (raw, ack) => {
      let result: JoinResult;
      if (!withinRate()) {
        result = { joined: [], refused: roomsNamed(raw).map((room) => ({ room, reason: 'rate_limited' as const })) };
      } else {
        // Whatever a client sends, and whatever the database does, a join answers and never rejects unhandled.
        result = await join(socket, raw).catch(() => ({ joined: [], refused: roomsNamed(raw).map((room) => ({ room, reason: 'unavailable' as const })) }));
      }
      for (const r of result.refused) d.metrics.joinRefusals.inc({ reason: r.reason });
      if (typeof ack === 'function') ack(result);
    });
    socket.on('leave', (raw, ack) => {
      if (!withinRate()) return typeof ack === 'function' && ack({ left: [] });
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
        result.refused.push({ room, reason: 'too_many_rooms' });
      } else {
        await socket.join(room);
        result.joined.push(room);
      }
    }
    return result;
  }

  function drop(socket: StaffSocket, reason: 'session_ended' | 'deactivated') {
    socket.emit('signed_out', { reason });
    socket.disconnect(true);
  }

  return {
    sessionEnded(sessionId) {
      const now = Date.now();
      for (const [sid, at] of endedSessions) if (now - at > ENDED_SESSION_MEMORY_MS) endedSessions.delete(sid);
      endedSessions.set(sessionId, now);
      for (const socket of nsp.sockets.values()) if (socket.data.sessionId === sessionId) drop(socket, 'session_ended');
    },
    userChanged(userId, role, active) {
      for (const socket of nsp.sockets.values()) {
        if (socket.data.userId !== userId) continue;
        if (!role || !active) {
          drop(socket, 'deactivated');
          continue;
        }
        for (const room of socket.rooms) {
          const parsed = parseStaffRoom(room);
          if (parsed && !hasRole(role, staffRoomRoles[parsed.kind])) void socket.leave(room);
        }
      }
    },
  };
}

// The room names of a request, for refusing each by name; none when the request is not one.
function roomsNamed(raw: unknown): string[] {
  const parsed = joinRequest.safeParse(raw);
  return parsed.success ? [...new Set(parsed.data.rooms)] : [''];
}

// A handshake refusal the client reads as `connect_error` with `err.message` and `err.data.code`.
function refusal(code: 'unauthorized' | 'origin_not_allowed') {
  return Object.assign(new Error(code), { data: { code } });
}
