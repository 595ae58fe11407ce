// The sidecar's copy of the storefront channels: loaded with every snapshot and again whenever the feed shows a
// channel row change, so an admin's edit (a new origin, another warehouse) takes effect without a restart.
import { channelAllowsOrigin, DEFAULT_CHANNEL, normalizeOrigin, type StorefrontChannel } from '@/server/storefront/channels';
import type { FigureScope } from './availability-cache';

export type ResolvedChannel = StorefrontChannel & { scope: FigureScope };

export class ChannelDirectory {
  private byKey = new Map<string, ResolvedChannel>();
  private readonly appOrigin: string | undefined;
  private markLoaded: () => void = () => {};
  // Resolves once the channels have been read: until then no channel name can be judged, not even `default`.
  readonly loaded = new Promise<void>((resolve) => (this.markLoaded = resolve));
  isLoaded = false;

  constructor(appUrl?: string) {
    this.appOrigin = appUrl ? (normalizeOrigin(appUrl) ?? undefined) : undefined;
  }

  replace(list: StorefrontChannel[]) {
    this.isLoaded = true;
    this.markLoaded();
    this.byKey = new Map(
      list.map((c) => [
        c.key,
        { ...c, scope: { warehouses: c.warehouseIds.length ? new Set(c.warehouseIds) : null, lowStockThreshold: c.lowStockThreshold, buffer: c.buffer } },
      ]),
    );
  }

  get size() {
    return this.byKey.size;
  }

  // A request that names no channel reads the default one.
  resolve(name: string | undefined): ResolvedChannel | null {
    return this.byKey.get(name ?? DEFAULT_CHANNEL) ?? null;
  }

  allows(channel: ResolvedChannel, origin: string | null | undefined): boolean {
    return channelAllowsOrigin(channel, origin, this.appOrigin);
  }

  // For the handshake, before any channel is named: a page no channel lists is turned away at the door.
  anyAllows(origin: string | null | undefined): boolean {
    for (const c of this.byKey.values()) if (this.allows(c, origin)) return true;
    return !origin || normalizeOrigin(origin) === this.appOrigin;
  }
}
