-- The campaign may hide a party's reply (issue 15 review) as it hides a statement (0003): a
-- public reason in its place, the words kept. Numbered 0025 by its author; 0024 is another
-- branch's. See src/db/schema.ts (replyModerations) and src/domain/replies.ts.
CREATE TABLE "reply_moderations" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "reply_moderations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"campaign_id" integer NOT NULL,
	"reply_id" bigint NOT NULL,
	"hidden" boolean NOT NULL,
	"reason" text NOT NULL,
	"by_user_id" integer,
	"by_name" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "reply_moderations" ADD CONSTRAINT "reply_moderations_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reply_moderations" ADD CONSTRAINT "reply_moderations_reply_id_party_replies_id_fk" FOREIGN KEY ("reply_id") REFERENCES "public"."party_replies"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reply_moderations" ADD CONSTRAINT "reply_moderations_by_user_id_users_id_fk" FOREIGN KEY ("by_user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "reply_moderations_reply" ON "reply_moderations" USING btree ("reply_id","id");--> statement-breakpoint
CREATE INDEX "reply_moderations_campaign" ON "reply_moderations" USING btree ("campaign_id","id");--> statement-breakpoint
-- Evidence, like statement_moderations: added, never changed or removed.
CREATE TRIGGER "reply_moderations_append_only"
  BEFORE UPDATE OR DELETE ON "reply_moderations"
  FOR EACH ROW EXECUTE FUNCTION "refuse_append_only_change"();
--> statement-breakpoint
CREATE TRIGGER "reply_moderations_no_truncate"
  BEFORE TRUNCATE ON "reply_moderations"
  FOR EACH STATEMENT EXECUTE FUNCTION "refuse_append_only_change"();
--> statement-breakpoint
-- An archived campaign is read-only (0020); a moderation moves its campaign's board (0021).
CREATE TRIGGER "reply_moderations_not_archived"
  BEFORE INSERT OR UPDATE OR DELETE ON "reply_moderations"
  FOR EACH ROW EXECUTE FUNCTION "refuse_archived_campaign_write"();
--> statement-breakpoint
CREATE TRIGGER "reply_moderations_insert_moves_board"
  AFTER INSERT ON "reply_moderations"
  REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "campaign_rows_move_board"();
