// The short names the reads' SQL gives its tables (FROM stock_levels s JOIN locations l ...), as drizzle aliases:
// a fragment built from schema columns (the availability rule, a typed selection) renders with the same names,
// and a column renamed in db/schema.ts fails to compile wherever it is used.
import '#server-only';
import { alias } from 'drizzle-orm/pg-core';
import { locations, products, stockLevels, warehouses } from '@/db/schema';
import { productWarehouseSettings, purchaseOrderLines, purchaseOrders, stockMovements } from '@/db/schema';

export const l = alias(locations, 'l');
export const s = alias(stockLevels, 's');
export const p = alias(products, 'p');
export const w = alias(warehouses, 'w');
export const m = alias(stockMovements, 'm');
export const pws = alias(productWarehouseSettings, 'pws');
export const po = alias(purchaseOrders, 'po');
export const pol = alias(purchaseOrderLines, 'pol');
