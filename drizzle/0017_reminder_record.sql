-- The public record and reminders (issue 13's second review; src/domain/outreach.ts,
-- src/domain/mail-wanted.ts):
--
-- 1. A held reminder did not go out. Nobody can read a held mail (Beheer → Mail shows no
--    bodies), so a reminder kept where no mail is sent reminded nobody. For kind 'reminder',
--    went_out_at is now set only when it is sent (its sent_at). A held invitation still counts
--    at its created_at: the admin was shown its link then, to pass on by hand.
--    The trigger also always computes went_out_at itself for a row not yet out: a value the
--    writer supplies on insert, or on an update before the mail went out, is ignored.
--
--    Existing rows are corrected: a reminder that was never sent loses its went_out_at, one
--    that was held and sent later gets its sent_at. This DOES change frozen boards (?asOf=)
--    of the past: they said "reminded" for reminders nobody received. We chose the truth over
--    stability: a frozen board is a claim about what had happened by then, and that claim was
--    wrong; keeping it would keep a public statement we know is false. The board's version
--    moves (outbox_updated_moves_board, 0016), so every cached page is recomputed.
--
-- 2. An invitation link used while its mail never went out (the admin passed the link on by
--    hand while the mail waited; the mail was then cancelled as link-used, or failed) now
--    counts as asked at the link's created_at (outreach.ts: linkAsksAlone). Using such a link
--    changes the record: it moves the board's version (a link without any mail was on the
--    record already, and one whose mail went out is counted by its mail: no move for those).
--
-- 3. reminder_run_id: a reminder's run (reminder_runs), so the sender can tell the deadline it
--    was written for from the one in force, and not send a reminder naming an old deadline.
--    Reminders written before this migration have none (the run cannot be told reliably);
--    for them only the other rules apply (a newer round, the deadline passed, answered).
ALTER TABLE "outbox" DROP CONSTRAINT "outbox_out_has_time";--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "reminder_run_id" integer;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_reminder_run_id_reminder_runs_id_fk" FOREIGN KEY ("reminder_run_id") REFERENCES "public"."reminder_runs"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
-- The trigger keeps a went_out_at once set: step past it for this one correction.
ALTER TABLE "outbox" DISABLE TRIGGER "outbox_went_out_once";--> statement-breakpoint
UPDATE "outbox" SET "went_out_at" = "sent_at"
  WHERE "kind" = 'reminder' AND "went_out_at" IS DISTINCT FROM "sent_at";--> statement-breakpoint
ALTER TABLE "outbox" ENABLE TRIGGER "outbox_went_out_once";--> statement-breakpoint
CREATE OR REPLACE FUNCTION "outbox_went_out_once"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD."went_out_at" IS NOT NULL THEN
    NEW."went_out_at" := OLD."went_out_at";
  ELSIF NEW."status" = 'sent' THEN
    NEW."went_out_at" := NEW."sent_at";
  ELSIF NEW."status" = 'held' AND NEW."kind" <> 'reminder' THEN
    NEW."went_out_at" := CASE WHEN TG_OP = 'INSERT' THEN NEW."created_at" ELSE now() END;
  ELSE
    -- Not out yet: whatever the writer supplied is not a fact.
    NEW."went_out_at" := NULL;
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION "invite_link_used_moves_board"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM new_rows n JOIN old_rows o ON o."id" = n."id"
    WHERE n."purpose" = 'invite' AND n."used_at" IS DISTINCT FROM o."used_at"
      AND EXISTS (SELECT 1 FROM "outbox" m WHERE m."account_link_id" = n."id")
      AND NOT EXISTS (SELECT 1 FROM "outbox" m WHERE m."account_link_id" = n."id" AND m."went_out_at" IS NOT NULL)
  ) THEN
    PERFORM "move_board_version"();
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "account_links_invite_used_moves_board" AFTER UPDATE ON "account_links"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "invite_link_used_moves_board"();
--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_out_has_time" CHECK ("outbox"."went_out_at" is not null or not ("outbox"."status" = 'sent' or ("outbox"."status" = 'held' and "outbox"."kind" <> 'reminder')));
