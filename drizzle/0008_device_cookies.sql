-- Device cookies (OWASP): browsers that signed in to an address keep being checked, on their
-- own budget, when guesses from elsewhere have spent the address's shared one. Counts get a
-- "trust" column saying whose budget they are on; existing rows were nobody's ('').
-- (Reordered by hand: drizzle-kit put the new primary key before the column it uses.)
CREATE TABLE "login_known_devices" (
	"kind" "attempt_kind" NOT NULL,
	"email" text NOT NULL,
	"device" text NOT NULL,
	"last_success_at" timestamp with time zone NOT NULL,
	CONSTRAINT "login_known_devices_kind_email_device_pk" PRIMARY KEY("kind","email","device")
);
--> statement-breakpoint
ALTER TABLE "login_attempt_counts" ADD COLUMN "trust" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "login_attempt_counts" DROP CONSTRAINT "login_attempt_counts_kind_email_ip_window_start_pk";--> statement-breakpoint
ALTER TABLE "login_attempt_counts" ADD CONSTRAINT "login_attempt_counts_kind_email_ip_trust_window_start_pk" PRIMARY KEY("kind","email","ip","trust","window_start");--> statement-breakpoint
CREATE INDEX "login_known_devices_device" ON "login_known_devices" USING btree ("device");
