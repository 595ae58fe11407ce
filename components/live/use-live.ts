'use client';

// The one realtime hook: gets a socket token from the app, connects to the sidecar, joins the rooms that the
// queries on screen need, and turns messages into cache patches or invalidations (components/live/live-cache).
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { JoinResult, RealtimeTokenResponse, StaffClientEvents, StaffServerEvents } from '@/lib/contracts/realtime';
import { createLiveCache, roomsFor, type Access } from './live-cache';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'offline' | 'signed_out';

const ROOM_SYNC_MS = 100;
const RETRY_MS = 3000;

class SignedOut extends Error {}

async function fetchToken(): Promise<RealtimeTokenResponse> {
  const res = await fetch('/api/realtime/token', { method: 'POST', headers: { accept: 'application/json' } });
  if (res.status === 401) throw new SignedOut('signed out');
  if (!res.ok) throw new Error(`token route answered ${res.status}`);
  return (await res.json()) as RealtimeTokenResponse;
}

export function useLive(): LiveStatus {
  const client = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>('connecting');

  useEffect(() => {
    let closed = false;
    let access: Access | null = null;
    let socket: Socket<StaffServerEvents, StaffClientEvents> | null = null;
    let joined = new Set<string>();
    let connectedOnce = false;
    // Set on a reconnect: the next room sync ends with a full refetch.
    let catchUp = false;
    let signedOut = false;
    let syncTimer: ReturnType<typeof setTimeout> | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | null = null;
    const live = createLiveCache(client, () => access);

    // Joins what the screen needs and leaves what it no longer shows; refetches what joined late.
    async function syncRooms() {
      syncTimer = null;
      if (!socket?.connected || !access) return;
      const wanted = roomsFor(client.getQueryCache().getAll(), access);
      const toJoin = [...wanted].filter((r) => !joined.has(r));
      const toLeave = [...joined].filter((r) => !wanted.has(r));
      if (toLeave.length) {
        socket.emit('leave', { rooms: toLeave });
        toLeave.forEach((r) => joined.delete(r));
      }
      const full = catchUp;
      catchUp = false;
      if (toJoin.length) {
        const res: JoinResult | null = await socket.timeout(10_000).emitWithAck('join', { rooms: toJoin }).catch(() => null);
        if (!res || closed) {
          catchUp ||= full;
          return;
        }
        res.joined.forEach((r) => joined.add(r));
      }
      // After a reconnect everything may be stale; otherwise only what was fetched before these rooms were joined.
      if (full) live.refetchAll();
      else if (toJoin.length) live.refetchFetchedBefore(Date.now());
    }
    const scheduleSync = () => {
      syncTimer ??= setTimeout(() => void syncRooms(), ROOM_SYNC_MS);
    };
    const unsubscribeCache = client.getQueryCache().subscribe((e) => {
      if (e.type === 'observerAdded' || e.type === 'observerRemoved' || e.type === 'removed') scheduleSync();
    });

    async function start() {
      let first: RealtimeTokenResponse;
      try {
        first = await fetchToken();
      } catch (e) {
        if (closed) return;
        if (e instanceof SignedOut) return setStatus('signed_out');
        setStatus('reconnecting');
        retryTimer = setTimeout(() => void start(), RETRY_MS);
        return;
      }
      if (closed) return;
      access = first;
      let spare: RealtimeTokenResponse | null = first;
      socket = io(first.url, {
        transports: ['websocket', 'polling'],
        // A fresh token on every (re)connection: they live a minute; the first fetch's is used once.
        auth: (cb) => {
          const t = spare;
          spare = null;
          if (t) return cb({ token: t.token });
          fetchToken().then(
            (fresh) => {
              access = fresh;
              cb({ token: fresh.token });
            },
            (e) => {
              signedOut = e instanceof SignedOut;
              cb({});
            },
          );
        },
      });
      socket.on('connect', () => {
        setStatus('live');
        joined = new Set();
        catchUp = connectedOnce;
        connectedOnce = true;
        void syncRooms();
      });
      socket.on('disconnect', (reason) => {
        if (closed || signedOut) return;
        setStatus('reconnecting');
        // A disconnect the sidecar chose is not retried by the client itself: ask again, with a fresh token.
        if (reason === 'io server disconnect') socket?.connect();
      });
      // The session ended (signed out elsewhere, deactivated, demoted): the sidecar drops the socket and does not
      // want it back. Nothing on this page is live any more; the next action or page load goes to sign-in.
      socket.on('signed_out', () => {
        signedOut = true;
        if (!closed) setStatus('signed_out');
      });
      socket.on('connect_error', () => {
        if (closed) return;
        if (signedOut) return setStatus('signed_out');
        setStatus('reconnecting');
        // A refused handshake (expired or missing token) is not retried by the client itself.
        if (!socket?.active) retryTimer = setTimeout(() => socket?.connect(), RETRY_MS);
      });
      socket.on('level', live.onLevel);
      socket.on('alert', live.onAlert);
      socket.on('place', live.onPlace);
      socket.on('approval', live.onApproval);
      socket.on('resync', live.refetchAll);
    }
    void start();

    return () => {
      closed = true;
      unsubscribeCache();
      live.dispose();
      if (syncTimer) clearTimeout(syncTimer);
      if (retryTimer) clearTimeout(retryTimer);
      socket?.close();
    };
  }, [client]);

  return status;
}
