CREATE TABLE "amqp_outbound_positions" (
	"slot_name" text PRIMARY KEY NOT NULL,
	"exchange" text NOT NULL,
	"confirmed_lsn" "pg_lsn" NOT NULL,
	"published" bigint DEFAULT 0 NOT NULL,
	"last_commit_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
