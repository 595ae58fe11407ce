// <onhand-availability sku="..." channel="...">: the live availability badge storefronts embed with one script tag
// served by the realtime sidecar. It speaks the Socket.IO v4 wire protocol over a plain WebSocket (the official
// client would be ~15 kB gzipped of a page that is not ours; this file is ~2 kB), subscribes every badge on the
// page in one batch per channel, and falls back to polling GET /api/v1/availability while the socket is down.
// Shadow DOM keeps storefront CSS out and ours in; ::part() and CSS custom properties are the theming surface.
import type { AvailabilityMessage, StockStatus, SubscribeResult } from '@/lib/contracts/realtime';

type State = StockStatus | 'unavailable' | 'loading';
type Figure = { available: number; status: StockStatus; version: number };

const NAMESPACE = '/storefront';
const POLL_MS = 15_000;
const MAX_BATCH = 100;
const TEXT: Record<State, string> = {
  loading: 'Checking stock…',
  in_stock: 'In stock',
  low_stock: 'Only {n} left',
  out_of_stock: 'Out of stock',
  unavailable: 'Unavailable',
};

const script = document.currentScript as HTMLScriptElement | null;
const base = new URL(script?.src ?? location.href);
const defaultChannel = script?.dataset.channel || 'default';

// ---------------------------------------------------------------- one connection per page, shared by all badges

const badges = new Set<OnhandAvailability>();
const figures = new Map<string, Figure | null>(); // channel|sku → figure, null when the SKU is unknown
let ws: WebSocket | null = null;
let connected = false;
let ackId = 0;
const acks = new Map<number, (r: SubscribeResult) => void>();
let retry = 1000;
let pollTimer: ReturnType<typeof setTimeout> | undefined;
let flushQueued = false;
const pending = new Set<OnhandAvailability>();

const keyOf = (channel: string, sku: string) => `${channel}|${sku}`;

function connect() {
  const url = new URL('/socket.io/', base);
  url.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
  url.search = 'EIO=4&transport=websocket';
  const sock = (ws = new WebSocket(url));
  sock.onmessage = (e) => onPacket(String(e.data));
  sock.onclose = () => {
    if (ws !== sock) return;
    ws = null;
    connected = false;
    acks.clear();
    startPolling();
    setTimeout(connect, retry);
    retry = Math.min(retry * 2, 30_000);
  };
}

function send(packet: string) {
  if (ws?.readyState === 1) ws.send(packet);
}

// Engine.IO: 0 open, 2 ping (answer 3), 4 message. Socket.IO inside a message: 0 connect, 2 event, 3 ack, 4 error.
function onPacket(p: string) {
  if (p[0] === '0') return send(`40${NAMESPACE},`);
  if (p === '2') return send('3');
  if (p[0] !== '4' || !p.startsWith(NAMESPACE, 2)) return;
  const kind = p[1];
  const rest = p.slice(2 + NAMESPACE.length + 1);
  if (kind === '0') {
    connected = true;
    retry = 1000;
    stopPolling();
    badges.forEach((b) => pending.add(b));
    return flush();
  }
  if (kind === '4') return ws?.close(); // refused at the door (origin not allowed): fall back to REST
  const at = rest.indexOf('[');
  const id = Number(rest.slice(0, at));
  const data = JSON.parse(rest.slice(at));
  if (kind === '3') {
    acks.get(id)?.(data[0]);
    return acks.delete(id);
  }
  if (kind === '2' && data[0] === 'availability') return apply(data[1] as AvailabilityMessage);
  if (kind === '2' && data[0] === 'resync') {
    // The sidecar may have missed changes: ask again for everything and take the answers as they come.
    for (const k of figures.keys()) figures.delete(k);
    badges.forEach((b) => pending.add(b));
    flush();
  }
}

function emitSubscribe(channel: string, skus: string[]) {
  const id = ++ackId;
  acks.set(id, (r) => {
    if (!r.ok) return skus.forEach((s) => set(channel, s, null));
    for (const f of r.items) {
      figures.delete(keyOf(channel, f.sku)); // the answer is current: accept it whatever version was held
      apply(f);
    }
    r.unknown.forEach((s) => set(channel, s, null));
  });
  send(`42${NAMESPACE},${id}${JSON.stringify(['subscribe', { skus, channel }])}`);
}

// Versions only grow, so an older message arriving late never overwrites a newer figure.
function apply(m: AvailabilityMessage) {
  const held = figures.get(keyOf(m.channel, m.sku));
  if (held && held.version > m.version) return;
  set(m.channel, m.sku, { available: m.available, status: m.status, version: m.version });
}

function set(channel: string, sku: string, f: Figure | null) {
  figures.set(keyOf(channel, sku), f);
  badges.forEach((b) => b.sku === sku && b.channel === channel && b.render());
}

