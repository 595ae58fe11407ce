// The whole data model. Row types are derived from it ($inferSelect), never written by hand.
// Quantities are whole units in int4: the API refuses anything past 2^31 before it reaches SQL.
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgSequence,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const createdAt = () => ts('created_at').notNull().defaultNow();

// ---------------------------------------------------------------- auth (better-auth's tables)

export const roleEnum = pgEnum('role', ['staff', 'manager', 'admin']);

export const users = pgTable('users', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  email: text('email').notNull().unique(),
  emailVerified: boolean('email_verified').notNull().default(false),
  image: text('image'),
  role: roleEnum('role').notNull().default('staff'),
  // A deactivated user cannot sign in; their sessions are ended when they are deactivated.
  active: boolean('active').notNull().default(true),
  // Set when an admin gave the password (a one-time password): the user must choose their own before anything else.
  mustChangePassword: boolean('must_change_password').notNull().default(false),
  lastSignedInAt: ts('last_signed_in_at'),
  createdAt: createdAt(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    expiresAt: ts('expires_at').notNull(),
    token: text('token').notNull().unique(),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    ipAddress: text('ip_address'),
    userAgent: text('user_agent'),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

export const accounts = pgTable(
  'accounts',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id').notNull(),
    providerId: text('provider_id').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    accessToken: text('access_token'),
    refreshToken: text('refresh_token'),
    idToken: text('id_token'),
    accessTokenExpiresAt: ts('access_token_expires_at'),
    refreshTokenExpiresAt: ts('refresh_token_expires_at'),
    scope: text('scope'),
    password: text('password'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('accounts_user_idx').on(t.userId)],
);

export const verifications = pgTable('verifications', {
  id: text('id').primaryKey(),
  identifier: text('identifier').notNull(),
  value: text('value').notNull(),
  expiresAt: ts('expires_at').notNull(),
  createdAt: createdAt(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

// API keys for server-to-server callers. Only a SHA-256 of the secret is stored; the prefix finds the row.
export const apiKeys = pgTable('api_keys', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  prefix: text('prefix').notNull().unique(),
  keyHash: text('key_hash').notNull(),
  scopes: text('scopes').array().notNull(),
  createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
  lastUsedAt: ts('last_used_at'),
  revokedAt: ts('revoked_at'),
  // Requests a minute this key may make; null: the default (RATE_LIMIT_KEY_PER_MIN, 3,000).
  perMinute: integer('per_minute'),
});

// Rate-limit and sign-in-failure counters shared by every app process, in rate-limiter-flexible's
// RateLimiterDrizzle layout (used when REDIS_URL is not set). Rows expire; the library deletes old ones.
export const rateLimits = pgTable('rate_limits', {
  key: text('key').primaryKey(),
  points: integer('points').notNull(),
  expire: ts('expire'),
});

// ---------------------------------------------------------------- places and products

export const locationKindEnum = pgEnum('location_kind', ['receiving', 'storage', 'pick', 'shipping', 'quarantine']);

export const warehouses = pgTable('warehouses', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  // Deactivated, never deleted once used: it leaves pickers and takes no new stock; its history stays.
  active: boolean('active').notNull().default(true),
  // Compare-and-set, as for products: an edit names the version it was made on.
  version: integer('version').notNull().default(1),
  createdAt: createdAt(),
});

export const locations = pgTable(
  'locations',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    warehouseId: integer('warehouse_id')
      .notNull()
      .references(() => warehouses.id),
    code: text('code').notNull(),
    kind: locationKindEnum('kind').notNull(),
    // Only sellable locations count towards what a storefront may sell.
    sellable: boolean('sellable').notNull().default(true),
    // The pick path: pick lists walk bins by this, then by code.
    pickOrder: integer('pick_order').notNull().default(0),
    // An inactive bin takes no new stock and leaves pickers; only an empty bin without holds is deactivated.
    active: boolean('active').notNull().default(true),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('locations_warehouse_code_uq').on(t.warehouseId, t.code),
    index('locations_code_idx').on(t.code),
    check('locations_pick_order_nonneg', sql`${t.pickOrder} >= 0`),
  ],
);

export const products = pgTable(
  'products',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    sku: text('sku').notNull().unique(),
    name: text('name').notNull(),
    // GTINs normalised to 14 digits, so EAN-13, UPC-A and EAN-8 scans all find the product.
    barcodes: text('barcodes').array().notNull().default(sql`'{}'::text[]`),
    unit: text('unit').notNull().default('each'),
    lowStockThreshold: integer('low_stock_threshold').notNull().default(0),
    reorderQty: integer('reorder_qty').notNull().default(0),
    leadTimeDays: integer('lead_time_days').notNull().default(7),
    // Archived products (active false) keep their history but leave availability and every list by default.
    active: boolean('active').notNull().default(true),
    // Compare-and-set: an edit names the version it was made on, and a save on an older one is refused.
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [
    // No pending list: every lookup would scan it whole until a vacuum (migration 0019).
    index('products_barcodes_idx').using('gin', t.barcodes).with({ fastupdate: false }),
    index('products_sku_trgm_idx').using('gin', t.sku.op('gin_trgm_ops')),
    index('products_name_trgm_idx').using('gin', t.name.op('gin_trgm_ops')),
    // Case-insensitive SKU lookups (a new SKU may not differ from an existing one by case alone) stay indexed when an
    // import creates products by the hundred thousand.
    index('products_sku_lower_idx').on(sql`lower(${t.sku})`),
    check('products_threshold_nonneg', sql`${t.lowStockThreshold} >= 0 AND ${t.reorderQty} >= 0 AND ${t.leadTimeDays} >= 0`),
  ],
);

// Per-warehouse overrides of a product's threshold and reorder quantity.
export const productWarehouseSettings = pgTable(
  'product_warehouse_settings',
  {
    productId: integer('product_id')
      .notNull()
      .references(() => products.id),
    warehouseId: integer('warehouse_id')
      .notNull()
      .references(() => warehouses.id),
    lowStockThreshold: integer('low_stock_threshold'),
    reorderQty: integer('reorder_qty'),
  },
  (t) => [
    primaryKey({ columns: [t.productId, t.warehouseId] }),
    check('pws_nonneg', sql`coalesce(${t.lowStockThreshold}, 0) >= 0 AND coalesce(${t.reorderQty}, 0) >= 0`),
  ],
);

// ---------------------------------------------------------------- stock: current state and the ledger

export const stockLevels = pgTable(
  'stock_levels',
  {
    productId: integer('product_id')
      .notNull()
      .references(() => products.id),
    locationId: integer('location_id')
      .notNull()
      .references(() => locations.id),
    onHand: integer('on_hand').notNull().default(0),
    reserved: integer('reserved').notNull().default(0),
    version: integer('version').notNull().default(0),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.productId, t.locationId] }),
    index('stock_levels_location_idx').on(t.locationId),
    // Invariant 1, enforced by the database and not only by code.
    check('stock_levels_on_hand_nonneg', sql`${t.onHand} >= 0`),
    check('stock_levels_reserved_nonneg', sql`${t.reserved} >= 0`),
    check('stock_levels_reserved_le_on_hand', sql`${t.reserved} <= ${t.onHand}`),
  ],
);

