CREATE TABLE "board_state" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "board_state_single_row" CHECK ("board_state"."id" = 1)
);