function queue(b: OnhandAvailability) {
  pending.add(b);
  if (flushQueued) return;
  flushQueued = true;
  queueMicrotask(flush);
}

// Every badge added in the same tick goes out in one subscribe per channel (or one REST call while offline).
function flush() {
  flushQueued = false;
  if (!connected) return void poll();
  for (const [channel, skus] of byChannel([...pending])) {
    for (let i = 0; i < skus.length; i += MAX_BATCH) emitSubscribe(channel, skus.slice(i, i + MAX_BATCH));
  }
  pending.clear();
}

function byChannel(list: Iterable<OnhandAvailability>): Map<string, string[]> {
  const out = new Map<string, Set<string>>();
  for (const b of list) if (b.sku) out.set(b.channel, (out.get(b.channel) ?? new Set()).add(b.sku));
  return new Map([...out].map(([c, s]) => [c, [...s]]));
}

// ---------------------------------------------------------------- REST fallback while the socket is down

function startPolling() {
  if (pollTimer === undefined) pollTimer = setTimeout(poll, 0);
}
function stopPolling() {
  clearTimeout(pollTimer);
  pollTimer = undefined;
}

async function poll() {
  clearTimeout(pollTimer);
  pollTimer = setTimeout(poll, POLL_MS);
  pending.clear();
  for (const [channel, skus] of byChannel(badges)) {
    for (let i = 0; i < skus.length; i += MAX_BATCH) {
      const part = skus.slice(i, i + MAX_BATCH);
      const url = new URL('/api/v1/availability', base);
      part.forEach((s) => url.searchParams.append('sku', s));
      url.searchParams.set('channel', channel);
      try {
        const res = await fetch(url, { mode: 'cors' });
        if (!res.ok) throw new Error(String(res.status));
        const body = (await res.json()) as { items: { sku: string; available: number; status: StockStatus }[]; unknown: string[] };
        if (connected) return; // the socket came back meanwhile: its answers win
        for (const f of body.items) set(channel, f.sku, { available: f.available, status: f.status, version: -1 });
        body.unknown.forEach((s) => set(channel, s, null));
      } catch {
        // No socket and no REST: the page cannot know, so it must not claim stock.
        if (!connected) part.forEach((s) => set(channel, s, null));
      }
    }
  }
}

// ---------------------------------------------------------------- the element

const css = `
:host{display:inline-block;font:var(--onhand-font,500 0.875rem/1.25 system-ui,sans-serif)}
[part=badge]{display:inline-flex;align-items:center;gap:.4em;padding:var(--onhand-padding,.2em .6em);
border-radius:var(--onhand-radius,999px);background:var(--onhand-background,#f4f4f5);color:var(--onhand-color,#18181b)}
[part=dot]{width:.55em;height:.55em;border-radius:50%;background:var(--c)}
:host([state=in_stock]){--c:var(--onhand-in-stock-color,#15803d)}
:host([state=low_stock]){--c:var(--onhand-low-stock-color,#b45309)}
:host([state=out_of_stock]){--c:var(--onhand-out-of-stock-color,#b91c1c)}
:host([state=unavailable]),:host([state=loading]){--c:var(--onhand-unavailable-color,#71717a)}`;

class OnhandAvailability extends HTMLElement {
  static observedAttributes = ['sku', 'channel'];
  private label: HTMLElement;

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    root.innerHTML = `<style>${css}</style><span part="badge" role="status" aria-live="polite"><span part="dot" aria-hidden="true"></span><span part="label"></span></span>`;
    this.label = root.querySelector('[part=label]') as HTMLElement;
  }
  get sku() {
    return (this.getAttribute('sku') ?? '').trim();
  }
  get channel() {
    return (this.getAttribute('channel') || defaultChannel).trim();
  }
  connectedCallback() {
    badges.add(this);
    this.render();
    if (!ws) connect();
    queue(this);
  }
  disconnectedCallback() {
    badges.delete(this);
    pending.delete(this);
  }
  attributeChangedCallback() {
    if (!this.isConnected) return;
    this.render();
    queue(this);
  }
  render() {
    const f = figures.get(keyOf(this.channel, this.sku));
    const state: State = f === undefined ? 'loading' : f === null ? 'unavailable' : f.status;
    const text = (this.getAttribute(`text-${state.replace(/_/g, '-')}`) ?? TEXT[state]).replace('{n}', String(f?.available ?? ''));
    const changed = this.getAttribute('state') !== state || this.label.textContent !== text;
    this.setAttribute('state', state);
    this.label.textContent = text;
    if (changed && state !== 'loading') {
      const detail = { sku: this.sku, state, available: f ? f.available : null };
      this.dispatchEvent(new CustomEvent('onhand-availability', { detail, bubbles: true, composed: true }));
    }
  }
}

if (!customElements.get('onhand-availability')) customElements.define('onhand-availability', OnhandAvailability);