// Per product, summed over every location by the database (migration 0018's triggers, in the statement that changes
// a level): what the stock list sorts and filters by without summing 100,000 products' levels. verify.ts checks it.
export const productStock = pgTable(
  'product_stock',
  {
    productId: integer('product_id')
      .primaryKey()
      .references(() => products.id, { onDelete: 'cascade' }),
    onHand: integer('on_hand').notNull().default(0),
    reserved: integer('reserved').notNull().default(0),
    available: integer('available').notNull().default(0),
  },
  (t) => [index('product_stock_available_idx').on(t.available, t.productId)],
);

// Available per product and warehouse, kept like product_stock: the alert review's figure for each pair.
export const warehouseStock = pgTable(
  'warehouse_stock',
  {
    productId: integer('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    warehouseId: integer('warehouse_id')
      .notNull()
      .references(() => warehouses.id),
    available: integer('available').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.productId, t.warehouseId] })],
);

// Units picked per product and warehouse through each UTC day, as running totals from first_day (cum[1] is that
// day's); kept by a trigger on the ledger's inserts. The picks of whole days d1..d2-1 are
// pick_cum_at(first_day, cum, d2 - 1) - pick_cum_at(first_day, cum, d1 - 1) (see read/window-picks.ts).
export const pickHistory = pgTable(
  'pick_history',
  {
    productId: integer('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    warehouseId: integer('warehouse_id')
      .notNull()
      .references(() => warehouses.id),
    firstDay: date('first_day', { mode: 'string' }).notNull(),
    cum: integer('cum').array().notNull(),
    lastDay: date('last_day', { mode: 'string' }).generatedAlwaysAs(sql`"first_day" + cardinality("cum") - 1`),
  },
  (t) => [primaryKey({ columns: [t.productId, t.warehouseId] }), index('pick_history_last_day_idx').on(t.lastDay)],
);

export const movementKindEnum = pgEnum('movement_kind', [
  'receipt',
  'adjustment',
  'count',
  'transfer_out',
  'transfer_in',
  'reservation',
  'release',
  'allocation',
  'deallocation',
  'pick',
  'staged',
  'ship',
]);

// Append-only (a trigger in the migrations rejects UPDATE, DELETE and TRUNCATE). One row per change to one level.
export const stockMovements = pgTable(
  'stock_movements',
  {
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    productId: integer('product_id')
      .notNull()
      .references(() => products.id),
    locationId: integer('location_id')
      .notNull()
      .references(() => locations.id),
    kind: movementKindEnum('kind').notNull(),
    onHandDelta: integer('on_hand_delta').notNull(),
    reservedDelta: integer('reserved_delta').notNull(),
    // The level after this change: lets a reader replay history without summing.
    onHandAfter: integer('on_hand_after').notNull(),
    reservedAfter: integer('reserved_after').notNull(),
    version: integer('version').notNull(),
    reasonCode: text('reason_code'),
    referenceType: text('reference_type'),
    referenceId: text('reference_id'),
    note: text('note'),
    actor: text('actor').notNull(),
    // Groups the rows one command wrote (a transfer writes two).
    commandId: uuid('command_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    // Product id leads the key so the ledger can be sharded by product with its levels.
    primaryKey({ columns: [t.productId, t.id] }),
    uniqueIndex('stock_movements_id_uq').on(t.id),
    index('stock_movements_level_idx').on(t.productId, t.locationId, t.id),
    index('stock_movements_created_idx').on(t.createdAt),
    // The Activity page's filters, each walking the ledger newest first by (filter, id): who did it, what kind, and the
    // document or command it belongs to. Without them a rare actor or reference would scan the whole ledger.
    index('stock_movements_actor_idx').on(t.actor, t.id),
    index('stock_movements_kind_idx').on(t.kind, t.id),
    index('stock_movements_reference_idx').on(t.referenceId, t.id).where(sql`${t.referenceId} IS NOT NULL`),
    index('stock_movements_command_idx').on(t.commandId),
    // The picks of a recent window, per product and location, read from the index alone: the alert review's velocity.
    index('stock_movements_picks_idx').on(t.createdAt, t.productId, t.locationId, t.onHandDelta).where(sql`${t.kind} = 'pick'`),
    // A count that confirms the figure is still worth a row: it is when the bin was last counted.
    check('stock_movements_changes_something', sql`${t.onHandDelta} <> 0 OR ${t.reservedDelta} <> 0 OR ${t.kind} = 'count'`),
  ],
);

// ---------------------------------------------------------------- orders and reservations

export const orderStatusEnum = pgEnum('order_status', ['open', 'allocated', 'picking', 'picked', 'shipped', 'cancelled']);

export const orders = pgTable(
  'orders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    channel: text('channel').notNull().default('api'),
    reference: text('reference').notNull(),
    status: orderStatusEnum('status').notNull().default('open'),
    createdBy: text('created_by').notNull(),
    // The API key that placed the order: only that key may see or change it. Null: placed by staff or a connector.
    ownerKeyId: uuid('owner_key_id').references(() => apiKeys.id),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('orders_channel_reference_uq').on(t.channel, t.reference), index('orders_status_idx').on(t.status)],
);

export const orderLines = pgTable(
  'order_lines',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    lineNo: integer('line_no').notNull(),
    productId: integer('product_id')
      .notNull()
      .references(() => products.id),
    qty: integer('qty').notNull(),
    pickedQty: integer('picked_qty').notNull().default(0),
    shortQty: integer('short_qty').notNull().default(0),
  },
  (t) => [
    uniqueIndex('order_lines_order_line_uq').on(t.orderId, t.lineNo),
    index('order_lines_product_idx').on(t.productId),
    check('order_lines_qty_positive', sql`${t.qty} > 0`),
    check('order_lines_picked_range', sql`${t.pickedQty} >= 0 AND ${t.shortQty} >= 0 AND ${t.pickedQty} + ${t.shortQty} <= ${t.qty}`),
  ],
);

