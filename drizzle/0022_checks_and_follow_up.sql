-- From words to deeds (issue 15): the campaign's checks of each pledge with the evidence page as
-- fetched, follow-up ratings after the election, the parties' replies, and parliamentary items
-- (a Tweede Kamer Zaak with its votes) linked to goals. See src/db/schema.ts for each table.
CREATE TYPE "public"."broken_reason" AS ENUM('no-majority', 'not-a-priority', 'changed-position');--> statement-breakpoint
CREATE TYPE "public"."check_verdict" AS ENUM('verified', 'disputed');--> statement-breakpoint
CREATE TYPE "public"."follow_up_status" AS ENUM('in-progress', 'stalled', 'kept', 'partly-kept', 'broken', 'not-checkable');--> statement-breakpoint
CREATE TYPE "public"."item_effect" AS ENUM('advances', 'undermines');--> statement-breakpoint
CREATE TYPE "public"."reply_subject" AS ENUM('check', 'follow-up');--> statement-breakpoint
CREATE TABLE "evidence_snapshots" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "evidence_snapshots_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"campaign_id" integer NOT NULL,
	"url" text NOT NULL,
	"final_url" text,
	"http_status" integer,
	"content_type" text,
	"size" bigint,
	"sha256" text,
	"body" "bytea",
	"truncated" boolean DEFAULT false NOT NULL,
	"refusal" text,
	"fetched_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "evidence_snapshots_https" CHECK ("evidence_snapshots"."url" like 'https://%'),
	CONSTRAINT "evidence_snapshots_fetched_or_refused" CHECK (("evidence_snapshots"."refusal" is null) = ("evidence_snapshots"."sha256" is not null))
);
--> statement-breakpoint
CREATE TABLE "follow_up_ratings" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "follow_up_ratings_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"campaign_id" integer NOT NULL,
	"party_id" integer NOT NULL,
	"goal_slug" text NOT NULL,
	"status" "follow_up_status" NOT NULL,
	"broken_reason" "broken_reason",
	"citation_url" text NOT NULL,
	"explanation" text NOT NULL,
	"by_name" text NOT NULL,
	"by_user_id" integer,
	"rated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "follow_up_ratings_citation_https" CHECK ("follow_up_ratings"."citation_url" like 'https://%'),
	CONSTRAINT "follow_up_ratings_explanation_length" CHECK (char_length("follow_up_ratings"."explanation") between 1 and 500),
	CONSTRAINT "follow_up_ratings_broken_reason" CHECK (("follow_up_ratings"."status" = 'broken') = ("follow_up_ratings"."broken_reason" is not null))
);
--> statement-breakpoint
CREATE TABLE "fraction_mappings" (
	"campaign_id" integer NOT NULL,
	"fraction" text NOT NULL,
	"party_id" integer,
	CONSTRAINT "fraction_mappings_campaign_id_fraction_pk" PRIMARY KEY("campaign_id","fraction")
);
--> statement-breakpoint
CREATE TABLE "parliament_items" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "parliament_items_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"campaign_id" integer NOT NULL,
	"goal_slug" text NOT NULL,
	"zaak_number" text NOT NULL,
	"zaak_id" text NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"subject" text,
	"effect" "item_effect" NOT NULL,
	"item" jsonb NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	"by_user_id" integer,
	CONSTRAINT "parliament_items_goal_zaak" UNIQUE("campaign_id","goal_slug","zaak_number"),
	CONSTRAINT "parliament_items_number" CHECK ("parliament_items"."zaak_number" ~ '^[0-9]{4}Z[0-9]{5}$')
);
--> statement-breakpoint
CREATE TABLE "party_replies" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "party_replies_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"campaign_id" integer NOT NULL,
	"party_id" integer NOT NULL,
	"subject" "reply_subject" NOT NULL,
	"subject_id" bigint NOT NULL,
	"text" text NOT NULL,
	"by_name" text NOT NULL,
	"by_user_id" integer,
	"replied_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "party_replies_text_length" CHECK (char_length("party_replies"."text") between 1 and 1000)
);
--> statement-breakpoint
CREATE TABLE "pledge_checks" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "pledge_checks_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"campaign_id" integer NOT NULL,
	"pledge_id" integer NOT NULL,
	"pledge_version" integer NOT NULL,
	"verdict" "check_verdict" NOT NULL,
	"quote" text,
	"page" integer,
	"checked_url" text,
	"reason" text,
	"snapshot_id" bigint,
	"by_name" text NOT NULL,
	"by_user_id" integer,
	"checked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pledge_checks_verdict_fields" CHECK (("pledge_checks"."verdict" = 'verified' and "pledge_checks"."quote" is not null and "pledge_checks"."page" >= 1 and "pledge_checks"."checked_url" like 'https://%' and "pledge_checks"."reason" is null)
        or ("pledge_checks"."verdict" = 'disputed' and "pledge_checks"."reason" is not null and char_length("pledge_checks"."reason") between 1 and 500)),
	CONSTRAINT "pledge_checks_quote_length" CHECK ("pledge_checks"."quote" is null or char_length("pledge_checks"."quote") between 1 and 1000)
);
--> statement-breakpoint
ALTER TABLE "evidence_snapshots" ADD CONSTRAINT "evidence_snapshots_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_ratings" ADD CONSTRAINT "follow_up_ratings_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_ratings" ADD CONSTRAINT "follow_up_ratings_party_id_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."parties"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_ratings" ADD CONSTRAINT "follow_up_ratings_by_user_id_users_id_fk" FOREIGN KEY ("by_user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fraction_mappings" ADD CONSTRAINT "fraction_mappings_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fraction_mappings" ADD CONSTRAINT "fraction_mappings_party_id_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."parties"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parliament_items" ADD CONSTRAINT "parliament_items_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parliament_items" ADD CONSTRAINT "parliament_items_by_user_id_users_id_fk" FOREIGN KEY ("by_user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_replies" ADD CONSTRAINT "party_replies_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_replies" ADD CONSTRAINT "party_replies_party_id_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."parties"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_replies" ADD CONSTRAINT "party_replies_by_user_id_users_id_fk" FOREIGN KEY ("by_user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pledge_checks" ADD CONSTRAINT "pledge_checks_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pledge_checks" ADD CONSTRAINT "pledge_checks_pledge_id_pledges_id_fk" FOREIGN KEY ("pledge_id") REFERENCES "public"."pledges"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pledge_checks" ADD CONSTRAINT "pledge_checks_snapshot_id_evidence_snapshots_id_fk" FOREIGN KEY ("snapshot_id") REFERENCES "public"."evidence_snapshots"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pledge_checks" ADD CONSTRAINT "pledge_checks_by_user_id_users_id_fk" FOREIGN KEY ("by_user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "follow_up_ratings_party_goal" ON "follow_up_ratings" USING btree ("campaign_id","party_id","goal_slug","id");--> statement-breakpoint
CREATE INDEX "party_replies_subject" ON "party_replies" USING btree ("subject","subject_id","id");--> statement-breakpoint
CREATE INDEX "party_replies_campaign" ON "party_replies" USING btree ("campaign_id","id");--> statement-breakpoint
CREATE INDEX "pledge_checks_pledge" ON "pledge_checks" USING btree ("pledge_id","id");--> statement-breakpoint
CREATE INDEX "pledge_checks_campaign" ON "pledge_checks" USING btree ("campaign_id","id");--> statement-breakpoint
-- Checks, ratings and replies are the public record: added, never changed or removed.
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['pledge_checks', 'follow_up_ratings', 'party_replies', 'evidence_snapshots'] LOOP
    EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION "refuse_append_only_change"()', t || '_append_only', t);
    EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION "refuse_append_only_change"()', t || '_no_truncate', t);
  END LOOP;
END;
$$;
--> statement-breakpoint
-- An archived campaign is read-only for everyone (as drizzle/0020), and each change moves
-- its campaign's board version (as drizzle/0021).
DO $$
DECLARE
  t text;
  ev text;
BEGIN
  FOREACH t IN ARRAY ARRAY['evidence_snapshots', 'pledge_checks', 'follow_up_ratings', 'party_replies', 'parliament_items', 'fraction_mappings'] LOOP
    EXECUTE format('CREATE TRIGGER %I BEFORE INSERT OR UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION "refuse_archived_campaign_write"()', t || '_not_archived', t);
    FOREACH ev IN ARRAY ARRAY['INSERT', 'UPDATE', 'DELETE'] LOOP
      EXECUTE format(
        'CREATE TRIGGER %I AFTER %s ON %I REFERENCING %s TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "campaign_rows_move_board"()',
        t || '_' || lower(ev) || '_moves_board', ev, t, CASE ev WHEN 'DELETE' THEN 'OLD' ELSE 'NEW' END);
    END LOOP;
  END LOOP;
END;
$$;
