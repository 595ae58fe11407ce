// Which web pages may open a socket. Staff sockets come only from the app's own origin; storefront sockets
// from the configured storefront origins (any, until a list is set). Clients outside a browser send no
// Origin at all; for them the token (staff) or the public, read-only contract (storefront) is the guard.

export type OriginPolicy = {
  // Checked in allowRequest, before any Socket.IO work: a page from nowhere we know gets a 403.
  allowsConnection: (origin: string | undefined) => boolean;
  allowsStaff: (origin: string | undefined) => boolean;
  allowsStorefront: (origin: string | undefined) => boolean;
};

export function originPolicy(appUrl: string, storefrontOrigins: string[] | '*'): OriginPolicy {
  const app = new URL(appUrl).origin;
  const storefront = storefrontOrigins === '*' ? '*' : new Set(storefrontOrigins.map((o) => new URL(o).origin));
  const allowsStaff = (origin: string | undefined) => origin === undefined || origin === app;
  const allowsStorefront = (origin: string | undefined) =>
    origin === undefined || origin === app || storefront === '*' || storefront.has(origin);
  return { allowsStaff, allowsStorefront, allowsConnection: (o) => allowsStaff(o) || allowsStorefront(o) };
}

// ONHAND_STOREFRONT_ORIGINS: a comma-separated list of origins, or unset / `*` for any.
export function storefrontOriginsFromEnv(value: string | undefined): string[] | '*' {
  const list = (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return list.length === 0 || list.includes('*') ? '*' : list;
}
