ALTER TABLE "users" ADD COLUMN "active" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "must_change_password" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "last_signed_in_at" timestamp with time zone;--> statement-breakpoint
-- The sidecar follows who may still listen: a deactivated or demoted user, or an ended session, loses its sockets at
-- once. Only these columns are published: a session's token and a user's e-mail never reach the replication stream.
ALTER PUBLICATION onhand ADD TABLE "users" ("id", "role", "active"), "sessions" ("id", "user_id");
