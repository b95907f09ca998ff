/**
 * The database schema. Migrations in drizzle/ are generated from this file by drizzle-kit
 * (`npm run db:generate`) and applied at start; never edit the database by hand.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  unique,
} from 'drizzle-orm/pg-core';
import { STANCES } from '../domain/stances.ts';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const stance = pgEnum('stance', STANCES);

/** Who made a change, as the public history shows it. */
export const actorRole = pgEnum('actor_role', ['rep', 'admin', 'system']);

export const parties = pgTable(
  'parties',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    slug: text('slug').notNull().unique(),
    name: text('name').notNull(),
    abbreviation: text('abbreviation').notNull(),
    seats: integer('seats').notNull().default(0),
    website: text('website'),
    /** A retired party leaves the board; its pledges and history stay. */
    retiredAt: timestamp('retired_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('parties_seats_non_negative', sql`${t.seats} >= 0`)],
);

/** The current pledge of one party on one goal; its past lives in pledge_events. */
export const pledges = pgTable(
  'pledges',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    partyId: integer('party_id')
      .notNull()
      .references(() => parties.id, { onDelete: 'restrict' }),
    /** Goals live in content/goals; the domain checks the slug against the campaign's goals. */
    goalSlug: text('goal_slug').notNull(),
    stance: stance('stance').notNull(),
    statement: text('statement').notNull().default(''),
    evidenceUrl: text('evidence_url'),
    evidencePage: integer('evidence_page'),
    /** Optimistic concurrency: a save names the version it started from. */
    version: integer('version').notNull().default(1),
    updatedByName: text('updated_by_name').notNull(),
    updatedByRole: actorRole('updated_by_role').notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('pledges_party_goal').on(t.partyId, t.goalSlug),
    check('pledges_version_positive', sql`${t.version} >= 1`),
    check('pledges_statement_length', sql`char_length(${t.statement}) <= 1000`),
    check('pledges_evidence_https', sql`${t.evidenceUrl} is null or ${t.evidenceUrl} like 'https://%'`),
    check('pledges_evidence_page_positive', sql`${t.evidencePage} is null or ${t.evidencePage} >= 1`),
  ],
);

/**
 * Append-only history of every pledge change: who, when, from what to what. A trigger in the
 * migrations refuses UPDATE and DELETE, so the record cannot be rewritten even by a bug.
 * Its id only grows, which makes the latest id a version of the public board.
 */
export const pledgeEvents = pgTable(
  'pledge_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    pledgeId: integer('pledge_id')
      .notNull()
      .references(() => pledges.id, { onDelete: 'restrict' }),
    partyId: integer('party_id')
      .notNull()
      .references(() => parties.id, { onDelete: 'restrict' }),
    goalSlug: text('goal_slug').notNull(),
    version: integer('version').notNull(),
    stanceBefore: stance('stance_before'),
    stanceAfter: stance('stance_after').notNull(),
    statementBefore: text('statement_before'),
    statementAfter: text('statement_after').notNull(),
    evidenceUrlBefore: text('evidence_url_before'),
    evidenceUrlAfter: text('evidence_url_after'),
    evidencePageBefore: integer('evidence_page_before'),
    evidencePageAfter: integer('evidence_page_after'),
    actorName: text('actor_name').notNull(),
    actorRole: actorRole('actor_role').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('pledge_events_pledge_version').on(t.pledgeId, t.version),
    index('pledge_events_party').on(t.partyId, t.occurredAt),
    index('pledge_events_occurred').on(t.occurredAt),
  ],
);

/** Small facts about this installation, e.g. when the initial party list was imported. */
export const appSettings = pgTable('app_settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
