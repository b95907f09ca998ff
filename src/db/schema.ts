/**
 * The database schema. Migrations in drizzle/ are generated from this file by drizzle-kit
 * (`npm run db:generate`) and applied at start; never edit the database by hand.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/** The campaign a row belongs to (pledges, their history, reminders). */
const campaignId = () =>
  integer('campaign_id')
    .notNull()
    .references(() => campaigns.id, { onDelete: 'restrict' });

/** What a party can say about a goal (src/domain/stances.ts takes its list from here). */
export const stance = pgEnum('stance', ['committed', 'partial', 'declined']);

/** Who made a change, as the public history shows it. */
export const actorRole = pgEnum('actor_role', ['rep', 'admin', 'system']);

/** The registry of parties, shared by every campaign; campaign_parties says who takes part where. */
export const parties = pgTable('parties', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  abbreviation: text('abbreviation').notNull(),
  website: text('website'),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Where a campaign is (src/domain/campaigns.ts): draft (admins only), open (pledging, as the
 * deadline and an admin's override allow), closed, follow-up (after the election), archived
 * (read-only for everyone).
 */
export const campaignState = pgEnum('campaign_state', ['draft', 'open', 'closed', 'follow-up', 'archived']);

/**
 * A campaign: one election, its goals and the parties it asks. Its public texts (names,
 * organiser, election name, terminology call, press contact) are one JSON document checked by
 * campaignProfileSchema; what queries and rules need are columns.
 */
export const campaigns = pgTable(
  'campaigns',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    slug: text('slug').notNull().unique(),
    state: campaignState('state').notNull().default('draft'),
    /** The campaign the addresses without a campaign show; at most one. */
    isCurrent: boolean('is_current').notNull().default(false),
    profile: jsonb('profile').notNull(),
    electionDate: timestamp('election_date', { withTimezone: true }),
    /** When pledging closes (null: open until an admin closes it); set at import or in Beheer. */
    pledgeDeadline: timestamp('pledge_deadline', { withTimezone: true }),
    /** An admin's choice that wins over the deadline: 'open', 'closed', or null (the deadline decides). */
    pledgingOverride: text('pledging_override'),
    /** When content/ was imported into it (the first campaign); null for one made in Beheer or not yet imported. */
    contentImportedAt: timestamp('content_imported_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('campaigns_one_current')
      .on(t.isCurrent)
      .where(sql`${t.isCurrent}`),
    check('campaigns_pledging_override', sql`${t.pledgingOverride} is null or ${t.pledgingOverride} in ('open', 'closed')`),
    check('campaigns_current_is_public', sql`not ${t.isCurrent} or ${t.state} <> 'draft'`),
  ],
);

/** A campaign's goals; `texts` holds each language's title, short title, summary, measures and model text. */
export const campaignGoals = pgTable(
  'campaign_goals',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'restrict' }),
    slug: text('slug').notNull(),
    number: integer('number').notNull(),
    texts: jsonb('texts').notNull(),
  },
  (t) => [unique('campaign_goals_slug').on(t.campaignId, t.slug), unique('campaign_goals_number').on(t.campaignId, t.number)],
);

/** Which parties a campaign asks, with their seats for that election (0 when not known). */
export const campaignParties = pgTable(
  'campaign_parties',
  {
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'restrict' }),
    partyId: integer('party_id')
      .notNull()
      .references(() => parties.id, { onDelete: 'restrict' }),
    /**
     * The name and abbreviation this campaign shows: copied from the registry when the party
     * joins, changed with the party in this campaign's Beheer. An earlier campaign keeps the
     * name it published under (drizzle/0021).
     */
    name: text('name').notNull(),
    abbreviation: text('abbreviation').notNull(),
    /** As the name: the website this campaign links to (drizzle/0023). */
    website: text('website'),
    seats: integer('seats').notNull().default(0),
    /** A retired party leaves the campaign's board; its pledges and history stay. */
    retiredAt: timestamp('retired_at', { withTimezone: true }),
    createdAt: createdAt(),
    /** When this campaign's facts of the party last changed: its board's "last updated" counts it. */
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.partyId] }),
    index('campaign_parties_party').on(t.partyId),
    check('campaign_parties_seats_non_negative', sql`${t.seats} >= 0`),
  ],
);

/** admin: the campaign's staff; rep: speaks for one party; candidate: signs for themselves only. */
export const userRole = pgEnum('user_role', ['admin', 'rep', 'candidate']);