export const reservationStatusEnum = pgEnum('reservation_status', ['active', 'released', 'expired', 'consumed']);

// A hold on stock in one location: a cart hold (with expires_at) or an order line's allocation.
export const reservations = pgTable(
  'reservations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    productId: integer('product_id')
      .notNull()
      .references(() => products.id),
    locationId: integer('location_id')
      .notNull()
      .references(() => locations.id),
    qty: integer('qty').notNull(),
    orderLineId: uuid('order_line_id').references(() => orderLines.id),
    // The caller's own reference (cart id, checkout session): free text, shown to staff.
    reference: text('reference'),
    // Groups the per-location holds of one cart reservation.
    holdId: uuid('hold_id').notNull(),
    status: reservationStatusEnum('status').notNull().default('active'),
    expiresAt: ts('expires_at'),
    createdBy: text('created_by').notNull(),
    // The API key that made the hold (or its order): only that key may release it or take it over. Null: staff or a connector.
    ownerKeyId: uuid('owner_key_id').references(() => apiKeys.id),
    createdAt: createdAt(),
    closedAt: ts('closed_at'),
  },
  (t) => [
    index('reservations_hold_idx').on(t.holdId),
    index('reservations_order_line_idx').on(t.orderLineId),
    index('reservations_level_idx').on(t.productId, t.locationId),
    index('reservations_expiry_idx').on(t.expiresAt).where(sql`${t.status} = 'active' AND ${t.expiresAt} IS NOT NULL`),
    check('reservations_qty_nonneg', sql`${t.qty} >= 0`),
  ],
);

