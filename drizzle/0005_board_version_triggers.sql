-- Every change the public can see moves the board's version and tells every listening
-- instance (NOTIFY is delivered when the transaction commits). Statement-level, so a
-- multi-row change counts once. Written in the database, not the app, so that no path
-- (the admin pages, the command line, a hand-written fix) can change data without it.
INSERT INTO "board_state" ("id", "version") VALUES (1, 0) ON CONFLICT DO NOTHING;
--> statement-breakpoint
CREATE FUNCTION "bump_board_version"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  next_version bigint;
BEGIN
  UPDATE "board_state" SET "version" = "version" + 1 WHERE "id" = 1 RETURNING "version" INTO next_version;
  PERFORM pg_notify('pledgeboard_board', next_version::text);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "parties_bump_board_version" AFTER INSERT OR UPDATE OR DELETE ON "parties"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_board_version"();
--> statement-breakpoint
CREATE TRIGGER "pledges_bump_board_version" AFTER INSERT OR UPDATE OR DELETE ON "pledges"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_board_version"();
--> statement-breakpoint
CREATE TRIGGER "statement_moderations_bump_board_version" AFTER INSERT ON "statement_moderations"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_board_version"();
