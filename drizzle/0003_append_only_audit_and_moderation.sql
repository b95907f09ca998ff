-- The audit log and the moderation record are evidence: rows may be added, never changed or
-- removed. The same trigger function as pledge_events, under a name that fits all three.
CREATE FUNCTION "refuse_append_only_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'restrict_violation';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "audit_log_append_only"
  BEFORE UPDATE OR DELETE ON "audit_log"
  FOR EACH ROW EXECUTE FUNCTION "refuse_append_only_change"();
--> statement-breakpoint
CREATE TRIGGER "audit_log_no_truncate"
  BEFORE TRUNCATE ON "audit_log"
  FOR EACH STATEMENT EXECUTE FUNCTION "refuse_append_only_change"();
--> statement-breakpoint
CREATE TRIGGER "statement_moderations_append_only"
  BEFORE UPDATE OR DELETE ON "statement_moderations"
  FOR EACH ROW EXECUTE FUNCTION "refuse_append_only_change"();
--> statement-breakpoint
CREATE TRIGGER "statement_moderations_no_truncate"
  BEFORE TRUNCATE ON "statement_moderations"
  FOR EACH STATEMENT EXECUTE FUNCTION "refuse_append_only_change"();
