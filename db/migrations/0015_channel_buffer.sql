ALTER TABLE "channels" ADD COLUMN "buffer" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "channels" ADD CONSTRAINT "channels_buffer_nonnegative" CHECK ("channels"."buffer" >= 0);