/** Invite-only accounts: an admin of the campaign, or a representative bound to one party. */
export const users = pgTable(
  'users',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    /** Stored lower-case; unique. */
    email: text('email').notNull().unique(),
    displayName: text('display_name').notNull(),
    role: userRole('role').notNull(),
    partyId: integer('party_id').references(() => parties.id, { onDelete: 'restrict' }),
    /** A candidate's account: the one candidate (of one campaign's list) it signs for. */
    candidateId: integer('candidate_id')
      .unique()
      .references((): AnyPgColumn => candidates.id, { onDelete: 'restrict' }),
    passwordHash: text('password_hash').notNull(),
    /** Base64 TOTP key once two-factor login is set up; null until then. */
    totpKey: text('totp_key'),
    /** The last TOTP time step accepted, so a code can never be used twice. */
    totpLastStep: bigint('totp_last_step', { mode: 'number' }),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    /** A representative's choice (account page): mail me when a colleague changes our pledge. */
    notifyColleagueChanges: boolean('notify_colleague_changes').notNull().default(false),
    /** A representative's choice: mail me when the campaign corrects our pledge or hides/shows a statement. */
    notifyCampaignChanges: boolean('notify_campaign_changes').notNull().default(false),
    /** The language of the mails this person gets unasked (reminders, notices): the page's language when they last chose. */
    mailLocale: text('mail_locale').notNull().default('nl'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // A representative always belongs to exactly one party; an admin to none.
    check('users_party_matches_role', sql`(${t.role} = 'rep') = (${t.partyId} is not null)`),
    // Compared as text: a check may not use an enum value added in the same migration (0019).
    check('users_candidate_matches_role', sql`(${t.role}::text = 'candidate') = (${t.candidateId} is not null)`),
    check('users_email_lower_case', sql`${t.email} = lower(${t.email})`),
    check('users_mail_locale', sql`${t.mailLocale} in ('nl', 'en')`),
    index('users_party').on(t.partyId),
  ],
);

/** Sessions as in the Lucia guide: the id is the SHA-256 of the cookie's token, never the token. */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    twoFactorVerified: boolean('two_factor_verified').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [index('sessions_user').on(t.userId)],
);

/**
 * Recovery codes for the second step (a lost phone): a set of ten made at TOTP enrolment or on
 * request, each usable once. Only a SHA-256 of the account's id and the normalised code is
 * stored (src/credentials/recovery-codes.ts). A used code keeps its row (used_at) so the account
 * page can say how many are left; a new set deletes the old one.
 */
export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    createdAt: createdAt(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [unique('recovery_codes_user_code').on(t.userId, t.codeHash)],
);

export const linkPurpose = pgEnum('link_purpose', ['invite', 'admin-setup', 'password-reset']);

/**
 * Single-use links sent to a person: an invitation to represent a party, the first admin's
 * setup link, a password reset. Only the SHA-256 of the link's token is stored.
 */
export const accountLinks = pgTable(
  'account_links',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    tokenHash: text('token_hash').notNull().unique(),
    purpose: linkPurpose('purpose').notNull(),
    /** Invitations and admin setup name the address; the person cannot change it. */
    email: text('email'),
    partyId: integer('party_id').references(() => parties.id, { onDelete: 'restrict' }),
    /** An invitation to a candidate to sign in person (its party_id is the candidate's party). */
    candidateId: integer('candidate_id').references((): AnyPgColumn => candidates.id, { onDelete: 'restrict' }),
    /** The campaign an invitation asks for (its public record of outreach). */
    campaignId: integer('campaign_id').references(() => campaigns.id, { onDelete: 'restrict' }),
    userId: integer('user_id').references(() => users.id, { onDelete: 'cascade' }),
    createdByUserId: integer('created_by_user_id').references(() => users.id, { onDelete: 'restrict' }),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    /**
     * A password reset that also removes the account's second factor (an admin's explicit
     * choice): done when the link is redeemed, so a key enrolled meanwhile goes too.
     */
    clearsSecondFactor: boolean('clears_second_factor').notNull().default(false),
    /**
     * A password reset the account's owner asked for on the sign-in page ("forgot password"),
     * not one an admin made: a new request replaces only these, never an admin's link.
     */
    selfService: boolean('self_service').notNull().default(false),
  },
  (t) => [
    check('account_links_invite_has_party', sql`(${t.purpose} = 'invite') = (${t.partyId} is not null)`),
    check('account_links_reset_has_user', sql`(${t.purpose} = 'password-reset') = (${t.userId} is not null)`),
    // Only an admin's explicit choice clears a second factor: never a link anyone can ask for.
    check('account_links_self_service_keeps_second_factor', sql`not ${t.selfService} or (${t.purpose} = 'password-reset' and not ${t.clearsSecondFactor})`),
  ],
);

