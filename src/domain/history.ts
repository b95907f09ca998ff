/**
 * A party's pledge history, newest first: every saved version (from what to what, when, by
 * whom), every moderation step, every check by the campaign and every reply of the party to a
 * check or a follow-up rating (and each moderation of a reply). The public sees a hidden
 * statement's or reply's reason in its place; admins also see the words.
 */
import { and, desc, eq, inArray, lt, lte, max } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { campaignParties, parties, pledgeEvents, pledges, statementModerations } from '../db/schema.ts';
import { listCheckEvents } from './checks.ts';
import { hiddenStatements, versionKey } from './moderation.ts';
import { listReplyEvents, listReplyModerations, type ReplySubject } from './replies.ts';
import type { Stance } from './stances.ts';

interface PledgeChange {
  kind: 'change';
  id: string;
  at: Date;
  goalSlug: string;
  version: number;
  actorName: string;
  actorRole: 'rep' | 'admin' | 'system';
  /** The public reason of an admin's correction (null for a party's own save, and for old corrections). */
  correctionReason: string | null;
  stanceBefore: Stance | null;
  stanceAfter: Stance;
  /** null when hidden from the public (see the matching hidden reason). */
  statementBefore: string | null;
  statementAfter: string | null;
  statementBeforeHidden: string | null;
  statementAfterHidden: string | null;
  evidenceUrlBefore: string | null;
  evidenceUrlAfter: string | null;
  evidencePageBefore: number | null;
  evidencePageAfter: number | null;
}

interface ModerationStep {
  kind: 'moderation';
  id: string;
  at: Date;
  goalSlug: string;
  version: number;
  hidden: boolean;
  reason: string;
  byName: string;
}

/** The campaign checked a version of the pledge (checks.ts): verified with its page, or disputed with its reason. */
interface CheckStep {
  kind: 'check';
  id: string;
  at: Date;
  goalSlug: string;
  version: number;
  verdict: 'verified' | 'disputed';
  page: number | null;
  reason: string | null;
  byName: string;
}

/** The party answered a check or a follow-up rating (replies.ts); a hidden reply shows its reason only (admins see the words too). */
interface ReplyStep {
  kind: 'reply';
  id: string;
  at: Date;
  goalSlug: string;
  subject: ReplySubject;
  text: string | null;
  hiddenReason: string | null;
  byName: string;
}

/** The campaign hid a reply, or showed it again, with its public reason. */
interface ReplyModeration {
  kind: 'reply-moderation';
  id: string;
  at: Date;
  goalSlug: string;
  subject: ReplySubject;
  hidden: boolean;
  reason: string;
  byName: string;
}

export type HistoryItem = PledgeChange | ModerationStep | CheckStep | ReplyStep | ReplyModeration;

type EventRow = typeof pledgeEvents.$inferSelect;

/** One saved version as the history shows it; the public sees a hidden statement's reason only. */
function toChange(e: EventRow, hidden: ReadonlyMap<string, string>, forAdmin: boolean): PledgeChange {
  const afterHidden = hidden.get(versionKey(e.pledgeId, e.version)) ?? null;
  const beforeHidden = e.version > 1 ? (hidden.get(versionKey(e.pledgeId, e.version - 1)) ?? null) : null;
  const shown = (text: string | null, reason: string | null) => (reason && !forAdmin ? null : text);
  return {
    kind: 'change',
    id: `e${e.id}`,
    at: e.occurredAt,
    goalSlug: e.goalSlug,
    version: e.version,
    actorName: e.actorName,
    actorRole: e.actorRole,
    correctionReason: e.correctionReason,
    stanceBefore: e.stanceBefore,
    stanceAfter: e.stanceAfter,
    statementBefore: shown(e.statementBefore, beforeHidden),
    statementAfter: shown(e.statementAfter, afterHidden),
    statementBeforeHidden: beforeHidden,
    statementAfterHidden: afterHidden,
    evidenceUrlBefore: e.evidenceUrlBefore,
    evidenceUrlAfter: e.evidenceUrlAfter,
    evidencePageBefore: e.evidencePageBefore,
    evidencePageAfter: e.evidencePageAfter,
  };
}

