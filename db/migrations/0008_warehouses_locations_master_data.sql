ALTER TABLE "locations" ADD COLUMN "pick_order" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "locations" ADD COLUMN "active" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "locations" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "warehouses" ADD COLUMN "active" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "warehouses" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "locations" ADD CONSTRAINT "locations_pick_order_nonneg" CHECK ("locations"."pick_order" >= 0);--> statement-breakpoint
-- The pick path starts as it was walked until now: by bin code within each warehouse.
UPDATE "locations" SET "pick_order" = ranked.n
FROM (SELECT "id", row_number() OVER (PARTITION BY "warehouse_id" ORDER BY "code") AS n FROM "locations") AS ranked
WHERE "locations"."id" = ranked."id";--> statement-breakpoint
-- Open warehouse and bin screens follow their master data through the sidecar, like stock levels.
ALTER PUBLICATION onhand ADD TABLE "warehouses", "locations";