/**
 * What is counted: sign-in steps (password, TOTP code), or self-service password-reset requests
 * ('reset-request', counted per address and IP over an hour: see claimResetRequest).
 */
export const attemptKind = pgEnum('attempt_kind', ['password', 'totp', 'reset-request']);

/**
 * Sign-in steps counted per client (address typed in, IP) and minute, in the database so the
 * limits hold across instances: one row per pair and minute however many attempts come, so a
 * flood of guesses cannot grow the table without bound. See src/auth/rate-limit.ts.
 */
export const loginAttemptCounts = pgTable(
  'login_attempt_counts',
  {
    kind: attemptKind('kind').notNull(),
    /** The lower-cased address typed in, whether or not an account has it; '' for refusals of a whole IP. */
    email: text('email').notNull(),
    ip: text('ip').notNull(),
    /**
     * Whose budget the attempts count against: '' for clients nothing vouches for (one budget
     * per address), 'ip' for an IP the address signed in from lately, or the SHA-256 of a
     * device cookie's token issued for the address (a budget per such client).
     */
    trust: text('trust').notNull().default(''),
    /** The start of the minute these counts belong to. */
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    /** Passwords (or codes) checked and found wrong; for 'reset-request', requests let through. */
    failures: integer('failures').notNull().default(0),
    /** Attempts refused without a check (for 'reset-request': refused, over a limit). */
    refusals: integer('refusals').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.kind, t.email, t.ip, t.trust, t.windowStart] }), index('login_attempt_counts_ip').on(t.kind, t.ip, t.windowStart)],
);

