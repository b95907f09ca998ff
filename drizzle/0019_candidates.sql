-- Candidates (issue 14): the Kiesraad's lists imported per campaign, one row per person
-- however many electoral districts they stand in (their standings per district alongside),
-- and the candidates' own signatures on the campaign's goals, append-only like the pledge
-- history. A candidate's account has the new role 'candidate' and names its candidate; an
-- invitation for a candidate names the candidate too (its party_id is the candidate's party).
CREATE TYPE "public"."candidate_gender" AS ENUM('male', 'female');--> statement-breakpoint
ALTER TYPE "public"."user_role" ADD VALUE 'candidate';--> statement-breakpoint
CREATE TABLE "candidate_signatures" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "candidate_signatures_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"candidate_id" integer NOT NULL,
	"goal_slug" text NOT NULL,
	"committed" boolean NOT NULL,
	"statement" text DEFAULT '' NOT NULL,
	"by_user_id" integer NOT NULL,
	"signed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "candidate_signatures_statement_length" CHECK (char_length("candidate_signatures"."statement") <= 280)
);
--> statement-breakpoint
CREATE TABLE "candidate_standings" (
	"candidate_id" integer NOT NULL,
	"district_number" integer NOT NULL,
	"district_name" text,
	"list_number" integer NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "candidate_standings_candidate_id_district_number_list_number_pk" PRIMARY KEY("candidate_id","district_number","list_number")
);
--> statement-breakpoint
CREATE TABLE "candidates" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "candidates_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"campaign_id" integer NOT NULL,
	"party_id" integer NOT NULL,
	"person_key" text NOT NULL,
	"initials" text NOT NULL,
	"first_name" text,
	"prefix" text,
	"last_name" text NOT NULL,
	"gender" "candidate_gender",
	"publish_gender" boolean DEFAULT false NOT NULL,
	"place" text,
	"country" text,
	"position" integer NOT NULL,
	"elected_at" timestamp with time zone,
	"withdrawn_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "candidates_person" UNIQUE("campaign_id","party_id","person_key"),
	CONSTRAINT "candidates_position_positive" CHECK ("candidates"."position" >= 1)
);
--> statement-breakpoint
ALTER TABLE "account_links" ADD COLUMN "candidate_id" integer;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "candidate_id" integer;--> statement-breakpoint
ALTER TABLE "candidate_signatures" ADD CONSTRAINT "candidate_signatures_candidate_id_candidates_id_fk" FOREIGN KEY ("candidate_id") REFERENCES "public"."candidates"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "candidate_signatures" ADD CONSTRAINT "candidate_signatures_by_user_id_users_id_fk" FOREIGN KEY ("by_user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "candidate_standings" ADD CONSTRAINT "candidate_standings_candidate_id_candidates_id_fk" FOREIGN KEY ("candidate_id") REFERENCES "public"."candidates"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "candidates" ADD CONSTRAINT "candidates_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "candidates" ADD CONSTRAINT "candidates_party_id_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."parties"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "candidate_signatures_candidate" ON "candidate_signatures" USING btree ("candidate_id","goal_slug","id");--> statement-breakpoint
CREATE INDEX "candidates_list" ON "candidates" USING btree ("campaign_id","party_id","position");--> statement-breakpoint
CREATE INDEX "candidates_place" ON "candidates" USING btree ("campaign_id","place");--> statement-breakpoint
ALTER TABLE "account_links" ADD CONSTRAINT "account_links_candidate_id_candidates_id_fk" FOREIGN KEY ("candidate_id") REFERENCES "public"."candidates"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_candidate_id_candidates_id_fk" FOREIGN KEY ("candidate_id") REFERENCES "public"."candidates"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_candidate_id_unique" UNIQUE("candidate_id");--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_candidate_matches_role" CHECK (("users"."role"::text = 'candidate') = ("users"."candidate_id" is not null));--> statement-breakpoint
CREATE TRIGGER "candidate_signatures_append_only"
  BEFORE UPDATE OR DELETE ON "candidate_signatures"
  FOR EACH ROW EXECUTE FUNCTION "refuse_append_only_change"();
--> statement-breakpoint
CREATE TRIGGER "candidate_signatures_no_truncate"
  BEFORE TRUNCATE ON "candidate_signatures"
  FOR EACH STATEMENT EXECUTE FUNCTION "refuse_append_only_change"();
--> statement-breakpoint
-- What the public sees of candidates moves the board's version, as pledges do (0005).
CREATE TRIGGER "candidates_bump_board_version" AFTER INSERT OR UPDATE OR DELETE ON "candidates"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_board_version"();
--> statement-breakpoint
CREATE TRIGGER "candidate_standings_bump_board_version" AFTER INSERT OR UPDATE OR DELETE ON "candidate_standings"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_board_version"();
--> statement-breakpoint
CREATE TRIGGER "candidate_signatures_bump_board_version" AFTER INSERT ON "candidate_signatures"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_board_version"();
