-- Two things each campaign now has of its own (issue 14):
-- 1. The name and abbreviation it shows a party under. They were the registry's, so renaming a
--    party rewrote the boards of every earlier campaign, archived ones included. Each campaign's
--    row starts from the registry's name as it is now.
-- 2. The version of its last change. The board's single version still orders every change
--    (and is what NOTIFY announces); next to it, board_state.shared_changed_at says when
--    something every campaign shows last changed (the registry, the campaigns, settings,
--    outreach), and campaign_board_versions when one campaign's own data did. A cached page of
--    a campaign is good while neither moved past it (src/server/front.ts).
CREATE TABLE "campaign_board_versions" (
	"campaign_id" integer PRIMARY KEY NOT NULL,
	"changed_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "board_state" ADD COLUMN "shared_changed_at" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "campaign_parties" ADD COLUMN "name" text;--> statement-breakpoint
ALTER TABLE "campaign_parties" ADD COLUMN "abbreviation" text;--> statement-breakpoint
-- The backfill writes archived campaigns' rows too: the read-only rule is off for this one statement.
ALTER TABLE "campaign_parties" DISABLE TRIGGER "campaign_parties_not_archived";--> statement-breakpoint
UPDATE "campaign_parties" cp SET "name" = p."name", "abbreviation" = p."abbreviation" FROM "parties" p WHERE p."id" = cp."party_id";--> statement-breakpoint
ALTER TABLE "campaign_parties" ENABLE TRIGGER "campaign_parties_not_archived";--> statement-breakpoint
ALTER TABLE "campaign_parties" ALTER COLUMN "name" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "campaign_parties" ALTER COLUMN "abbreviation" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "campaign_board_versions" ADD CONSTRAINT "campaign_board_versions_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
UPDATE "board_state" SET "shared_changed_at" = "version" WHERE "id" = 1;--> statement-breakpoint
-- A shared change: every campaign's pages are out of date.
CREATE OR REPLACE FUNCTION "move_board_version"() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  next_version bigint;
BEGIN
  UPDATE "board_state" SET "version" = "version" + 1, "shared_changed_at" = "version" + 1 WHERE "id" = 1 RETURNING "version" INTO next_version;
  PERFORM pg_notify('pledgeboard_board', next_version::text);
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION "bump_board_version"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "move_board_version"();
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- A change to these campaigns' own data. A campaign past pledging (closed, follow-up,
-- archived) is shown on the pages of the others too (a party's history across campaigns,
-- src/components/PartyCampaigns.astro): a correction there is a shared change.
CREATE FUNCTION "move_campaign_boards"(changed integer[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  next_version bigint;
BEGIN
  IF cardinality(changed) = 0 THEN RETURN; END IF;
  IF EXISTS (SELECT 1 FROM "campaigns" WHERE "id" = ANY (changed) AND "state" NOT IN ('draft', 'open')) THEN
    PERFORM "move_board_version"();
    RETURN;
  END IF;
  UPDATE "board_state" SET "version" = "version" + 1 WHERE "id" = 1 RETURNING "version" INTO next_version;
  INSERT INTO "campaign_board_versions" ("campaign_id", "changed_at")
    SELECT DISTINCT c, next_version FROM unnest(changed) AS c
    ON CONFLICT ("campaign_id") DO UPDATE SET "changed_at" = excluded."changed_at";
  PERFORM pg_notify('pledgeboard_board', next_version::text);
END;
$$;
--> statement-breakpoint
-- Statement-level with a transition table, so an import of thousands of rows counts once.
-- (Postgres allows a transition table only on a one-event trigger: three triggers per table.)
CREATE FUNCTION "campaign_rows_move_board"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "move_campaign_boards"(ARRAY(SELECT DISTINCT "campaign_id" FROM changed_rows));
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION "pledge_rows_move_board"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "move_campaign_boards"(ARRAY(SELECT DISTINCT p."campaign_id" FROM changed_rows r JOIN "pledges" p ON p."id" = r."pledge_id"));
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION "candidate_rows_move_board"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "move_campaign_boards"(ARRAY(SELECT DISTINCT c."campaign_id" FROM changed_rows r JOIN "candidates" c ON c."id" = r."candidate_id"));
  RETURN NULL;
END;
$$;
--> statement-breakpoint
DO $$
DECLARE
  t record;
  ev text;
BEGIN
  FOR t IN SELECT * FROM (VALUES
    ('pledges', 'campaign_rows_move_board', ARRAY['INSERT', 'UPDATE', 'DELETE']),
    ('campaign_goals', 'campaign_rows_move_board', ARRAY['INSERT', 'UPDATE', 'DELETE']),
    ('campaign_parties', 'campaign_rows_move_board', ARRAY['INSERT', 'UPDATE', 'DELETE']),
    ('candidates', 'campaign_rows_move_board', ARRAY['INSERT', 'UPDATE', 'DELETE']),
    ('statement_moderations', 'pledge_rows_move_board', ARRAY['INSERT']),
    ('candidate_standings', 'candidate_rows_move_board', ARRAY['INSERT', 'UPDATE', 'DELETE']),
    ('candidate_signatures', 'candidate_rows_move_board', ARRAY['INSERT'])
  ) AS v(tbl, fn, events) LOOP
    EXECUTE format('DROP TRIGGER %I ON %I', t.tbl || '_bump_board_version', t.tbl);
    FOREACH ev IN ARRAY t.events LOOP
      EXECUTE format(
        'CREATE TRIGGER %I AFTER %s ON %I REFERENCING %s TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION %I()',
        t.tbl || '_' || lower(ev) || '_moves_board', ev, t.tbl, CASE ev WHEN 'DELETE' THEN 'OLD' ELSE 'NEW' END, t.fn);
    END LOOP;
  END LOOP;
END;
$$;
