// Which web pages may open a socket. Staff sockets come only from the app's own origin; storefront pages from the
// origins some storefront channel lists (which channel each may read is checked again on every subscribe).
// Clients outside a browser send no Origin at all; for them the token (staff) or the public, read-only
// contract (storefront) is the guard.
import type { ChannelDirectory } from './channel-directory';

export type OriginPolicy = {
  // Checked in allowRequest, before any Socket.IO work: a page from nowhere we know gets a 403.
  allowsConnection: (origin: string | undefined) => boolean;
  allowsStaff: (origin: string | undefined) => boolean;
};

export function originPolicy(appUrl: string, channels: ChannelDirectory): OriginPolicy {
  const app = new URL(appUrl).origin;
  const allowsStaff = (origin: string | undefined) => origin === undefined || origin === app;
  return { allowsStaff, allowsConnection: (o) => allowsStaff(o) || channels.anyAllows(o) };
}
