-- Two changes to the outbox (src/domain/outbox.ts, issue 13's review):
--
-- 1. went_out_at: when a mail went out for the public record (src/domain/outreach.ts), set
--    once — when it is first held (where no mail is sent) or first sent — and never changed:
--    a held mail that a sender later claims (held → pending) and sends stays counted, at the
--    same moment, so a party's "first asked" never blinks out and a frozen board (?asOf=)
--    never changes after the fact. A trigger sets and keeps it, whoever writes the row.
-- 2. status 'cancelled': a queued mail no longer wanted when its turn came (its link used,
--    revoked or expired; its party answered; the deadline passed), never sent.
ALTER TYPE "public"."mail_status" ADD VALUE 'cancelled';--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "went_out_at" timestamp with time zone;--> statement-breakpoint
-- Existing rows keep the moment the record gave them until now.
UPDATE "outbox" SET "went_out_at" = CASE WHEN "status" = 'sent' THEN "sent_at" ELSE "created_at" END
  WHERE "status" IN ('sent', 'held');--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_out_has_time" CHECK ("outbox"."status" not in ('sent', 'held') or "outbox"."went_out_at" is not null);--> statement-breakpoint
CREATE FUNCTION "outbox_went_out_once"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD."went_out_at" IS NOT NULL THEN
    NEW."went_out_at" := OLD."went_out_at";
  ELSIF NEW."went_out_at" IS NULL AND NEW."status" = 'sent' THEN
    NEW."went_out_at" := NEW."sent_at";
  ELSIF NEW."went_out_at" IS NULL AND NEW."status" = 'held' THEN
    NEW."went_out_at" := CASE WHEN TG_OP = 'INSERT' THEN NEW."created_at" ELSE now() END;
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "outbox_went_out_once" BEFORE INSERT OR UPDATE ON "outbox"
  FOR EACH ROW EXECUTE FUNCTION "outbox_went_out_once"();
--> statement-breakpoint
-- The board's version (migration 0015) now moves when the record changes: a recorded mail
-- (invitation, reminder, with a party) gets its went_out_at, or one that has it changes party
-- or kind. A held mail claimed and sent (held → pending → sent) changes nothing public.
CREATE OR REPLACE FUNCTION "outbox_inserted_moves_board"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM new_rows
    WHERE "kind" IN ('invite', 'reminder') AND "party_id" IS NOT NULL AND "went_out_at" IS NOT NULL
  ) THEN
    PERFORM "move_board_version"();
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION "outbox_updated_moves_board"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM new_rows n JOIN old_rows o ON o."id" = n."id"
    WHERE (n."kind" IN ('invite', 'reminder') OR o."kind" IN ('invite', 'reminder'))
      AND (n."party_id" IS NOT NULL OR o."party_id" IS NOT NULL)
      AND (n."went_out_at" IS NOT NULL OR o."went_out_at" IS NOT NULL)
      AND (
        n."went_out_at" IS DISTINCT FROM o."went_out_at"
        OR n."party_id" IS DISTINCT FROM o."party_id"
        OR n."kind" IS DISTINCT FROM o."kind"
        OR n."created_at" IS DISTINCT FROM o."created_at"
      )
  ) THEN
    PERFORM "move_board_version"();
  END IF;
  RETURN NULL;
END;
$$;
