import type { OrderStatus } from '@/lib/contracts/orders';

// The states the page filters by, in the order an order moves through them; `open` is never left standing
// (an order is created allocated), so it has no tab of its own.
export const STATE_TABS: { status: OrderStatus; label: string; icon: string; cls: string }[] = [
  { status: 'allocated', label: 'Allocated', icon: '◔', cls: 'bg-sky-50 text-sky-900' },
  { status: 'picking', label: 'Picking', icon: '◑', cls: 'bg-amber-50 text-amber-900' },
  { status: 'picked', label: 'Picked', icon: '◕', cls: 'bg-indigo-50 text-indigo-900' },
  { status: 'shipped', label: 'Shipped', icon: '●', cls: 'bg-emerald-50 text-emerald-900' },
  { status: 'cancelled', label: 'Cancelled', icon: '✕', cls: 'bg-slate-100 text-slate-700' },
];

export const stateLook = (s: OrderStatus) => STATE_TABS.find((t) => t.status === s) ?? { status: s, label: 'Open', icon: '○', cls: 'bg-slate-50 text-slate-700' };

// Shipped and cancelled orders hold nothing and cannot be cancelled (again).
export const cancellable = (s: OrderStatus) => s !== 'shipped' && s !== 'cancelled';
