-- Sign-in limits count per client (address, IP) and minute in one upserted row, instead of a
-- row per attempt: a flood of guesses can no longer grow the table without bound. Known
-- clients (address + IP that signed in lately) stay checked when their IP is over its bound.
-- The old per-attempt rows only mattered for 15 minutes: dropping them loses nothing.
CREATE TABLE "login_attempt_counts" (
	"kind" "attempt_kind" NOT NULL,
	"email" text NOT NULL,
	"ip" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"refusals" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "login_attempt_counts_kind_email_ip_window_start_pk" PRIMARY KEY("kind","email","ip","window_start")
);
--> statement-breakpoint
CREATE TABLE "login_known_clients" (
	"kind" "attempt_kind" NOT NULL,
	"email" text NOT NULL,
	"ip" text NOT NULL,
	"last_success_at" timestamp with time zone NOT NULL,
	CONSTRAINT "login_known_clients_kind_email_ip_pk" PRIMARY KEY("kind","email","ip")
);
--> statement-breakpoint
DROP TABLE "login_attempts" CASCADE;--> statement-breakpoint
CREATE INDEX "login_attempt_counts_ip" ON "login_attempt_counts" USING btree ("kind","ip","window_start");