/**
 * A party's right of reply: its representative answers a check of one of its pledges or a
 * follow-up rating, and the answer is shown beside it. Replies are append-only
 * (drizzle/0022): a later reply to the same subject is the one shown, the earlier ones stay.
 * Only a representative of the subject's own party replies: not an admin, not another party.
 * Every reply is an event in the party's public history and in the open data (listReplyEvents).
 * The campaign may hide a reply with a public reason (moderateReply), as it hides a statement
 * (moderation.ts): the words are never rewritten, the public sees the reason in their place.
 * A representative posts at most REPLIES_PER_HOUR replies an hour: each one moves the board.
 */
import { and, count, desc, eq, gt, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { isArchivedCampaignWrite } from '../db/errors.ts';
import { campaignParties, campaigns, followUpRatings, parties, partyReplies, pledgeChecks, pledges, replyModerations } from '../db/schema.ts';
import type { Actor } from './actors.ts';
import { recordAudit } from './audit.ts';
import { toFieldIssues, type FieldIssues } from './field-issues.ts';
import { freeText } from './text.ts';

export type ReplySubject = (typeof partyReplies.subject.enumValues)[number];
const REPLY_SUBJECTS = partyReplies.subject.enumValues;

export const REPLY_MAX_LENGTH = 1000;
/** Replies one representative may post in an hour (each one moves the board and empties the cache). */
export const REPLIES_PER_HOUR = 10;
const REPLY_WINDOW_MS = 60 * 60 * 1000;

const replySchema = z.object({
  subject: z.enum(REPLY_SUBJECTS, { error: 'reply.subject' }),
  subjectId: z.coerce.number({ error: 'reply.subject' }).int('reply.subject').positive('reply.subject'),
  text: freeText('reply.text').trim().min(1, 'reply.text').max(REPLY_MAX_LENGTH, 'reply.textTooLong'),
});

export interface ReplyInput {
  /** Checked here: a form sends any string. */
  subject: string;
  subjectId: number | string;
  text: string;
}

export type ReplyResult =
  | { status: 'done'; id: number }
  | { status: 'invalid'; issues: FieldIssues }
  /** Not a representative of the subject's party. */
  | { status: 'forbidden' }
  /** No such check or rating in this campaign. */
  | { status: 'unknown-subject' }
  /** The campaign is archived: read-only for everyone. */
  | { status: 'archived' }
  /** REPLIES_PER_HOUR already posted by this representative in the last hour: nothing written. */
  | { status: 'limited' };

/** A reply as the pages show it. */
export interface PartyReply {
  id: number;
  subject: ReplySubject;
  subjectId: number;
  partyId: number;
  /** null when the campaign hid it: `hiddenReason` says why (admins read the words in Beheer). */
  text: string | null;
  hiddenReason: string | null;
  byName: string;
  repliedAt: Date;
}

/** The party a check or a rating is about, when it is in this campaign. */
async function subjectParty(db: Db, campaignId: number, subject: ReplySubject, subjectId: number): Promise<number | null> {
  if (subject === 'check') {
    const [row] = await db
      .select({ partyId: pledges.partyId })
      .from(pledgeChecks)
      .innerJoin(pledges, eq(pledges.id, pledgeChecks.pledgeId))
      .where(and(eq(pledgeChecks.id, subjectId), eq(pledgeChecks.campaignId, campaignId)));
    return row?.partyId ?? null;
  }
  const [row] = await db
    .select({ partyId: followUpRatings.partyId })
    .from(followUpRatings)
    .where(and(eq(followUpRatings.id, subjectId), eq(followUpRatings.campaignId, campaignId)));
  return row?.partyId ?? null;
}

export async function addReply(
  db: Db,
  campaignId: number,
  input: ReplyInput,
  { actor, ip, now = new Date() }: { actor: Actor; ip?: string | null; now?: Date },
): Promise<ReplyResult> {
  // Who may reply at all comes first: an admin or a stranger learns nothing from the form's checks.
  if (actor.role !== 'rep' || actor.partyId === null) return { status: 'forbidden' };
  const parsed = replySchema.safeParse(input);
  if (!parsed.success) return { status: 'invalid', issues: toFieldIssues(parsed.error) };
  const { subject, subjectId, text } = parsed.data;
  try {
    return await db.transaction(async (tx) => {
      const [campaign] = await tx.select({ state: campaigns.state }).from(campaigns).where(eq(campaigns.id, campaignId));
      if (!campaign) return { status: 'unknown-subject' } as const;
      const partyId = await subjectParty(tx, campaignId, subject, subjectId);
      if (partyId === null) return { status: 'unknown-subject' } as const;
      if (partyId !== actor.partyId) return { status: 'forbidden' } as const;
      if (campaign.state === 'archived') return { status: 'archived' } as const;
      // Counted under a lock on the representative (an account without a user, such as a tool's,
      // counts as its party's), so parallel posts queue instead of all passing the count.
      const who = actor.userId === null ? isNull(partyReplies.byUserId) : eq(partyReplies.byUserId, actor.userId);
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`reply:${actor.userId ?? `party-${partyId}`}`}, 0))`);
      const [recent] = await tx
        .select({ n: count() })
        .from(partyReplies)
        .where(and(eq(partyReplies.partyId, partyId), who, gt(partyReplies.repliedAt, new Date(now.getTime() - REPLY_WINDOW_MS))));
      if ((recent?.n ?? 0) >= REPLIES_PER_HOUR) return { status: 'limited' } as const;
      const [row] = await tx
        .insert(partyReplies)
        .values({ campaignId, partyId, subject, subjectId, text, byName: actor.name, byUserId: actor.userId, repliedAt: now })
        .returning({ id: partyReplies.id });
      await recordAudit(tx, { action: 'reply.added', actor, subject: `${subject}/${subjectId}`, ip, now, details: { partyId } });
      return { status: 'done', id: row!.id } as const;
    });
  } catch (error) {
    if (isArchivedCampaignWrite(error)) return { status: 'archived' };
    throw error;
  }
}

/** The latest moderation of each of these replies: hidden with its public reason (null: shown again), and when. */
async function replyModerationState(db: Db, replyIds: readonly number[]): Promise<Map<number, { reason: string | null; at: Date }>> {
  if (replyIds.length === 0) return new Map();
  const rows = await db
    .select({ replyId: replyModerations.replyId, hidden: replyModerations.hidden, reason: replyModerations.reason, at: replyModerations.at })
    .from(replyModerations)
    .where(inArray(replyModerations.replyId, [...new Set(replyIds)]))
    .orderBy(replyModerations.id);
  // Later rows decide: replay them in order.
  const state = new Map<number, { reason: string | null; at: Date }>();
  for (const row of rows) state.set(row.replyId, { reason: row.hidden ? row.reason : null, at: row.at });
  return state;
}

/**
 * The hidden replies among these: reply id → public reason. Always the current state, also for
 * a view of the past (as hiddenStatements): words hidden for a reason must not come back
 * through a frozen view.
 */
async function hiddenReplies(db: Db, replyIds: readonly number[]): Promise<Map<number, string>> {
  return hiddenOf(await replyModerationState(db, replyIds));
}

function hiddenOf(state: ReadonlyMap<number, { reason: string | null }>): Map<number, string> {
  return new Map([...state].flatMap(([id, { reason }]) => (reason === null ? [] : [[id, reason] as [number, string]])));
}

type ReplyRow = typeof partyReplies.$inferSelect;

/** A reply in the open data (scoreboard.json, follow-up.json: OpenAPI Check.reply); `hiddenReason` added in v1.8. */
export interface ReplyData {
  text: string | null;
  at: string;
  hiddenReason: string | null;
}

export function replyData(reply: PartyReply | null | undefined): ReplyData | null {
  return reply ? { text: reply.text, at: reply.repliedAt.toISOString(), hiddenReason: reply.hiddenReason } : null;
}

function toPartyReply(row: ReplyRow, hidden: ReadonlyMap<number, string>, forAdmin = false): PartyReply {
  const hiddenReason = hidden.get(row.id) ?? null;
  return {
    id: row.id,
    subject: row.subject,
    subjectId: row.subjectId,
    partyId: row.partyId,
    text: hiddenReason && !forAdmin ? null : row.text,
    hiddenReason,
    byName: row.byName,
    repliedAt: row.repliedAt,
  };
}

/**
 * The latest reply per subject id (of one kind) in a campaign; with `at`, as it was then
 * (a frozen view shows the reply that stood at that moment). A hidden reply has its reason, not its words.
 */
export async function loadReplies(db: Db, campaignId: number, subject: ReplySubject, at?: Date): Promise<Map<number, PartyReply>> {
  const rows = await db
    .select()
    .from(partyReplies)
    .where(and(eq(partyReplies.campaignId, campaignId), eq(partyReplies.subject, subject), at ? lte(partyReplies.repliedAt, at) : undefined))
    .orderBy(desc(partyReplies.id));
  const latest = new Map<number, ReplyRow>();
  for (const row of rows) if (!latest.has(row.subjectId)) latest.set(row.subjectId, row);
  const hidden = await hiddenReplies(
    db,
    [...latest.values()].map((r) => r.id),
  );
  return new Map([...latest].map(([subjectId, row]) => [subjectId, toPartyReply(row, hidden)]));
}

/** One reply in the public history: what it answered (a check or a rating, of which pledge), by whom. */
export interface ReplyEvent extends PartyReply {
  partySlug: string;
  partyName: string;
  goalSlug: string;
  /** When the campaign last hid or showed it again; null when never (a feed entry changes then). */
  moderatedAt: Date | null;
}

/**
 * Every reply in a campaign (of one party, one goal), newest first; with `at`, those made by
 * then; with `before` (a reply id) and `limit`, a page of them. Hidden replies show their reason
 * only, except `forAdmin` (the moderation screen in Beheer).
 */
export async function listReplyEvents(
  db: Db,
  campaignId: number,
  {
    partyId,
    goalSlug,
    at = null,
    before,
    limit,
    forAdmin = false,
  }: { partyId?: number; goalSlug?: string; at?: Date | null; before?: number; limit?: number; forAdmin?: boolean } = {},
): Promise<ReplyEvent[]> {
  const goal = sql<string>`coalesce(${pledges.goalSlug}, ${followUpRatings.goalSlug})`;
  const query = db
    .select({ reply: partyReplies, partySlug: parties.slug, partyName: campaignParties.name, goalSlug: goal })
    .from(partyReplies)
    .innerJoin(parties, eq(parties.id, partyReplies.partyId))
    .innerJoin(campaignParties, and(eq(campaignParties.campaignId, partyReplies.campaignId), eq(campaignParties.partyId, partyReplies.partyId)))
    .leftJoin(pledgeChecks, and(eq(partyReplies.subject, 'check'), eq(pledgeChecks.id, partyReplies.subjectId)))
    .leftJoin(pledges, eq(pledges.id, pledgeChecks.pledgeId))
    .leftJoin(followUpRatings, and(eq(partyReplies.subject, 'follow-up'), eq(followUpRatings.id, partyReplies.subjectId)))
    .where(
      and(
        eq(partyReplies.campaignId, campaignId),
        partyId !== undefined ? eq(partyReplies.partyId, partyId) : undefined,
        goalSlug !== undefined ? or(eq(pledges.goalSlug, goalSlug), eq(followUpRatings.goalSlug, goalSlug)) : undefined,
        at ? lte(partyReplies.repliedAt, at) : undefined,
        before !== undefined ? lt(partyReplies.id, before) : undefined,
      ),
    )
    .orderBy(desc(partyReplies.id))
    .$dynamic();
  const rows = await (limit === undefined ? query : query.limit(limit));
  const state = await replyModerationState(
    db,
    rows.map((r) => r.reply.id),
  );
  const hidden = hiddenOf(state);
  return rows.map(({ reply, partySlug, partyName, goalSlug: goalOf }) => ({
    ...toPartyReply(reply, hidden, forAdmin),
    partySlug,
    partyName,
    goalSlug: goalOf,
    moderatedAt: state.get(reply.id)?.at ?? null,
  }));
}

/** A moderation step of a reply, for the party's history: hidden or shown again, why, by whom. */
export interface ReplyModerationStep {
  id: number;
  replyId: number;
  subject: ReplySubject;
  goalSlug: string;
  hidden: boolean;
  reason: string;
  byName: string;
  at: Date;
}

/** Every moderation step of a party's replies in a campaign; with `at`, those made by then. */
export async function listReplyModerations(db: Db, campaignId: number, partyId: number, at: Date | null = null): Promise<ReplyModerationStep[]> {
  const rows = await db
    .select({
      step: replyModerations,
      subject: partyReplies.subject,
      goalSlug: sql<string>`coalesce(${pledges.goalSlug}, ${followUpRatings.goalSlug})`,
    })
    .from(replyModerations)
    .innerJoin(partyReplies, eq(partyReplies.id, replyModerations.replyId))
    .leftJoin(pledgeChecks, and(eq(partyReplies.subject, 'check'), eq(pledgeChecks.id, partyReplies.subjectId)))
    .leftJoin(pledges, eq(pledges.id, pledgeChecks.pledgeId))
    .leftJoin(followUpRatings, and(eq(partyReplies.subject, 'follow-up'), eq(followUpRatings.id, partyReplies.subjectId)))
    .where(and(eq(replyModerations.campaignId, campaignId), eq(partyReplies.partyId, partyId), at ? lte(replyModerations.at, at) : undefined))
    .orderBy(desc(replyModerations.id));
  return rows.map(({ step, subject, goalSlug }) => ({
    id: step.id,
    replyId: step.replyId,
    subject,
    goalSlug,
    hidden: step.hidden,
    reason: step.reason,
    byName: step.byName,
    at: step.at,
  }));
}

const moderationReasonSchema = freeText('moderation.reason').trim().min(3, 'moderation.reason').max(300, 'moderation.reason');

export type ReplyModerationResult =
  | { status: 'done'; hidden: boolean }
  | { status: 'invalid'; issues: FieldIssues }
  | { status: 'forbidden' }
  | { status: 'unknown-reply' }
  /** Already hidden (or already shown). */
  | { status: 'unchanged' }
  | { status: 'archived' };

/**
 * Hides a reply (or shows it again) with a public reason: one more row in reply_moderations,
 * audited as reply.hidden / reply.shown. Only an admin moderates.
 */
export async function moderateReply(
  db: Db,
  campaignId: number,
  { replyId, hide, reason }: { replyId: number | string; hide: boolean; reason: string },
  { actor, ip, now = new Date() }: { actor: Actor; ip?: string | null; now?: Date },
): Promise<ReplyModerationResult> {
  if (actor.role !== 'admin') return { status: 'forbidden' };
  const id = Number(replyId);
  if (!Number.isSafeInteger(id) || id < 1) return { status: 'unknown-reply' };
  const parsed = moderationReasonSchema.safeParse(reason);
  if (!parsed.success) return { status: 'invalid', issues: { reason: parsed.error.issues[0]!.message } };
  try {
    return await db.transaction(async (tx) => {
      const [reply] = await tx
        .select({ id: partyReplies.id, subject: partyReplies.subject, subjectId: partyReplies.subjectId, state: campaigns.state })
        .from(partyReplies)
        .innerJoin(campaigns, eq(campaigns.id, partyReplies.campaignId))
        .where(and(eq(partyReplies.id, id), eq(partyReplies.campaignId, campaignId)))
        .for('update', { of: partyReplies });
      if (!reply) return { status: 'unknown-reply' } as const;
      if (reply.state === 'archived') return { status: 'archived' } as const;
      if ((await hiddenReplies(tx, [id])).has(id) === hide) return { status: 'unchanged' } as const;
      await tx
        .insert(replyModerations)
        .values({ campaignId, replyId: id, hidden: hide, reason: parsed.data, byUserId: actor.userId, byName: actor.name, at: now });
      await recordAudit(tx, {
        action: hide ? 'reply.hidden' : 'reply.shown',
        actor,
        subject: `${reply.subject}/${reply.subjectId}`,
        ip,
        now,
        details: { reply: id, reason: parsed.data },
      });
      return { status: 'done', hidden: hide } as const;
    });
  } catch (error) {
    if (isArchivedCampaignWrite(error)) return { status: 'archived' };
    throw error;
  }
}
