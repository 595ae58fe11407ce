CREATE TABLE "stock_change_requests" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "stock_change_requests_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"command" text NOT NULL,
	"input" jsonb NOT NULL,
	"why" text NOT NULL,
	"requested_by" text NOT NULL,
	"requested_by_label" text NOT NULL,
	"idempotency_key" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"reject_reason" text,
	"movement_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stock_change_requests_command_check" CHECK ("command" IN ('count', 'receive')),
	CONSTRAINT "stock_change_requests_status_check" CHECK ("status" IN ('pending', 'approved', 'rejected'))
);
--> statement-breakpoint
CREATE INDEX "stock_change_requests_pending_idx" ON "stock_change_requests" USING btree ("created_at") WHERE "stock_change_requests"."status" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "stock_change_requests_idempotency_idx" ON "stock_change_requests" USING btree ("requested_by","idempotency_key");