/** A party's history in a campaign; with `at`, only what had happened by then. */
export async function listPartyHistory(
  db: Db,
  campaignId: number,
  partyId: number,
  { forAdmin = false, at = null }: { forAdmin?: boolean; at?: Date | null } = {},
): Promise<HistoryItem[]> {
  const events = await db
    .select()
    .from(pledgeEvents)
    .where(and(eq(pledgeEvents.campaignId, campaignId), eq(pledgeEvents.partyId, partyId), at ? lte(pledgeEvents.occurredAt, at) : undefined))
    .orderBy(desc(pledgeEvents.id));
  const pledgeRows = await db
    .select({ id: pledges.id, goalSlug: pledges.goalSlug })
    .from(pledges)
    .where(and(eq(pledges.campaignId, campaignId), eq(pledges.partyId, partyId)));
  const pledgeIds = pledgeRows.map((p) => p.id);
  const goalOf = new Map(pledgeRows.map((p) => [p.id, p.goalSlug]));
  const hidden = await hiddenStatements(db, pledgeIds);
  const moderations =
    pledgeIds.length === 0
      ? []
      : await db
          .select()
          .from(statementModerations)
          .where(and(inArray(statementModerations.pledgeId, pledgeIds), at ? lte(statementModerations.at, at) : undefined));

  const changes: HistoryItem[] = events.map((e) => toChange(e, hidden, forAdmin));
  const steps: HistoryItem[] = moderations.map((m) => ({
    kind: 'moderation',
    id: `m${m.id}`,
    at: m.at,
    goalSlug: goalOf.get(m.pledgeId)!,
    version: m.version,
    hidden: m.hidden,
    reason: m.reason,
    byName: m.byName,
  }));
  const checks: HistoryItem[] = (await listCheckEvents(db, campaignId, { partyId, at })).map((c) => ({
    kind: 'check',
    id: `c${c.id}`,
    at: c.checkedAt,
    goalSlug: c.goalSlug,
    version: c.pledgeVersion,
    verdict: c.verdict,
    page: c.page,
    reason: c.reason,
    byName: c.byName,
  }));
  const replies: HistoryItem[] = (await listReplyEvents(db, campaignId, { partyId, at, forAdmin })).map((r) => ({
    kind: 'reply',
    id: `r${r.id}`,
    at: r.repliedAt,
    goalSlug: r.goalSlug,
    subject: r.subject,
    text: r.text,
    hiddenReason: r.hiddenReason,
    byName: r.byName,
  }));
  const replySteps: HistoryItem[] = (await listReplyModerations(db, campaignId, partyId, at)).map((m) => ({
    kind: 'reply-moderation',
    id: `rm${m.id}`,
    at: m.at,
    goalSlug: m.goalSlug,
    subject: m.subject,
    hidden: m.hidden,
    reason: m.reason,
    byName: m.byName,
  }));
  return [...changes, ...steps, ...checks, ...replies, ...replySteps].sort((a, b) => b.at.getTime() - a.at.getTime() || b.id.localeCompare(a.id));
}

export interface PublicChange extends PledgeChange {
  eventId: number;
  partySlug: string;
  partyName: string;
}

export interface ChangesPage {
  changes: PublicChange[];
  /** Pass as `before` for the next (older) page; null when this was the last. */
  nextBefore: number | null;
}

/**
 * Pledge changes newest first, a page at a time, for the open-data API and the feeds: all of
 * them, or one party's or one goal's; with `at`, only those made by then. Hidden statements
 * show their reason instead of their words.
 */
export async function listPublicChanges(
  db: Db,
  campaignId: number,
  { before, limit = 100, at = null, partyId, goalSlug }: { before?: number; limit?: number; at?: Date | null; partyId?: number; goalSlug?: string },
): Promise<ChangesPage> {
  const rows = await db
    .select({ event: pledgeEvents, partySlug: parties.slug, partyName: campaignParties.name })
    .from(pledgeEvents)
    .innerJoin(parties, eq(parties.id, pledgeEvents.partyId))
    .innerJoin(campaignParties, and(eq(campaignParties.campaignId, pledgeEvents.campaignId), eq(campaignParties.partyId, pledgeEvents.partyId)))
    .where(
      and(
        eq(pledgeEvents.campaignId, campaignId),
        before ? lt(pledgeEvents.id, before) : undefined,
        at ? lte(pledgeEvents.occurredAt, at) : undefined,
        partyId ? eq(pledgeEvents.partyId, partyId) : undefined,
        goalSlug ? eq(pledgeEvents.goalSlug, goalSlug) : undefined,
      ),
    )
    .orderBy(desc(pledgeEvents.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const hidden = await hiddenStatements(db, [...new Set(page.map((r) => r.event.pledgeId))]);
  const changes = page.map(({ event, partySlug, partyName }) => ({
    ...toChange(event, hidden, false),
    eventId: event.id,
    partySlug,
    partyName,
  }));
  return { changes, nextBefore: rows.length > limit ? page.at(-1)!.event.id : null };
}

/**
 * When a party last changed a pledge (its latest history event; with `at`, its latest by
 * then), or null when it has not pledged at all. A correction by the campaign counts: it
 * changed what the party's row shows.
 */
export async function partyLastUpdatedAt(db: Db, campaignId: number, partyId: number, at: Date | null = null): Promise<Date | null> {
  const [row] = await db
    .select({ latest: max(pledgeEvents.occurredAt) })
    .from(pledgeEvents)
    .where(and(eq(pledgeEvents.campaignId, campaignId), eq(pledgeEvents.partyId, partyId), at ? lte(pledgeEvents.occurredAt, at) : undefined));
  return row?.latest ?? null;
}