/** Which IPs an address has signed in from lately: they keep getting checked when their IP is over its bound. */
export const loginKnownClients = pgTable(
  'login_known_clients',
  {
    kind: attemptKind('kind').notNull(),
    email: text('email').notNull(),
    ip: text('ip').notNull(),
    lastSuccessAt: timestamp('last_success_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.email, t.ip] })],
);

/**
 * Device cookies (OWASP "device cookies"): which browsers signed in to an address lately, by
 * the SHA-256 of the cookie's token, never the token. Per step: a device that only passed the
 * password is not trusted for the code.
 */
export const loginKnownDevices = pgTable(
  'login_known_devices',
  {
    kind: attemptKind('kind').notNull(),
    email: text('email').notNull(),
    device: text('device').notNull(),
    lastSuccessAt: timestamp('last_success_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.email, t.device] }), index('login_known_devices_device').on(t.device)],
);

/** Security events: sign-ins, invitations, account changes, moderation. Append-only. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    action: text('action').notNull(),
    actorUserId: integer('actor_user_id').references(() => users.id, { onDelete: 'restrict' }),
    /** Who acted, as known at the time (an email, "cli", "system"). */
    actorLabel: text('actor_label').notNull(),
    /** What it was about: an email, a party slug, a pledge. */
    subject: text('subject'),
    ip: text('ip'),
    details: jsonb('details').notNull().default({}),
  },
  (t) => [index('audit_log_at').on(t.at)],
);

/** The current pledge of one party on one goal; its past lives in pledge_events. */
export const pledges = pgTable(
  'pledges',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    campaignId: campaignId(),
    partyId: integer('party_id')
      .notNull()
      .references(() => parties.id, { onDelete: 'restrict' }),
    /** One of the campaign's goals (campaign_goals); the domain checks it. */
    goalSlug: text('goal_slug').notNull(),
    stance: stance('stance').notNull(),
    statement: text('statement').notNull().default(''),
    evidenceUrl: text('evidence_url'),
    evidencePage: integer('evidence_page'),
    /** Optimistic concurrency: a save names the version it started from. */
    version: integer('version').notNull().default(1),
    updatedByName: text('updated_by_name').notNull(),
    updatedByRole: actorRole('updated_by_role').notNull(),
    updatedByUserId: integer('updated_by_user_id').references(() => users.id, { onDelete: 'restrict' }),
    /** The public reason of an admin's correction (the current version); null for a party's own save. */
    correctionReason: text('correction_reason'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('pledges_campaign_party_goal').on(t.campaignId, t.partyId, t.goalSlug),
    check(
      'pledges_correction_reason',
      sql`${t.correctionReason} is null or (${t.updatedByRole} = 'admin' and char_length(${t.correctionReason}) between 1 and 300)`,
    ),
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
    campaignId: campaignId(),
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
    actorUserId: integer('actor_user_id').references(() => users.id, { onDelete: 'restrict' }),
    /**
     * The public reason of an admin's correction, kept with the version it explains (so a view
     * of the past shows the reason of the version shown). Null for a party's own save, and for
     * corrections made before reasons were recorded.
     */
    correctionReason: text('correction_reason'),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('pledge_events_pledge_version').on(t.pledgeId, t.version),
    check(
      'pledge_events_correction_reason',
      sql`${t.correctionReason} is null or (${t.actorRole} = 'admin' and char_length(${t.correctionReason}) between 1 and 300)`,
    ),
    index('pledge_events_party').on(t.partyId, t.occurredAt),
    index('pledge_events_campaign').on(t.campaignId, t.occurredAt),
    index('pledge_events_occurred').on(t.occurredAt),
  ],
);

/**
 * Moderation of a statement: the campaign hides one version of a party's statement with a
 * public reason (the stance stays, the words stay in the admin history), or shows it again.
 * Append-only; the latest row for a (pledge, version) decides.
 */
export const statementModerations = pgTable(
  'statement_moderations',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    pledgeId: integer('pledge_id')
      .notNull()
      .references(() => pledges.id, { onDelete: 'restrict' }),
    version: integer('version').notNull(),
    hidden: boolean('hidden').notNull(),
    reason: text('reason').notNull(),
    byUserId: integer('by_user_id').references(() => users.id, { onDelete: 'restrict' }),
    byName: text('by_name').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('statement_moderations_pledge').on(t.pledgeId, t.version, t.id)],
);

/** Small facts about this installation, e.g. when the initial party list was imported. */
export const appSettings = pgTable('app_settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * One row: the version of everything the public sees. Triggers (see the migrations) add one on
 * every change to parties, pledges or moderation, and NOTIFY it on channel "pledgeboard_board",
 * so every instance knows when its cached public pages are stale.
 */
export const boardState = pgTable(
  'board_state',
  {
    id: integer('id').primaryKey().default(1),
    version: bigint('version', { mode: 'number' }).notNull().default(0),
    /** The version of the last change every campaign's pages show (the registry, the campaigns, settings). */
    sharedChangedAt: bigint('shared_changed_at', { mode: 'number' }).notNull().default(0),
  },
  (t) => [check('board_state_single_row', sql`${t.id} = 1`)],
);

/**
 * The version of the last change to one campaign's own data (drizzle/0021): a cached page of
 * a campaign stays good until its campaign or something shared changes, so a busy election
 * night does not throw away the cached pages of the archived ones.
 */
export const campaignBoardVersions = pgTable('campaign_board_versions', {
  campaignId: integer('campaign_id')
    .primaryKey()
    .references(() => campaigns.id, { onDelete: 'cascade' }),
  changedAt: bigint('changed_at', { mode: 'number' }).notNull(),
});

/**
 * Where a mail in the outbox is (src/domain/outbox.ts): held = kept, because no SMTP_URL is set;
 * cancelled = no longer wanted when its turn came (its link used, its party answered …), never sent.
 */
export const mailStatus = pgEnum('mail_status', ['pending', 'sent', 'failed', 'held', 'cancelled']);

/**
 * The transactional outbox: every mail the app sends, written in the same transaction as what
 * caused it, rendered whole (subject, text and HTML), then delivered by the sender
 * (src/server/mail-sender.ts) with retries. `kind` is a name from MAIL_KINDS in
 * src/domain/outbox.ts (text, so a new kind needs no migration). Recipient addresses are for
 * the sender and the admins only; public counts go by party_id.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** Random, unique: the left part of the mail's Message-ID, the same on every attempt. */
    messageKey: text('message_key').notNull().unique(),
    kind: text('kind').notNull(),
    toAddress: text('to_address').notNull(),
    locale: text('locale').notNull(),
    /** The sender's name (the campaign's, in the mail's language); the address is MAIL_FROM. */
    fromName: text('from_name').notNull(),
    subject: text('subject').notNull(),
    textBody: text('text_body').notNull(),
    htmlBody: text('html_body').notNull(),
    status: mailStatus('status').notNull().default('pending'),
    /** Attempts started (counted when a sender claims the mail, so a crash counts too). */
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    /** A sender's lease: until then no other sender takes the mail; after it, one may (again). */
    claimedUntil: timestamp('claimed_until', { withTimezone: true }),
    lastError: text('last_error'),
    createdAt: createdAt(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    /**
     * When the mail went out for the public record: set once, when it is first sent (its
     * sent_at) or — except a reminder, which nobody reads until it is sent — first held (its
     * created_at), and never changed after (a trigger sets and keeps it, migrations 0016 and
     * 0017), so a held invitation a sender later takes and sends stays counted at the same moment.
     */
    wentOutAt: timestamp('went_out_at', { withTimezone: true }),
    /** The campaign that asked (invitation, reminder): the public record of outreach is per campaign. */
    campaignId: integer('campaign_id').references(() => campaigns.id, { onDelete: 'restrict' }),
    /** The party the mail is about (invitation, reminder), for counts that never show an address. */
    partyId: integer('party_id').references(() => parties.id, { onDelete: 'restrict' }),
    /** The one-time link the mail carries, if any (an invitation's, a reset's). */
    accountLinkId: integer('account_link_id').references(() => accountLinks.id, { onDelete: 'set null' }),
    /** A reminder's run (reminders.ts): the deadline it was written for. Null for other kinds. */
    reminderRunId: integer('reminder_run_id').references(() => reminderRuns.id, { onDelete: 'restrict' }),
  },
  (t) => [
    index('outbox_due').on(t.status, t.nextAttemptAt),
    index('outbox_party').on(t.partyId, t.kind),
    index('outbox_account_link').on(t.accountLinkId),
    check('outbox_locale', sql`${t.locale} in ('nl', 'en')`),
    check('outbox_attempts_non_negative', sql`${t.attempts} >= 0`),
    check('outbox_sent_has_time', sql`(${t.status} = 'sent') = (${t.sentAt} is not null)`),
    // A held reminder has not gone out (nobody can read it): only a sent one has.
    check('outbox_out_has_time', sql`${t.wentOutAt} is not null or not (${t.status} = 'sent' or (${t.status} = 'held' and ${t.kind} <> 'reminder'))`),
  ],
);

/**
 * Reminders the campaign scheduled (Beheer → Herinneringen): one row per "N days before the
 * deadline". Removing a row stops its future runs; runs already made stay in reminder_runs.
 */
export const reminderSchedule = pgTable(
  'reminder_schedule',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    campaignId: campaignId(),
    daysBefore: integer('days_before').notNull(),
    createdByUserId: integer('created_by_user_id').references(() => users.id, { onDelete: 'restrict' }),
    createdAt: createdAt(),
  },
  (t) => [unique('reminder_schedule_campaign_days').on(t.campaignId, t.daysBefore), check('reminder_schedule_days', sql`${t.daysBefore} between 1 and 365`)],
);