// ---------------------------------------------------------------- suppliers and purchase orders

// Who a shop buys from. Lead time here is the supplier's: the forecast uses the preferred supplier's when a
// product has one, else the product's own (see read/lead-time.ts).
export const suppliers = pgTable(
  'suppliers',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    email: text('email'),
    phone: text('phone'),
    leadTimeDays: integer('lead_time_days').notNull().default(7),
    active: boolean('active').notNull().default(true),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('suppliers_name_uq').on(sql`lower(${t.name})`),
    check('suppliers_lead_time_nonneg', sql`${t.leadTimeDays} >= 0`),
  ],
);

// A supplier's terms for one product. At most one preferred supplier per product (partial unique index).
export const productSuppliers = pgTable(
  'product_suppliers',
  {
    productId: integer('product_id')
      .notNull()
      .references(() => products.id),
    supplierId: integer('supplier_id')
      .notNull()
      .references(() => suppliers.id),
    supplierSku: text('supplier_sku'),
    packSize: integer('pack_size').notNull().default(1),
    minOrderQty: integer('min_order_qty').notNull().default(1),
    // Minor units (cents), so sums are exact.
    unitCostCents: integer('unit_cost_cents'),
    preferred: boolean('preferred').notNull().default(false),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.productId, t.supplierId] }),
    uniqueIndex('product_suppliers_preferred_uq').on(t.productId).where(sql`${t.preferred}`),
    index('product_suppliers_supplier_idx').on(t.supplierId),
    check('product_suppliers_terms', sql`${t.packSize} >= 1 AND ${t.minOrderQty} >= 1 AND (${t.unitCostCents} IS NULL OR ${t.unitCostCents} >= 0)`),
  ],
);

