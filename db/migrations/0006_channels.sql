CREATE TABLE "channel_warehouses" (
	"channel_id" integer NOT NULL,
	"warehouse_id" integer NOT NULL,
	CONSTRAINT "channel_warehouses_channel_id_warehouse_id_pk" PRIMARY KEY("channel_id","warehouse_id")
);
--> statement-breakpoint
CREATE TABLE "channels" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "channels_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"key" text NOT NULL,
	"name" text NOT NULL,
	"allowed_origins" text[] DEFAULT '{}'::text[] NOT NULL,
	"low_stock_threshold" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "channels_key_unique" UNIQUE("key"),
	CONSTRAINT "channels_key_format" CHECK ("channels"."key" ~ '^[a-z0-9][a-z0-9-]{0,39}$'),
	CONSTRAINT "channels_threshold_nonnegative" CHECK ("channels"."low_stock_threshold" IS NULL OR "channels"."low_stock_threshold" >= 0)
);
--> statement-breakpoint
ALTER TABLE "channel_warehouses" ADD CONSTRAINT "channel_warehouses_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channel_warehouses" ADD CONSTRAINT "channel_warehouses_warehouse_id_warehouses_id_fk" FOREIGN KEY ("warehouse_id") REFERENCES "public"."warehouses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Requests that name no channel read the default one: every warehouse, the product's own threshold, and no
-- browser origin until an admin lists some.
INSERT INTO "channels" ("key", "name") VALUES ('default', 'Default');--> statement-breakpoint
-- The sidecar serves availability per channel from memory; a change to a channel reaches it through the feed.
ALTER PUBLICATION onhand ADD TABLE "channels", "channel_warehouses";