/**
 * One reminder run: the claim that makes a scheduled reminder go out once across instances.
 * Its key is (days before, deadline): a run for a moment is made by whoever inserts the row
 * first; a moved deadline makes new moments (new keys). Append-only in spirit: never updated.
 */
export const reminderRuns = pgTable(
  'reminder_runs',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    campaignId: campaignId(),
    daysBefore: integer('days_before').notNull(),
    deadline: timestamp('deadline', { withTimezone: true }).notNull(),
    /** The moment it was due (deadline − days, Europe/Amsterdam); ranAt may be later (server down). */
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    ranAt: timestamp('ran_at', { withTimezone: true }).notNull(),
    /** How many parties got a round (one outbox row per recipient, same created_at). */
    rounds: integer('rounds').notNull(),
  },
  (t) => [unique('reminder_runs_moment').on(t.campaignId, t.daysBefore, t.deadline)],
);

/** Gender as a Kiesraad list gives it; shown only where the list says it may be published. */
export const candidateGender = pgEnum('candidate_gender', ['male', 'female']);

/**
 * A candidate on a party's list in one campaign: one person however many electoral districts
 * they stand in (src/domain/candidate-lists/persons.ts: personKey). Only what the Kiesraad
 * publishes, plus what the candidate adds. A re-import updates the row; a candidate no longer
 * on the list is kept, marked withdrawn.
 */
