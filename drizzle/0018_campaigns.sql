-- Campaigns as data (issue 14). A campaign (one election: its texts, goals, parties, deadline)
-- now lives in the database, and every row that belongs to one names it. What an installation
-- holds today becomes its first campaign (id 1), without losing a row of history:
--   * one campaign row is made, open and current, with an empty profile and a placeholder
--     slug; at the next start the server imports content/ into it (src/domain/content-import.ts:
--     slug, texts, goals, deadline), as it imported content/parties.yaml once;
--   * pledges, their history, reminder schedules and runs get campaign_id 1 (pledge_events is
--     append-only: adding a column with a default rewrites no row through a trigger);
--   * invitations and reminders in the outbox, and invitation links, name campaign 1 (their
--     public record of outreach is per campaign);
--   * a party's seats and retirement were facts of this election: they move to
--     campaign_parties (the registry keeps name, abbreviation, website);
--   * the pledging settings (an admin's override and deadline, in app_settings) move to the
--     campaign's own columns; the import of content/ fills the deadline only where no admin
--     set one. From now on campaign.yaml is read once, like parties.yaml.
CREATE TYPE "public"."campaign_state" AS ENUM('draft', 'open', 'closed', 'follow-up', 'archived');--> statement-breakpoint
CREATE TABLE "campaign_goals" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "campaign_goals_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"campaign_id" integer NOT NULL,
	"slug" text NOT NULL,
	"number" integer NOT NULL,
	"texts" jsonb NOT NULL,
	CONSTRAINT "campaign_goals_slug" UNIQUE("campaign_id","slug"),
	CONSTRAINT "campaign_goals_number" UNIQUE("campaign_id","number")
);
--> statement-breakpoint
CREATE TABLE "campaign_parties" (
	"campaign_id" integer NOT NULL,
	"party_id" integer NOT NULL,
	"seats" integer DEFAULT 0 NOT NULL,
	"retired_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaign_parties_campaign_id_party_id_pk" PRIMARY KEY("campaign_id","party_id"),
	CONSTRAINT "campaign_parties_seats_non_negative" CHECK ("campaign_parties"."seats" >= 0)
);
--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "campaigns_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"slug" text NOT NULL,
	"state" "campaign_state" DEFAULT 'draft' NOT NULL,
	"is_current" boolean DEFAULT false NOT NULL,
	"profile" jsonb NOT NULL,
	"election_date" timestamp with time zone,
	"pledge_deadline" timestamp with time zone,
	"pledging_override" text,
	"content_imported_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaigns_slug_unique" UNIQUE("slug"),
	CONSTRAINT "campaigns_pledging_override" CHECK ("campaigns"."pledging_override" is null or "campaigns"."pledging_override" in ('open', 'closed')),
	CONSTRAINT "campaigns_current_is_public" CHECK (not "campaigns"."is_current" or "campaigns"."state" <> 'draft')
);
--> statement-breakpoint
INSERT INTO "campaigns" ("id", "slug", "state", "is_current", "profile") OVERRIDING SYSTEM VALUE
  VALUES (1, 'campagne-1', 'open', true, '{}'::jsonb);--> statement-breakpoint
SELECT setval(pg_get_serial_sequence('campaigns', 'id'), 1);--> statement-breakpoint
ALTER TABLE "pledges" DROP CONSTRAINT "pledges_party_goal";--> statement-breakpoint
ALTER TABLE "reminder_runs" DROP CONSTRAINT "reminder_runs_moment";--> statement-breakpoint
ALTER TABLE "reminder_schedule" DROP CONSTRAINT "reminder_schedule_days_before_unique";--> statement-breakpoint
ALTER TABLE "parties" DROP CONSTRAINT "parties_seats_non_negative";--> statement-breakpoint
ALTER TABLE "account_links" ADD COLUMN "campaign_id" integer;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "campaign_id" integer;--> statement-breakpoint
ALTER TABLE "pledge_events" ADD COLUMN "campaign_id" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "pledge_events" ALTER COLUMN "campaign_id" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "pledges" ADD COLUMN "campaign_id" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "pledges" ALTER COLUMN "campaign_id" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "reminder_runs" ADD COLUMN "campaign_id" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "reminder_runs" ALTER COLUMN "campaign_id" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "reminder_schedule" ADD COLUMN "campaign_id" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "reminder_schedule" ALTER COLUMN "campaign_id" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "campaign_goals" ADD CONSTRAINT "campaign_goals_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_parties" ADD CONSTRAINT "campaign_parties_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_parties" ADD CONSTRAINT "campaign_parties_party_id_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."parties"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "campaign_parties_party" ON "campaign_parties" USING btree ("party_id");--> statement-breakpoint
CREATE UNIQUE INDEX "campaigns_one_current" ON "campaigns" USING btree ("is_current") WHERE "campaigns"."is_current";--> statement-breakpoint
ALTER TABLE "account_links" ADD CONSTRAINT "account_links_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pledge_events" ADD CONSTRAINT "pledge_events_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pledges" ADD CONSTRAINT "pledges_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reminder_runs" ADD CONSTRAINT "reminder_runs_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reminder_schedule" ADD CONSTRAINT "reminder_schedule_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "pledge_events_campaign" ON "pledge_events" USING btree ("campaign_id","occurred_at");--> statement-breakpoint
INSERT INTO "campaign_parties" ("campaign_id", "party_id", "seats", "retired_at", "created_at")
  SELECT 1, "id", "seats", "retired_at", "created_at" FROM "parties";--> statement-breakpoint
UPDATE "outbox" SET "campaign_id" = 1 WHERE "kind" IN ('invite', 'reminder');--> statement-breakpoint
UPDATE "account_links" SET "campaign_id" = 1 WHERE "purpose" = 'invite';--> statement-breakpoint
UPDATE "campaigns" SET
  "pledging_override" = (SELECT "value"->>'state' FROM "app_settings" WHERE "key" = 'pledging.override' AND "value"->>'state' IN ('open', 'closed')),
  "pledge_deadline" = (SELECT ("value"->>'at')::timestamptz FROM "app_settings" WHERE "key" = 'pledging.deadline')
  WHERE "id" = 1;--> statement-breakpoint
DELETE FROM "app_settings" WHERE "key" IN ('pledging.override', 'pledging.deadline');--> statement-breakpoint
ALTER TABLE "parties" DROP COLUMN "seats";--> statement-breakpoint
ALTER TABLE "parties" DROP COLUMN "retired_at";--> statement-breakpoint
ALTER TABLE "pledges" ADD CONSTRAINT "pledges_campaign_party_goal" UNIQUE("campaign_id","party_id","goal_slug");--> statement-breakpoint
ALTER TABLE "reminder_runs" ADD CONSTRAINT "reminder_runs_moment" UNIQUE("campaign_id","days_before","deadline");--> statement-breakpoint
ALTER TABLE "reminder_schedule" ADD CONSTRAINT "reminder_schedule_campaign_days" UNIQUE("campaign_id","days_before");--> statement-breakpoint
-- What the public sees of a campaign moves the board's version, as parties and pledges do (0005).
CREATE TRIGGER "campaigns_bump_board_version" AFTER INSERT OR UPDATE OR DELETE ON "campaigns"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_board_version"();--> statement-breakpoint
CREATE TRIGGER "campaign_goals_bump_board_version" AFTER INSERT OR UPDATE OR DELETE ON "campaign_goals"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_board_version"();--> statement-breakpoint
CREATE TRIGGER "campaign_parties_bump_board_version" AFTER INSERT OR UPDATE OR DELETE ON "campaign_parties"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_board_version"();
