CREATE TYPE "public"."actor_role" AS ENUM('rep', 'admin', 'system');--> statement-breakpoint
CREATE TYPE "public"."stance" AS ENUM('committed', 'partial', 'declined');--> statement-breakpoint
CREATE TABLE "app_settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "parties" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "parties_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"abbreviation" text NOT NULL,
	"seats" integer DEFAULT 0 NOT NULL,
	"website" text,
	"retired_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "parties_slug_unique" UNIQUE("slug"),
	CONSTRAINT "parties_seats_non_negative" CHECK ("parties"."seats" >= 0)
);
--> statement-breakpoint
CREATE TABLE "pledge_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "pledge_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"pledge_id" integer NOT NULL,
	"party_id" integer NOT NULL,
	"goal_slug" text NOT NULL,
	"version" integer NOT NULL,
	"stance_before" "stance",
	"stance_after" "stance" NOT NULL,
	"statement_before" text,
	"statement_after" text NOT NULL,
	"evidence_url_before" text,
	"evidence_url_after" text,
	"evidence_page_before" integer,
	"evidence_page_after" integer,
	"actor_name" text NOT NULL,
	"actor_role" "actor_role" NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pledge_events_pledge_version" UNIQUE("pledge_id","version")
);
--> statement-breakpoint
CREATE TABLE "pledges" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "pledges_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"party_id" integer NOT NULL,
	"goal_slug" text NOT NULL,
	"stance" "stance" NOT NULL,
	"statement" text DEFAULT '' NOT NULL,
	"evidence_url" text,
	"evidence_page" integer,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_by_name" text NOT NULL,
	"updated_by_role" "actor_role" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pledges_party_goal" UNIQUE("party_id","goal_slug"),
	CONSTRAINT "pledges_version_positive" CHECK ("pledges"."version" >= 1),
	CONSTRAINT "pledges_statement_length" CHECK (char_length("pledges"."statement") <= 1000),
	CONSTRAINT "pledges_evidence_https" CHECK ("pledges"."evidence_url" is null or "pledges"."evidence_url" like 'https://%'),
	CONSTRAINT "pledges_evidence_page_positive" CHECK ("pledges"."evidence_page" is null or "pledges"."evidence_page" >= 1)
);
--> statement-breakpoint
ALTER TABLE "pledge_events" ADD CONSTRAINT "pledge_events_pledge_id_pledges_id_fk" FOREIGN KEY ("pledge_id") REFERENCES "public"."pledges"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pledge_events" ADD CONSTRAINT "pledge_events_party_id_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."parties"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pledges" ADD CONSTRAINT "pledges_party_id_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."parties"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "pledge_events_party" ON "pledge_events" USING btree ("party_id","occurred_at");--> statement-breakpoint
CREATE INDEX "pledge_events_occurred" ON "pledge_events" USING btree ("occurred_at");