export const candidates = pgTable(
  'candidates',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    campaignId: campaignId(),
    partyId: integer('party_id')
      .notNull()
      .references(() => parties.id, { onDelete: 'restrict' }),
    personKey: text('person_key').notNull(),
    initials: text('initials').notNull(),
    firstName: text('first_name'),
    prefix: text('prefix'),
    lastName: text('last_name').notNull(),
    gender: candidateGender('gender'),
    /** The list allows the gender to be shown (every list the person is on). */
    publishGender: boolean('publish_gender').notNull().default(false),
    place: text('place'),
    country: text('country'),
    /** The best (lowest) position on any of the party's lists: the order of the party's list. */
    position: integer('position').notNull(),
    electedAt: timestamp('elected_at', { withTimezone: true }),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('candidates_person').on(t.campaignId, t.partyId, t.personKey),
    index('candidates_list').on(t.campaignId, t.partyId, t.position),
    index('candidates_place').on(t.campaignId, t.place),
    check('candidates_position_positive', sql`${t.position} >= 1`),
  ],
);

/** Where a candidate stands: one row per electoral district (kieskring), with the list's number and the position on it. */
export const candidateStandings = pgTable(
  'candidate_standings',
  {
    candidateId: integer('candidate_id')
      .notNull()
      .references(() => candidates.id, { onDelete: 'cascade' }),
    /** The kieskring's number, or 0 when the file names it only. */
    districtNumber: integer('district_number').notNull(),
    districtName: text('district_name'),
    listNumber: integer('list_number').notNull(),
    position: integer('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.candidateId, t.districtNumber, t.listNumber] })],
);

/**
 * A candidate's signature on one goal of their campaign: committed or not, with an optional
 * short statement. Append-only (a trigger refuses UPDATE and DELETE): the latest row per
 * (candidate, goal) is the signature shown, the rest its history.
 */
export const candidateSignatures = pgTable(
  'candidate_signatures',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    candidateId: integer('candidate_id')
      .notNull()
      .references(() => candidates.id, { onDelete: 'restrict' }),
    goalSlug: text('goal_slug').notNull(),
    committed: boolean('committed').notNull(),
    statement: text('statement').notNull().default(''),
    /** The candidate's own account: nobody else signs for them. */
    byUserId: integer('by_user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    signedAt: timestamp('signed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('candidate_signatures_candidate').on(t.candidateId, t.goalSlug, t.id),
    check('candidate_signatures_statement_length', sql`char_length(${t.statement}) <= 280`),
  ],
);

// ---------------------------------------------------------------------------------------------
// From words to deeds (issue 15): the campaign checks each claim, and follows each pledge after
// the election. Checks, follow-up ratings and the parties' replies are append-only public
// records (drizzle/0022): the latest row is what shows, the earlier ones are the history.

/** What the campaign found when it checked a pledge against its source. */
export const checkVerdict = pgEnum('check_verdict', ['verified', 'disputed']);

/** bytea: the stored evidence page, as fetched. */
const bytes = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

/**
 * The evidence address as the server fetched it once, when a pledge was checked
 * (src/domain/evidence-fetch.ts): its hash, size and type, and the body up to a limit, so a
 * manifesto changed or taken down later can be shown as such. A refused fetch keeps its reason.
 */
export const evidenceSnapshots = pgTable(
  'evidence_snapshots',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    campaignId: campaignId(),
    url: text('url').notNull(),
    finalUrl: text('final_url'),
    httpStatus: integer('http_status'),
    contentType: text('content_type'),
    size: bigint('size', { mode: 'number' }),
    sha256: text('sha256'),
    body: bytes('body'),
    truncated: boolean('truncated').notNull().default(false),
    /** The fetcher's reason code when it refused (address-not-public, timeout, …); null when fetched. */
    refusal: text('refusal'),
    fetchedAt: timestamp('fetched_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('evidence_snapshots_https', sql`${t.url} like 'https://%'`),
    check('evidence_snapshots_fetched_or_refused', sql`(${t.refusal} is null) = (${t.sha256} is not null)`),
  ],
);

/** One check of one version of a pledge: verified (quote, page, address) or disputed (reason). */
export const pledgeChecks = pgTable(
  'pledge_checks',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    campaignId: campaignId(),
    pledgeId: integer('pledge_id')
      .notNull()
      .references(() => pledges.id, { onDelete: 'restrict' }),
    /** The version checked: a newer version of the pledge is "not yet checked" again. */
    pledgeVersion: integer('pledge_version').notNull(),
    verdict: checkVerdict('verdict').notNull(),
    /** verified: the manifesto's words, the page, and the address checked. */
    quote: text('quote'),
    page: integer('page'),
    checkedUrl: text('checked_url'),
    /** disputed: why, shown publicly. */
    reason: text('reason'),
    snapshotId: bigint('snapshot_id', { mode: 'number' }).references(() => evidenceSnapshots.id, { onDelete: 'restrict' }),
    byName: text('by_name').notNull(),
    byUserId: integer('by_user_id').references(() => users.id, { onDelete: 'restrict' }),
    checkedAt: timestamp('checked_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('pledge_checks_pledge').on(t.pledgeId, t.id),
    index('pledge_checks_campaign').on(t.campaignId, t.id),
    check(
      'pledge_checks_verdict_fields',
      sql`(${t.verdict} = 'verified' and ${t.quote} is not null and ${t.page} >= 1 and ${t.checkedUrl} like 'https://%' and ${t.reason} is null)
        or (${t.verdict} = 'disputed' and ${t.reason} is not null and char_length(${t.reason}) between 1 and 500)`,
    ),
    check('pledge_checks_quote_length', sql`${t.quote} is null or char_length(${t.quote}) between 1 and 1000`),
  ],
);

/** After the election, per party × goal (a campaign in the follow-up state). */
export const followUpStatus = pgEnum('follow_up_status', ['in-progress', 'stalled', 'kept', 'partly-kept', 'broken', 'not-checkable']);
/** Why a pledge was broken. */
export const brokenReason = pgEnum('broken_reason', ['no-majority', 'not-a-priority', 'changed-position']);

/** One rating of one party's pledge on one goal, with its citation. Before any: "not yet rated". */
export const followUpRatings = pgTable(
  'follow_up_ratings',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    campaignId: campaignId(),
    partyId: integer('party_id')
      .notNull()
      .references(() => parties.id, { onDelete: 'restrict' }),
    goalSlug: text('goal_slug').notNull(),
    status: followUpStatus('status').notNull(),
    brokenReason: brokenReason('broken_reason'),
    citationUrl: text('citation_url').notNull(),
    explanation: text('explanation').notNull(),
    byName: text('by_name').notNull(),
    byUserId: integer('by_user_id').references(() => users.id, { onDelete: 'restrict' }),
    ratedAt: timestamp('rated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('follow_up_ratings_party_goal').on(t.campaignId, t.partyId, t.goalSlug, t.id),
    check('follow_up_ratings_citation_https', sql`${t.citationUrl} like 'https://%'`),
    check('follow_up_ratings_explanation_length', sql`char_length(${t.explanation}) between 1 and 500`),
    check('follow_up_ratings_broken_reason', sql`(${t.status} = 'broken') = (${t.brokenReason} is not null)`),
  ],
);

/** What a party's reply answers: a check of its pledge, or a follow-up rating. */
export const replySubject = pgEnum('reply_subject', ['check', 'follow-up']);

/** A party's right of reply, shown beside what it answers; a later reply replaces it on the page. */
export const partyReplies = pgTable(
  'party_replies',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    campaignId: campaignId(),
    partyId: integer('party_id')
      .notNull()
      .references(() => parties.id, { onDelete: 'restrict' }),
    subject: replySubject('subject').notNull(),
    /** pledge_checks.id or follow_up_ratings.id (checked by the domain, as the subject says). */
    subjectId: bigint('subject_id', { mode: 'number' }).notNull(),
    text: text('text').notNull(),
    byName: text('by_name').notNull(),
    byUserId: integer('by_user_id').references(() => users.id, { onDelete: 'restrict' }),
    repliedAt: timestamp('replied_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('party_replies_subject').on(t.subject, t.subjectId, t.id),
    index('party_replies_campaign').on(t.campaignId, t.id),
    check('party_replies_text_length', sql`char_length(${t.text}) between 1 and 1000`),
  ],
);

/**
 * The campaign hides (or shows again) a party's reply, with a public reason shown in its place,
 * as statement_moderations does for statements: the party's words are never rewritten. Append-only;
 * the latest row per reply decides.
 */
export const replyModerations = pgTable(
  'reply_moderations',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    campaignId: campaignId(),
    replyId: bigint('reply_id', { mode: 'number' })
      .notNull()
      .references(() => partyReplies.id, { onDelete: 'restrict' }),
    hidden: boolean('hidden').notNull(),
    reason: text('reason').notNull(),
    byUserId: integer('by_user_id').references(() => users.id, { onDelete: 'restrict' }),
    byName: text('by_name').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('reply_moderations_reply').on(t.replyId, t.id), index('reply_moderations_campaign').on(t.campaignId, t.id)],
);

/** Whether a parliamentary item advances the goal it is linked to, or undermines it. */
export const itemEffect = pgEnum('item_effect', ['advances', 'undermines']);

/**
 * A motion, amendment or bill of the Tweede Kamer (a Zaak) linked to a campaign's goal: the
 * link only, made once (src/domain/parliament/items.ts). What it says lives in its imports,
 * whether it is still linked in its unlinks; all three are append-only, so a frozen view reads
 * the item as it was published then (drizzle/0024).
 */
export const parliamentItems = pgTable(
  'parliament_items',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    campaignId: campaignId(),
    goalSlug: text('goal_slug').notNull(),
    zaakNumber: text('zaak_number').notNull(),
    /** When it was first linked. */
    createdAt: createdAt(),
    byUserId: integer('by_user_id').references(() => users.id, { onDelete: 'restrict' }),
  },
  (t) => [
    unique('parliament_items_goal_zaak').on(t.campaignId, t.goalSlug, t.zaakNumber),
    check('parliament_items_number', sql`${t.zaakNumber} ~ '^[0-9]{4}Z[0-9]{5}$'`),
  ],
);

