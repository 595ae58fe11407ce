// Roles are ranked: a manager may do what staff may, an admin what a manager may. A contract: screens hide what a
// role may not do, and every action and route checks the same rule on the server.
import type { Role } from '@/db/schema';

export type { Role };

export const roles: readonly Role[] = ['staff', 'manager', 'admin'];

export function hasRole(actual: string | null | undefined, needed: Role): boolean {
  const a = roles.indexOf(actual as Role);
  return a >= 0 && a >= roles.indexOf(needed);
}

export const roleLabel: Record<Role, string> = { staff: 'Staff', manager: 'Manager', admin: 'Admin' };
