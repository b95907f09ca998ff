-- The pledge history is the public record: rows may be added, never changed or removed.
-- A trigger (not just app code) enforces this, so no bug or hand-written query can rewrite it.
CREATE FUNCTION "refuse_pledge_event_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'pledge_events is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'restrict_violation';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "pledge_events_append_only"
  BEFORE UPDATE OR DELETE ON "pledge_events"
  FOR EACH ROW EXECUTE FUNCTION "refuse_pledge_event_change"();
--> statement-breakpoint
CREATE TRIGGER "pledge_events_no_truncate"
  BEFORE TRUNCATE ON "pledge_events"
  FOR EACH STATEMENT EXECUTE FUNCTION "refuse_pledge_event_change"();
