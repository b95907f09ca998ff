/**
 * The outbox: every mail the app sends is a row, written in the SAME transaction as what
 * caused it (an invitation made, a reset asked, a reminder due), so a mail exists exactly when
 * its cause does. A sender (src/server/mail-sender.ts) delivers the rows; a mail queued by a
 * process without SMTP_URL is `held`, readable in Beheer → Mail and with `npm run cli --
 * outbox`, and goes out as soon as a process with SMTP_URL runs a sender.
 *
 * ## Queuing a mail (for every feature that mails)
 *
 * ```ts
 * import { enqueueMail } from './outbox.ts';
 * import { someMail } from './mail-texts.ts';   // subject + text + html, both languages
 *
 * await db.transaction(async (tx) => {
 *   // … the change that causes the mail …
 *   await enqueueMail(tx, {
 *     kind: 'password-reset',            // one of MAIL_KINDS (add yours there)
 *     to: 'rep@party.example',           // one address, already checked (emailSchema)
 *     locale: 'nl',                      // the mail's language
 *     fromName: mail.campaignName.nl,    // sender name: the campaign's, in that language
 *     content: someMail('nl', { … }),    // RenderedMail from mail-texts.ts
 *     partyId: party.id,                 // optional: which party it is about (public counts)
 *     accountLinkId: link.id,            // optional: the one-time link it carries
 *     held: !mail.sending,               // no SMTP_URL here: say so (status held)
 *   });
 * });
 * ```
 *
 * `enqueueMail(tx: Db, mail: NewMail): Promise<QueuedMail>` returns `{ id, messageKey }`. It
 * throws MailHeaderError when a header value (to, subject, fromName) holds CR, LF or NUL or
 * `to` is not one address: check input at the form or command first (emailSchema answers
 * 'email.invalid', a 4xx), so this is only the last line of defence against header injection.
 * Callers get the campaign's name and the site's link builder as a MailContext from their
 * own layer (actions: src/actions/mail.ts; the CLI: src/cli.ts).
 *
 * ## Delivery (for the sender)
 *
 * Statuses: pending (to send), sent, failed (gave up; shown first to admins), held (queued
 * where no SMTP_URL is set; a sender takes it like a pending one), cancelled (no longer wanted
 * when its turn came: see mail-wanted.ts; never sent). A sender claims due rows with
 * `UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING`, setting a lease
 * (claimed_until) and counting the attempt; while the lease lives no other sender takes the
 * row. It then sends and marks it sent. A crash between sending and marking leaves the lease
 * to expire, and the mail is sent again with the same Message-ID (at least once; receivers
 * and mail clients fold duplicates by Message-ID). A failed attempt is retried after an
 * exponentially growing pause; after maxAttempts, or on a permanent (5xx) refusal, the row
 * is failed.
 *
 * For the public record a mail went out once: `went_out_at`, set when it is first sent, or first
 * held (except a reminder: nobody reads a held mail, and only an invitation's link was shown to
 * the admin), and never changed (a trigger sets and keeps it, migrations 0016 and 0017, and
 * ignores a value the writer supplies), whatever its status does later.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, inArray, isNull, lte, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { outbox } from '../db/schema.ts';
import type { Locale } from './campaign.ts';
import type { LinkPurpose } from './account-links.ts';
import type { RenderedMail } from './mail-texts.ts';

/**
 * What mails are about. Stored as text: adding a kind here needs no migration. Counts per
 * party (asked, reminded) go by kind and party_id.
 */
export const MAIL_KINDS = ['invite', 'candidate-invite', 'password-reset', 'reminder', 'pledge-changed'] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

export type MailStatus = (typeof outbox.$inferSelect)['status'];
export type OutboxRow = typeof outbox.$inferSelect;

/**
 * What a caller needs to write a mail, from the layer that knows it: the campaign's name (the
 * sender's name, per language, from content/campaign.yaml) and absolute one-time links.
 */
export interface MailContext {
  campaignName: Record<Locale, string>;
  /** The absolute address of a one-time link, in a language (e.g. https://…/uitnodiging/<token>). */
  linkTo(purpose: LinkPurpose, token: string, locale: Locale): string;
  /** Whether this process sends mail (SMTP_URL is set); if not, queue mail as `held`. */
  sending: boolean;
  /** The absolute address of a signed-in page a mail points to (reminders, notices). */
  /** `campaign`: the page under that campaign's own address (a reminder of a campaign not current). */
  pageTo?(page: MailPage, locale: Locale, campaign?: string): string;
}

/** Pages a mail may link to (added by the reminders branch). */
type MailPage = 'myParty' | 'account';

/** A MailContext that can link to pages: what reminders and pledge notices need. */
export type PageMailContext = MailContext & Required<Pick<MailContext, 'pageTo'>>;