// Purchase order numbers the app gives its own drafts (PO-10001, …): above the demo's and imports' own.
export const purchaseOrderNumber = pgSequence('purchase_order_number_seq', { startWith: 10001 });

// draft → ordered → partially_received → received; or closed (short lines with reasons); or cancelled (nothing received).
export const purchaseOrderStatusEnum = pgEnum('purchase_order_status', ['draft', 'ordered', 'partially_received', 'received', 'closed', 'cancelled']);
export const shortReasonEnum = pgEnum('purchase_order_short_reason', ['supplier_short', 'damaged', 'cancelled']);

export const purchaseOrders = pgTable(
  'purchase_orders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    reference: text('reference').notNull().unique(),
    warehouseId: integer('warehouse_id')
      .notNull()
      .references(() => warehouses.id),
    // The supplier's name as printed on the order; supplierId when it is one of ours (older orders may name only text).
    supplier: text('supplier').notNull(),
    supplierId: integer('supplier_id').references(() => suppliers.id),
    // Rows written straight to the table (integrations, the demo) are orders already placed; the app's own start as drafts.
    status: purchaseOrderStatusEnum('status').notNull().default('ordered'),
    expectedAt: date('expected_at', { mode: 'string' }),
    version: integer('version').notNull().default(1),
    createdBy: text('created_by'),
    createdAt: createdAt(),
    orderedAt: ts('ordered_at'),
    closedAt: ts('closed_at'),
  },
  (t) => [index('purchase_orders_status_idx').on(t.status)],
);

export const purchaseOrderLines = pgTable(
  'purchase_order_lines',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    purchaseOrderId: uuid('purchase_order_id')
      .notNull()
      .references(() => purchaseOrders.id),
    productId: integer('product_id')
      .notNull()
      .references(() => products.id),
    qtyExpected: integer('qty_expected').notNull(),
    qtyReceived: integer('qty_received').notNull().default(0),
    // Set when the order is closed with this line short.
    shortReason: shortReasonEnum('short_reason'),
  },
  (t) => [
    uniqueIndex('purchase_order_lines_po_product_uq').on(t.purchaseOrderId, t.productId),
    index('purchase_order_lines_product_idx').on(t.productId),
    check('purchase_order_lines_qty', sql`${t.qtyExpected} > 0 AND ${t.qtyReceived} >= 0`),
  ],
);

// ---------------------------------------------------------------- alerts and idempotency

export const alertKindEnum = pgEnum('alert_kind', ['low_stock', 'out_of_stock']);
export const alertStatusEnum = pgEnum('alert_status', ['open', 'acknowledged', 'resolved']);

