-- A campaign keeps all it published of a party, not just its name (0021): its website, and
-- when its facts there last changed (the board's "last updated"). Editing or retiring a party
-- in one campaign no longer moves another campaign's board (review of 0021). The registry's
-- values start them; archived campaigns' rows are filled too, with the read-only rule off for
-- this one statement.
ALTER TABLE "campaign_parties" ADD COLUMN "website" text;--> statement-breakpoint
ALTER TABLE "campaign_parties" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "campaign_parties" DISABLE TRIGGER "campaign_parties_not_archived";--> statement-breakpoint
UPDATE "campaign_parties" cp SET "website" = p."website", "updated_at" = greatest(p."updated_at", cp."created_at") FROM "parties" p WHERE p."id" = cp."party_id";--> statement-breakpoint
ALTER TABLE "campaign_parties" ENABLE TRIGGER "campaign_parties_not_archived";--> statement-breakpoint
-- A change to a campaign that is being closed at the same moment: wait for that and read its
-- state as committed (FOR SHARE), or a correction made as it closes would count as the
-- campaign's own change, and other campaigns' pages showing its record would stay stale.
CREATE OR REPLACE FUNCTION "move_campaign_boards"(changed integer[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  next_version bigint;
BEGIN
  IF cardinality(changed) = 0 THEN RETURN; END IF;
  PERFORM 1 FROM "campaigns" WHERE "id" = ANY (changed) FOR SHARE;
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
