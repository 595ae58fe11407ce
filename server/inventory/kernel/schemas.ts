// The zod pieces every command shares. The REST API and the OpenAPI document are built from the same schemas.
import '#server-only';
import { z } from 'zod';

export const MAX_QTY = 1_000_000;
// An idempotency key is a caller's token (a UUID is 36): bounded, so no caller can reach the key index with a
// value it cannot hold (PostgreSQL refuses index rows over about 2.7 KB).
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

export const qty = z
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .positive('must be at least 1')
  .max(MAX_QTY, `must be at most ${MAX_QTY.toLocaleString('en')}`);

const code = (what: string) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? `${what} is required` : `${what} must be a string`) })
    .trim()
    .min(1, `${what} is required`)
    .max(64, `${what} is at most 64 characters`)
    .regex(/^[\p{L}\p{N}._\-/ ]+$/u, `${what} may contain letters, digits, space and . _ - / only`);

export const sku = code('SKU');
export const warehouseCode = code('warehouse code');
export const locationCode = code('location code');

// SKUs read in one call (sku=A&sku=B): availability and stock levels take the same list.
export const MAX_SKUS_PER_CALL = 100;
export const skuList = z
  .array(sku, { error: 'give at least one sku parameter' })
  .min(1, 'give at least one sku parameter')
  .max(MAX_SKUS_PER_CALL, `at most ${MAX_SKUS_PER_CALL} SKUs per call`)
  .meta({ description: `Repeat the parameter for several SKUs (sku=A&sku=B), at most ${MAX_SKUS_PER_CALL}.` });

export const reference = z.string().trim().min(1).max(200).optional();
export const note = z.string().trim().max(1000).optional();

export const locationRef = { warehouse: warehouseCode, location: locationCode };

// Shopify's reason codes, plus the floor's own (expired, returned).
export const adjustmentReasons = [
  'received',
  'correction',
  'cycle_count',
  'damaged',
  'lost',
  'found',
  'shrinkage',
  'expired',
  'returned',
  'restock',
  'other',
] as const;
// The reason on ledger rows written by a CSV import (opening stock, count results). Not offered on the floor's
// adjustment form, so it is kept apart from the reasons a person picks; reason_code is text, no enum to migrate.
export const IMPORT_REASON = 'import';
export const adjustmentReason = z.enum(adjustmentReasons, { error: `must be one of ${adjustmentReasons.join(', ')}` });

// Orders are named by their id, or by the caller's reference within a sales channel.
export const orderId = z.uuid({ error: 'must be an order id (UUID)' });
export const orderReference = z.string({ error: 'reference is required' }).trim().min(1, 'reference is required').max(200);
export const channel = z.string().trim().min(1).max(64).default('api');
// A storefront channel's key (channels.key), as the channel admin spells it.
export const storefrontChannel = z.string().trim().min(1, 'name a channel').max(40, 'at most 40 characters');

// Inputs that take an order id or a reference (+ channel) refine with this: exactly one of the two.
export const exactlyOneOrderRef = (id: unknown, ref: unknown) => (id === undefined) !== (ref === undefined);