export interface NewMail {
  kind: MailKind;
  /** One address, already checked (emailSchema). */
  to: string;
  locale: Locale;
  /** The sender's name: the campaign's, in the mail's language. The address is MAIL_FROM. */
  fromName: string;
  content: RenderedMail;
  /** The party the mail is about (invitation, reminder): counted publicly, never with an address. */
  partyId?: number | null;
  /** The campaign that asks (invitation, reminder): the public record of outreach is per campaign. */
  campaignId?: number | null;
  /** The one-time link the mail carries (invitation, reset). */
  accountLinkId?: number | null;
  /** A reminder's run (reminders.ts): the deadline it was written for. */
  reminderRunId?: number | null;
  /** Queued where no mail is sent (MailContext.sending false): status held instead of pending. */
  held?: boolean;
}

export interface QueuedMail {
  id: number;
  messageKey: string;
}

/** A header value that could start a new header: refused, never sent. */
export class MailHeaderError extends Error {
  constructor(field: string) {
    super(`Refused to queue a mail: its ${field} holds a line break, a NUL or is not one address.`);
    this.name = 'MailHeaderError';
  }
}

// eslint-disable-next-line no-control-regex -- CR, LF and NUL are what a header injection needs
const HEADER_BREAKERS = /[\r\n\u0000]/;
/** One bare address: no display name, no spaces, no commas (a second recipient), no brackets. */
const BARE_ADDRESS = /^[^\s@,;<>()"\\]+@[^\s@,;<>()"\\]+$/;

/** Whether a value may go into a mail header: no CR, LF or NUL. For forms that check early. */
export function isSafeHeaderValue(value: string): boolean {
  return !HEADER_BREAKERS.test(value);
}

/** Queues one mail, inside the caller's transaction. See the header of this file. */
export async function enqueueMail(tx: Db, mail: NewMail): Promise<QueuedMail> {
  if (!isSafeHeaderValue(mail.to) || !BARE_ADDRESS.test(mail.to) || mail.to.length > 254) throw new MailHeaderError('recipient');
  if (!isSafeHeaderValue(mail.content.subject)) throw new MailHeaderError('subject');
  if (!isSafeHeaderValue(mail.fromName)) throw new MailHeaderError('sender name');
  const messageKey = randomUUID();
  const [row] = await tx
    .insert(outbox)
    .values({
      messageKey,
      kind: mail.kind,
      toAddress: mail.to,
      locale: mail.locale,
      fromName: mail.fromName,
      subject: mail.content.subject,
      textBody: mail.content.text,
      htmlBody: mail.content.html,
      partyId: mail.partyId ?? null,
      campaignId: mail.campaignId ?? null,
      accountLinkId: mail.accountLinkId ?? null,
      reminderRunId: mail.reminderRunId ?? null,
      status: mail.held ? 'held' : 'pending',
    })
    .returning({ id: outbox.id });
  return { id: row!.id, messageKey };
}

/** Rows a sender may take now: waiting (pending or held), due, and not leased by another sender. */
const WAITING = ['pending', 'held'] as const;
const isDue = and(
  inArray(outbox.status, WAITING),
  lte(outbox.nextAttemptAt, sql`now()`),
  or(isNull(outbox.claimedUntil), lte(outbox.claimedUntil, sql`now()`)),
);

/**
 * Takes up to `limit` due mails for one sender: leases them for `leaseMs` and counts the
 * attempt. Rows another sender is claiming at this moment are skipped (SKIP LOCKED), rows it
 * holds a live lease on are not due: two senders never hold one mail at once. Times are the
 * database's clock, the one clock every instance shares.
 */
export async function claimDueMails(db: Db, { limit, leaseMs }: { limit: number; leaseMs: number }): Promise<OutboxRow[]> {
  const due = db
    .select({ id: outbox.id })
    .from(outbox)
    .where(isDue)
    .orderBy(asc(outbox.nextAttemptAt), asc(outbox.id))
    .limit(limit)
    .for('update', { skipLocked: true });
  return db
    .update(outbox)
    .set({ status: 'pending', claimedUntil: sql`now() + ${leaseMs} * interval '1 millisecond'`, attempts: sql`${outbox.attempts} + 1` })
    .where(inArray(outbox.id, due))
    .returning();
}

/**
 * Delivered: the SMTP server took the mail. Whoever delivered it says so, even a sender whose
 * lease ran out meanwhile (another may have marked it failed): a delivery is a fact.
 */
export async function markMailSent(db: Db, id: number): Promise<void> {
  await db
    .update(outbox)
    .set({ status: 'sent', sentAt: sql`now()`, claimedUntil: null, lastError: null })
    .where(and(eq(outbox.id, id), ne(outbox.status, 'sent')));
}

