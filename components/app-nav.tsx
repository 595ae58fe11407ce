'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { hasRole, type Role } from '@/lib/contracts/roles';
import { AlertNavCount } from './alerts/alert-nav-count';
import { ApprovalNavCount } from './approvals/approval-nav-count';

const items: { href: string; label: string; role: Role }[] = [
  { href: '/stock', label: 'Stock', role: 'staff' },
  { href: '/receiving', label: 'Receiving', role: 'staff' },
  { href: '/orders', label: 'Orders', role: 'staff' },
  { href: '/picking', label: 'Picking', role: 'staff' },
  { href: '/counts', label: 'Counts', role: 'staff' },
  { href: '/transfers', label: 'Transfers', role: 'staff' },
  { href: '/adjust', label: 'Adjust', role: 'manager' },
  { href: '/approvals', label: 'Approvals', role: 'manager' },
  { href: '/products', label: 'Products', role: 'manager' },
  { href: '/warehouses', label: 'Warehouses', role: 'manager' },
  { href: '/suppliers', label: 'Suppliers', role: 'manager' },
  { href: '/purchase-orders', label: 'Purchase orders', role: 'manager' },
  { href: '/import', label: 'Import', role: 'manager' },
  { href: '/alerts', label: 'Alerts', role: 'manager' },
  { href: '/activity', label: 'Activity', role: 'manager' },
  { href: '/settings', label: 'Settings', role: 'admin' },
];

export function AppNav({ role }: { role: Role }) {
  const path = usePathname();
  return (
    <nav aria-label="Main" className="flex gap-1 overflow-x-auto px-2 pb-2 lg:flex-col lg:px-2 lg:pb-0">
      {items
        .filter((i) => hasRole(role, i.role))
        .map((i) => {
          const active = path === i.href || path.startsWith(`${i.href}/`);
          return (
            <Link
              key={i.href}
              href={i.href}
              aria-current={active ? 'page' : undefined}
              className={`flex min-h-11 items-center gap-2 rounded-md px-3 text-sm font-medium whitespace-nowrap ${
                active ? 'bg-brand-50 text-brand-700' : 'text-slate-700 hover:bg-slate-100'
              }`}
            >
              {i.label}
              {i.href === '/alerts' ? <AlertNavCount /> : null}
              {i.href === '/approvals' ? <ApprovalNavCount /> : null}
            </Link>
          );
        })}
    </nav>
  );
}
