-- A per-key rate limit an admin may set (null: the default), and the counters behind the rate limits and sign-in
-- lockouts that every app process shares. The counters are UNLOGGED: no WAL for a row written on every API
-- request, and after a crash they start empty, which only forgives the counts of the last minutes.
ALTER TABLE "api_keys" ADD COLUMN "per_minute" integer;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_per_minute_positive" CHECK ("per_minute" IS NULL OR "per_minute" BETWEEN 1 AND 1000000);--> statement-breakpoint
CREATE UNLOGGED TABLE "rate_limits" (
	"key" text PRIMARY KEY NOT NULL,
	"points" integer NOT NULL,
	"expire" timestamp with time zone
);
