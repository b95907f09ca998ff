-- Review of issue 15: a re-import of a Zaak rewrote its row and a new fraction mapping replaced
-- the old one, so a frozen view (?at=) showed votes, effect and mappings published later.
-- Now a linked item is a link made once (parliament_items) with append-only imports (what the
-- Kamer recorded, each time it was imported) and unlinks (taken off its goal, with a reason);
-- fraction_mappings becomes append-only with set_at: the mapping at a moment is the latest set
-- by then. Existing data moves in: each item's import as it stands, linked since it was
-- imported; each mapping as set since the campaign's first linked item (the views that could
-- show it), so every frozen view reads as it did before this migration.
CREATE TABLE "parliament_item_imports" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "parliament_item_imports_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"campaign_id" integer NOT NULL,
	"item_id" integer NOT NULL,
	"zaak_id" text NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"subject" text,
	"effect" "item_effect" NOT NULL,
	"item" jsonb NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	"by_user_id" integer
);
--> statement-breakpoint
CREATE TABLE "parliament_item_unlinks" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "parliament_item_unlinks_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"campaign_id" integer NOT NULL,
	"item_id" integer NOT NULL,
	"reason" text NOT NULL,
	"unlinked_at" timestamp with time zone DEFAULT now() NOT NULL,
	"by_user_id" integer,
	CONSTRAINT "parliament_item_unlinks_reason_length" CHECK (char_length("parliament_item_unlinks"."reason") between 1 and 300)
);
--> statement-breakpoint
ALTER TABLE "parliament_item_imports" ADD CONSTRAINT "parliament_item_imports_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parliament_item_imports" ADD CONSTRAINT "parliament_item_imports_item_id_parliament_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."parliament_items"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parliament_item_imports" ADD CONSTRAINT "parliament_item_imports_by_user_id_users_id_fk" FOREIGN KEY ("by_user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parliament_item_unlinks" ADD CONSTRAINT "parliament_item_unlinks_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parliament_item_unlinks" ADD CONSTRAINT "parliament_item_unlinks_item_id_parliament_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."parliament_items"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parliament_item_unlinks" ADD CONSTRAINT "parliament_item_unlinks_by_user_id_users_id_fk" FOREIGN KEY ("by_user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "parliament_item_imports_item" ON "parliament_item_imports" USING btree ("item_id","imported_at");--> statement-breakpoint
CREATE INDEX "parliament_item_unlinks_item" ON "parliament_item_unlinks" USING btree ("item_id","unlinked_at");--> statement-breakpoint
-- Each item as last imported becomes its first import; the link dates from then.
INSERT INTO "parliament_item_imports" ("campaign_id", "item_id", "zaak_id", "kind", "title", "subject", "effect", "item", "imported_at", "by_user_id")
  SELECT "campaign_id", "id", "zaak_id", "kind", "title", "subject", "effect", "item", "imported_at", "by_user_id" FROM "parliament_items" ORDER BY "id";--> statement-breakpoint
ALTER TABLE "parliament_items" ADD COLUMN "created_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
-- Archived campaigns' rows too (their read-only rule off for this statement, as 0023 does); the
-- record does not change, so no board moves either.
ALTER TABLE "parliament_items" DISABLE TRIGGER USER;--> statement-breakpoint
UPDATE "parliament_items" SET "created_at" = "imported_at";--> statement-breakpoint
ALTER TABLE "parliament_items" ENABLE TRIGGER USER;--> statement-breakpoint
ALTER TABLE "parliament_items" DROP COLUMN "zaak_id";--> statement-breakpoint
ALTER TABLE "parliament_items" DROP COLUMN "kind";--> statement-breakpoint
ALTER TABLE "parliament_items" DROP COLUMN "title";--> statement-breakpoint
ALTER TABLE "parliament_items" DROP COLUMN "subject";--> statement-breakpoint
ALTER TABLE "parliament_items" DROP COLUMN "effect";--> statement-breakpoint
ALTER TABLE "parliament_items" DROP COLUMN "item";--> statement-breakpoint
ALTER TABLE "parliament_items" DROP COLUMN "imported_at";--> statement-breakpoint
ALTER TABLE "fraction_mappings" DROP CONSTRAINT "fraction_mappings_campaign_id_fraction_pk";--> statement-breakpoint
ALTER TABLE "fraction_mappings" ADD COLUMN "id" bigint PRIMARY KEY NOT NULL GENERATED ALWAYS AS IDENTITY (sequence name "fraction_mappings_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1);--> statement-breakpoint
ALTER TABLE "fraction_mappings" ADD COLUMN "set_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "fraction_mappings" ADD COLUMN "by_user_id" integer;--> statement-breakpoint
ALTER TABLE "fraction_mappings" ADD CONSTRAINT "fraction_mappings_by_user_id_users_id_fk" FOREIGN KEY ("by_user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fraction_mappings" DISABLE TRIGGER USER;--> statement-breakpoint
UPDATE "fraction_mappings" fm SET "set_at" = coalesce((SELECT min(pi."created_at") FROM "parliament_items" pi WHERE pi."campaign_id" = fm."campaign_id"), fm."set_at");--> statement-breakpoint
ALTER TABLE "fraction_mappings" ENABLE TRIGGER USER;--> statement-breakpoint
CREATE INDEX "fraction_mappings_fraction" ON "fraction_mappings" USING btree ("campaign_id","fraction","set_at");--> statement-breakpoint
-- The links, imports, unlinks and mappings are the public record: added, never changed or removed.
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['parliament_items', 'parliament_item_imports', 'parliament_item_unlinks', 'fraction_mappings'] LOOP
    EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION "refuse_append_only_change"()', t || '_append_only', t);
    EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION "refuse_append_only_change"()', t || '_no_truncate', t);
  END LOOP;
END;
$$;
--> statement-breakpoint
-- An archived campaign is read-only for everyone (as drizzle/0020), and each change moves its
-- campaign's board version (as drizzle/0021); parliament_items and fraction_mappings have both.
DO $$
DECLARE
  t text;
  ev text;
BEGIN
  FOREACH t IN ARRAY ARRAY['parliament_item_imports', 'parliament_item_unlinks'] LOOP
    EXECUTE format('CREATE TRIGGER %I BEFORE INSERT OR UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION "refuse_archived_campaign_write"()', t || '_not_archived', t);
    FOREACH ev IN ARRAY ARRAY['INSERT', 'UPDATE', 'DELETE'] LOOP
      EXECUTE format(
        'CREATE TRIGGER %I AFTER %s ON %I REFERENCING %s TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "campaign_rows_move_board"()',
        t || '_' || lower(ev) || '_moves_board', ev, t, CASE ev WHEN 'DELETE' THEN 'OLD' ELSE 'NEW' END);
    END LOOP;
  END LOOP;
END;
$$;