export const alerts = pgTable(
  'alerts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    productId: integer('product_id')
      .notNull()
      .references(() => products.id),
    warehouseId: integer('warehouse_id')
      .notNull()
      .references(() => warehouses.id),
    kind: alertKindEnum('kind').notNull(),
    status: alertStatusEnum('status').notNull().default('open'),
    available: integer('available').notNull(),
    threshold: integer('threshold').notNull(),
    openedAt: ts('opened_at').notNull().defaultNow(),
    acknowledgedAt: ts('acknowledged_at'),
    acknowledgedBy: text('acknowledged_by'),
    snoozedUntil: ts('snoozed_until'),
    note: text('note'),
    resolvedAt: ts('resolved_at'),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    // At most one unresolved alert per product and warehouse: concurrent crossings cannot open two.
    uniqueIndex('alerts_one_unresolved_uq')
      .on(t.productId, t.warehouseId)
      .where(sql`${t.status} <> 'resolved'`),
    index('alerts_status_idx').on(t.status),
    // A product's alerts in one warehouse, resolved ones included, for its drill-down history.
    index('alerts_product_warehouse_idx').on(t.productId, t.warehouseId, t.openedAt),
    // The review's "resolved in the last 30 days".
    index('alerts_resolved_idx').on(t.resolvedAt).where(sql`${t.status} = 'resolved'`),
  ],
);

export const alertActionEnum = pgEnum('alert_action', ['opened', 'kind_changed', 'acknowledged', 'snoozed', 'resolved']);

// The history of each alert: who did what and when. Opened, kind changes and resolved are written by the command
// that moved the stock (its actor), in the same transaction; acknowledged and snoozed by the manager.
export const alertEvents = pgTable(
  'alert_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    alertId: uuid('alert_id')
      .notNull()
      .references(() => alerts.id),
    action: alertActionEnum('action').notNull(),
    // The alert's figures at that moment, so the history reads without replaying the ledger.
    kind: alertKindEnum('kind'),
    available: integer('available'),
    threshold: integer('threshold'),
    snoozedUntil: ts('snoozed_until'),
    note: text('note'),
    actor: text('actor').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('alert_events_alert_idx').on(t.alertId, t.id)],
);

export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    // Who sent it (api key id or user id) and to which operation: one caller's keys never collide with another's.
    scope: text('scope').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    responseStatus: integer('response_status').notNull(),
    responseBody: jsonb('response_body').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] }), index('idempotency_keys_created_idx').on(t.createdAt)],
);

// ---------------------------------------------------------------- connectors

// A WAL position ('16/B374D848'); PostgreSQL compares and subtracts them, so the column keeps the real type.
const pgLsn = customType<{ data: string }>({ dataType: () => 'pg_lsn' });

// The AMQP connector's outbound position: how far into its replication slot every change is confirmed by the
// broker. Written after each confirmed batch (a slot's own position is only saved at checkpoints), and the row
// outliving its slot is how a lost slot (dropped, or left behind by a failover) is noticed instead of skipped.
export const amqpOutboundPositions = pgTable('amqp_outbound_positions', {
  slotName: text('slot_name').primaryKey(),
  exchange: text('exchange').notNull(),
  confirmedLsn: pgLsn('confirmed_lsn').notNull(),
  published: bigint('published', { mode: 'number' }).notNull().default(0),
  lastCommitAt: ts('last_commit_at'),
  createdAt: createdAt(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

// ---------------------------------------------------------------- storefront channels

// A sales channel as storefronts see it: which warehouses its availability sums over (none listed: all of them),
// which browser origins may read it, and under which figure its badge says "only N left" (null: the product's
// own low-stock threshold). The `default` channel (made by the migration) answers requests that name none.
// Holds and orders placed for a channel take stock only from its warehouses, and never its last `buffer` units
// of a product: those are kept back from the channel (its badge shows them as gone too).
export const channels = pgTable(
  'channels',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    key: text('key').notNull().unique(),
    name: text('name').notNull(),
    allowedOrigins: text('allowed_origins').array().notNull().default(sql`'{}'::text[]`),
    lowStockThreshold: integer('low_stock_threshold'),
    buffer: integer('buffer').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    check('channels_buffer_nonnegative', sql`${t.buffer} >= 0`),
    check('channels_key_format', sql`${t.key} ~ '^[a-z0-9][a-z0-9-]{0,39}$'`),
    check('channels_threshold_nonnegative', sql`${t.lowStockThreshold} IS NULL OR ${t.lowStockThreshold} >= 0`),
  ],
);

export const channelWarehouses = pgTable(
  'channel_warehouses',
  {
    channelId: integer('channel_id')
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    warehouseId: integer('warehouse_id')
      .notNull()
      .references(() => warehouses.id),
  },
  (t) => [primaryKey({ columns: [t.channelId, t.warehouseId] })],
);

// Every change to master data (products for now): who, when, and the record before and after, written in the
// change's own transaction. Never updated or deleted.
export const masterDataChanges = pgTable(
  'master_data_changes',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    entity: text('entity').notNull(),
    entityKey: text('entity_key').notNull(),
    action: text('action').notNull(),
    actor: text('actor').notNull(),
    commandId: uuid('command_id').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
    createdAt: createdAt(),
  },
  (t) => [index('master_data_changes_entity_idx').on(t.entity, t.entityKey, t.id)],
);

// The column mapping a manager chose for a file shape (the hash of its header row), offered again next time.
export const importMappings = pgTable('import_mappings', {
  headerHash: text('header_hash').notNull(),
  kind: text('kind').notNull(),
  mapping: jsonb('mapping').notNull(),
  updatedBy: text('updated_by').notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.headerHash, t.kind] })]);

