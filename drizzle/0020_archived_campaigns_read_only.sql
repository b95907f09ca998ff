-- An archived campaign is read-only for everyone (issue 14): its board must stay as it was
-- published. The pages and forms refuse such a write with a message (src/middleware.ts); this
-- is the backstop for every other path (the command line, a script, a bug). A campaign row
-- itself stays writable, so an admin can take it out of the archive again.
CREATE FUNCTION "refuse_archived_campaign_write"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  row_campaign integer;
BEGIN
  IF TG_OP = 'DELETE' THEN
    row_campaign := OLD."campaign_id";
  ELSE
    row_campaign := NEW."campaign_id";
    IF TG_OP = 'UPDATE' AND OLD."campaign_id" IS DISTINCT FROM NEW."campaign_id"
      AND EXISTS (SELECT 1 FROM "campaigns" WHERE "id" = OLD."campaign_id" AND "state" = 'archived') THEN
      RAISE EXCEPTION 'campaign % is archived: it is read-only', OLD."campaign_id" USING ERRCODE = 'restrict_violation';
    END IF;
  END IF;
  IF EXISTS (SELECT 1 FROM "campaigns" WHERE "id" = row_campaign AND "state" = 'archived') THEN
    RAISE EXCEPTION 'campaign % is archived: it is read-only', row_campaign USING ERRCODE = 'restrict_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "pledges_not_archived" BEFORE INSERT OR UPDATE OR DELETE ON "pledges"
  FOR EACH ROW EXECUTE FUNCTION "refuse_archived_campaign_write"();
--> statement-breakpoint
CREATE TRIGGER "pledge_events_not_archived" BEFORE INSERT ON "pledge_events"
  FOR EACH ROW EXECUTE FUNCTION "refuse_archived_campaign_write"();
--> statement-breakpoint
CREATE TRIGGER "campaign_goals_not_archived" BEFORE INSERT OR UPDATE OR DELETE ON "campaign_goals"
  FOR EACH ROW EXECUTE FUNCTION "refuse_archived_campaign_write"();
--> statement-breakpoint
CREATE TRIGGER "campaign_parties_not_archived" BEFORE INSERT OR UPDATE OR DELETE ON "campaign_parties"
  FOR EACH ROW EXECUTE FUNCTION "refuse_archived_campaign_write"();
--> statement-breakpoint
CREATE TRIGGER "reminder_schedule_not_archived" BEFORE INSERT OR UPDATE OR DELETE ON "reminder_schedule"
  FOR EACH ROW EXECUTE FUNCTION "refuse_archived_campaign_write"();
--> statement-breakpoint
CREATE TRIGGER "reminder_runs_not_archived" BEFORE INSERT OR UPDATE OR DELETE ON "reminder_runs"
  FOR EACH ROW EXECUTE FUNCTION "refuse_archived_campaign_write"();
--> statement-breakpoint
CREATE TRIGGER "candidates_not_archived" BEFORE INSERT OR UPDATE OR DELETE ON "candidates"
  FOR EACH ROW EXECUTE FUNCTION "refuse_archived_campaign_write"();
--> statement-breakpoint
-- Signatures and moderation name their campaign through their candidate or pledge.
CREATE FUNCTION "refuse_archived_campaign_write_via"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  row_campaign integer;
BEGIN
  IF TG_TABLE_NAME = 'candidate_signatures' THEN
    SELECT "campaign_id" INTO row_campaign FROM "candidates" WHERE "id" = NEW."candidate_id";
  ELSE
    SELECT "campaign_id" INTO row_campaign FROM "pledges" WHERE "id" = NEW."pledge_id";
  END IF;
  IF EXISTS (SELECT 1 FROM "campaigns" WHERE "id" = row_campaign AND "state" = 'archived') THEN
    RAISE EXCEPTION 'campaign % is archived: it is read-only', row_campaign USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "candidate_signatures_not_archived" BEFORE INSERT ON "candidate_signatures"
  FOR EACH ROW EXECUTE FUNCTION "refuse_archived_campaign_write_via"();
--> statement-breakpoint
CREATE TRIGGER "statement_moderations_not_archived" BEFORE INSERT ON "statement_moderations"
  FOR EACH ROW EXECUTE FUNCTION "refuse_archived_campaign_write_via"();
--> statement-breakpoint
-- Invitations and their mails name their campaign too: none for an archived one (its public
-- record of who was asked is part of what was published).
CREATE TRIGGER "outbox_not_archived" BEFORE INSERT ON "outbox"
  FOR EACH ROW WHEN (NEW."campaign_id" IS NOT NULL) EXECUTE FUNCTION "refuse_archived_campaign_write"();
--> statement-breakpoint
CREATE TRIGGER "account_links_not_archived" BEFORE INSERT ON "account_links"
  FOR EACH ROW WHEN (NEW."campaign_id" IS NOT NULL) EXECUTE FUNCTION "refuse_archived_campaign_write"();
--> statement-breakpoint
-- The campaign row of an archived campaign: only its state may change (out of the archive).
CREATE FUNCTION "refuse_archived_campaign_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD."state" = 'archived' AND NEW."state" = 'archived' AND (
    NEW."slug" IS DISTINCT FROM OLD."slug" OR NEW."profile" IS DISTINCT FROM OLD."profile"
    OR NEW."election_date" IS DISTINCT FROM OLD."election_date" OR NEW."pledge_deadline" IS DISTINCT FROM OLD."pledge_deadline"
    OR NEW."pledging_override" IS DISTINCT FROM OLD."pledging_override"
  ) THEN
    RAISE EXCEPTION 'campaign % is archived: it is read-only', OLD."id" USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "campaigns_archived_read_only" BEFORE UPDATE ON "campaigns"
  FOR EACH ROW EXECUTE FUNCTION "refuse_archived_campaign_change"();
