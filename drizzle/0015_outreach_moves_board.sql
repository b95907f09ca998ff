-- The public record says when each party was asked and reminded (src/domain/outreach.ts): an
-- invitation or reminder mail that goes out (status sent or held), or leaves that state, and
-- an invitation link made without mail, change it. Those move the board's version, so cached
-- public pages drop at once. Other mail (resets, notices) and a sender's leases do not.
-- Statement-level with transition tables: a reminder round of many rows counts once.
CREATE FUNCTION "move_board_version"() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  next_version bigint;
BEGIN
  UPDATE "board_state" SET "version" = "version" + 1 WHERE "id" = 1 RETURNING "version" INTO next_version;
  PERFORM pg_notify('pledgeboard_board', next_version::text);
END;
$$;
--> statement-breakpoint
CREATE FUNCTION "outbox_inserted_moves_board"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM new_rows
    WHERE "kind" IN ('invite', 'reminder') AND "party_id" IS NOT NULL AND "status" IN ('sent', 'held')
  ) THEN
    PERFORM "move_board_version"();
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION "outbox_updated_moves_board"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM new_rows n JOIN old_rows o ON o."id" = n."id"
    WHERE (n."kind" IN ('invite', 'reminder') OR o."kind" IN ('invite', 'reminder'))
      AND (n."party_id" IS NOT NULL OR o."party_id" IS NOT NULL)
      AND (n."status" IS DISTINCT FROM o."status" OR n."sent_at" IS DISTINCT FROM o."sent_at" OR n."party_id" IS DISTINCT FROM o."party_id")
      AND (n."status" IN ('sent', 'held') OR o."status" IN ('sent', 'held'))
  ) THEN
    PERFORM "move_board_version"();
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION "invite_link_inserted_moves_board"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM new_rows WHERE "purpose" = 'invite') THEN
    PERFORM "move_board_version"();
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "outbox_insert_moves_board" AFTER INSERT ON "outbox"
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "outbox_inserted_moves_board"();
--> statement-breakpoint
CREATE TRIGGER "outbox_update_moves_board" AFTER UPDATE ON "outbox"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "outbox_updated_moves_board"();
--> statement-breakpoint
CREATE TRIGGER "account_links_invite_moves_board" AFTER INSERT ON "account_links"
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "invite_link_inserted_moves_board"();