/**
 * One import of a linked item: its decision and the votes per parliamentary party as the Kamer
 * recorded them then, and whether it advances or undermines the goal. The latest import at a
 * moment is the item as it was shown at that moment.
 */
export const parliamentItemImports = pgTable(
  'parliament_item_imports',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    campaignId: campaignId(),
    itemId: integer('item_id')
      .notNull()
      .references(() => parliamentItems.id, { onDelete: 'restrict' }),
    zaakId: text('zaak_id').notNull(),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    subject: text('subject'),
    effect: itemEffect('effect').notNull(),
    /** The ZaakItem as parsed: decision, votes per fraction (src/domain/parliament/zaak.ts). */
    item: jsonb('item').notNull(),
    importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow(),
    byUserId: integer('by_user_id').references(() => users.id, { onDelete: 'restrict' }),
  },
  (t) => [index('parliament_item_imports_item').on(t.itemId, t.importedAt)],
);

/** An item taken off its goal (linked wrongly), with the admin's reason (also in the audit log); a later import links it again. */
export const parliamentItemUnlinks = pgTable(
  'parliament_item_unlinks',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    campaignId: campaignId(),
    itemId: integer('item_id')
      .notNull()
      .references(() => parliamentItems.id, { onDelete: 'restrict' }),
    reason: text('reason').notNull(),
    unlinkedAt: timestamp('unlinked_at', { withTimezone: true }).notNull().defaultNow(),
    byUserId: integer('by_user_id').references(() => users.id, { onDelete: 'restrict' }),
  },
  (t) => [
    index('parliament_item_unlinks_item').on(t.itemId, t.unlinkedAt),
    check('parliament_item_unlinks_reason_length', sql`char_length(${t.reason}) between 1 and 300`),
  ],
);

/**
 * A parliamentary party's name as the Kamer writes it → the campaign's party (null: none of
 * them), set by an admin where names differ. Append-only: the mapping at a moment is the
 * latest set by then (set_at), so a frozen view keeps the mapping it was shown with.
 */
export const fractionMappings = pgTable(
  'fraction_mappings',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    campaignId: campaignId(),
    fraction: text('fraction').notNull(),
    partyId: integer('party_id').references(() => parties.id, { onDelete: 'restrict' }),
    setAt: timestamp('set_at', { withTimezone: true }).notNull().defaultNow(),
    byUserId: integer('by_user_id').references(() => users.id, { onDelete: 'restrict' }),
  },
  (t) => [index('fraction_mappings_fraction').on(t.campaignId, t.fraction, t.setAt)],
);