/**
 * Not sent, for good: the mail was no longer wanted when its turn came (`reason`, a
 * MailCancelReason, is kept in last_error for the admins). Only by the sender whose claim this is.
 */
export async function markMailCancelled(db: Db, row: Pick<OutboxRow, 'id' | 'attempts'>, reason: string): Promise<void> {
  await db
    .update(outbox)
    // Not an attempt: nothing was sent.
    .set({ status: 'cancelled', claimedUntil: null, lastError: reason, attempts: sql`greatest(${outbox.attempts} - 1, 0)` })
    .where(and(eq(outbox.id, row.id), eq(outbox.status, 'pending'), eq(outbox.attempts, row.attempts)));
}

/**
 * A sender that stops hands back mails it claimed but did not try: not an attempt, no lease.
 * Only its own claims (the attempt count they set), not a later sender's.
 */
export async function releaseClaimedMails(db: Db, rows: Pick<OutboxRow, 'id' | 'attempts'>[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .update(outbox)
    .set({ claimedUntil: null, attempts: sql`greatest(${outbox.attempts} - 1, 0)` })
    .where(and(eq(outbox.status, 'pending'), or(...rows.map((row) => and(eq(outbox.id, row.id), eq(outbox.attempts, row.attempts))))));
}

export interface RetryPolicy {
  /** After this many attempts a failing mail is marked failed. */
  maxAttempts: number;
  /** The pause after the first failed attempt; it doubles with each further one. */
  firstRetryMs: number;
  /** The longest pause between attempts. */
  maxRetryMs: number;
}

/** The pause before the next attempt, after `attempts` failed ones: first, 2×, 4× … up to the maximum. */
export function retryDelayMs(attempts: number, policy: RetryPolicy): number {
  return Math.min(policy.maxRetryMs, policy.firstRetryMs * 2 ** Math.max(0, attempts - 1));
}

/**
 * An attempt failed: try again after a pause, or give up (status failed) after the last
 * attempt or when the server refused for good (`permanent`, an SMTP 5xx answer).
 */
export async function markMailAttemptFailed(
  db: Db,
  row: Pick<OutboxRow, 'id' | 'attempts'>,
  error: string,
  { permanent, policy }: { permanent: boolean; policy: RetryPolicy },
): Promise<'retry' | 'failed'> {
  const lastError = error.slice(0, 1000);
  const giveUp = permanent || row.attempts >= policy.maxAttempts;
  await db
    .update(outbox)
    .set(
      giveUp
        ? { status: 'failed', claimedUntil: null, lastError }
        : { claimedUntil: null, lastError, nextAttemptAt: sql`now() + ${retryDelayMs(row.attempts, policy)} * interval '1 millisecond'` },
    )
    // Only by the sender whose claim this is (each claim counts an attempt): one whose lease ran
    // out must not fail, or free, a mail another sender is sending now.
    .where(and(eq(outbox.id, row.id), eq(outbox.status, 'pending'), eq(outbox.attempts, row.attempts)));
  return giveUp ? 'failed' : 'retry';
}

/** A row as admins see it: never the body (it may carry a one-time link). */
export interface OutboxListing {
  id: number;
  kind: string;
  to: string;
  subject: string;
  locale: string;
  status: MailStatus;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
  nextAttemptAt: Date;
}

/** Failed first (they need someone), then waiting (pending, held), then sent and cancelled; newest first within each. */
const STATUS_ORDER = sql`case ${outbox.status} when 'failed' then 0 when 'pending' then 1 when 'held' then 2 else 3 end`;

export async function listOutbox(db: Db, { limit = 200 }: { limit?: number } = {}): Promise<OutboxListing[]> {
  return db
    .select({
      id: outbox.id,
      kind: outbox.kind,
      to: outbox.toAddress,
      subject: outbox.subject,
      locale: outbox.locale,
      status: outbox.status,
      attempts: outbox.attempts,
      lastError: outbox.lastError,
      createdAt: outbox.createdAt,
      sentAt: outbox.sentAt,
      nextAttemptAt: outbox.nextAttemptAt,
    })
    .from(outbox)
    .orderBy(STATUS_ORDER, desc(outbox.createdAt), desc(outbox.id))
    .limit(limit);
}

/** How many mails are in each status (for the page's summary). */
export async function countOutbox(db: Db): Promise<Record<MailStatus, number>> {
  const rows = await db
    .select({ status: outbox.status, count: sql<number>`count(*)::int` })
    .from(outbox)
    .groupBy(outbox.status);
  const counts: Record<MailStatus, number> = { pending: 0, sent: 0, failed: 0, held: 0, cancelled: 0 };
  for (const { status, count } of rows) counts[status] = Number(count);
  return counts;
}
