// Roles are ranked: a manager may do what staff may, an admin what a manager may.
import type { Role } from '@/db/schema';

export const roles: readonly Role[] = ['staff', 'manager', 'admin'];

export function hasRole(actual: string | null | undefined, needed: Role): boolean {
  const a = roles.indexOf(actual as Role);
  return a >= 0 && a >= roles.indexOf(needed);
}

export const roleLabel: Record<Role, string> = { staff: 'Staff', manager: 'Manager', admin: 'Admin' };