// A staff count or receipt too large to apply on their word alone: held here until a manager approves it (then
// applied through its core command, once) or rejects it with a reason. Nothing touches stock while it waits.
export const stockChangeRequests = pgTable(
  'stock_change_requests',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    command: text('command', { enum: ['count', 'close_count', 'receive'] }).notNull(),
    // The command's input as the staff member sent it (validated by its schema before it was stored).
    input: jsonb('input').notNull(),
    // Why it waits, in words for the manager: "changes A-01 by 40 units; staff may change 10".
    why: text('why').notNull(),
    requestedBy: text('requested_by').notNull(),
    requestedByLabel: text('requested_by_label').notNull(),
    // The form's key: a double submit files one request.
    idempotencyKey: text('idempotency_key'),
    status: text('status', { enum: ['pending', 'approved', 'rejected'] }).notNull().default('pending'),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    rejectReason: text('reject_reason'),
    movementId: bigint('movement_id', { mode: 'number' }),
    createdAt: createdAt(),
  },
  (t) => [
    index('stock_change_requests_pending_idx').on(t.createdAt).where(sql`${t.status} = 'pending'`),
    uniqueIndex('stock_change_requests_idempotency_idx').on(t.requestedBy, t.idempotencyKey),
  ],
);

export type StockChangeRequest = typeof stockChangeRequests.$inferSelect;
export type Warehouse = typeof warehouses.$inferSelect;
export type Location = typeof locations.$inferSelect;
export type Product = typeof products.$inferSelect;
export type StockLevel = typeof stockLevels.$inferSelect;
export type StockMovement = typeof stockMovements.$inferSelect;
export type Reservation = typeof reservations.$inferSelect;
export type Order = typeof orders.$inferSelect;
export type OrderLine = typeof orderLines.$inferSelect;
export type PurchaseOrder = typeof purchaseOrders.$inferSelect;
export type PurchaseOrderLine = typeof purchaseOrderLines.$inferSelect;
export type Supplier = typeof suppliers.$inferSelect;
export type ProductSupplier = typeof productSuppliers.$inferSelect;
export type Alert = typeof alerts.$inferSelect;
export type AlertEvent = typeof alertEvents.$inferSelect;
export type User = typeof users.$inferSelect;
export type Role = (typeof roleEnum.enumValues)[number];
export type ApiKey = typeof apiKeys.$inferSelect;
export type AmqpOutboundPosition = typeof amqpOutboundPositions.$inferSelect;
export type Channel = typeof channels.$inferSelect;
export type MasterDataChange = typeof masterDataChanges.$inferSelect;
