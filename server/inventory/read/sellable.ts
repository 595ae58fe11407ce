// "Sellable" as the allocation rule means it (server/inventory/kernel/allocation.ts): the flag set and kind pick or
// storage. Availability counts exactly what a reservation could hold, so a storefront never shows stock a hold would refuse.
import { and, eq, inArray } from 'drizzle-orm';
import { locations } from '@/db/schema';

export const SELLABLE_KINDS = ['pick', 'storage'] as const;

export const sellableLocation = () => and(eq(locations.sellable, true), inArray(locations.kind, [...SELLABLE_KINDS]));
