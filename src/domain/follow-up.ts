/**
 * After the election (issue 15): per party × goal, the campaign rates what became of the
 * pledge: in progress, stalled, kept, partly kept, broken (with its reason), not checkable.
 * Each rating cites an https source with a short explanation and is an append-only public
 * event (the table refuses updates and deletes); the latest is the current status, and before
 * any the status is "not yet rated". Only an admin rates, and only while the campaign is in
 * the follow-up state: an archived campaign is read-only (the database refuses it too).
 * A party's reply to a rating lives in party_replies (src/domain/replies.ts, subject 'follow-up').
 */
import { and, asc, eq, lte } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { brokenReason as brokenReasonEnum, campaignGoals, campaigns, followUpRatings, followUpStatus, parties } from '../db/schema.ts';
import type { Actor } from './actors.ts';
import { recordAudit } from './audit.ts';
import type { FieldIssues } from './field-issues.ts';
import { toFieldIssues } from './field-issues.ts';
import { optionalHttpsUrl } from './https-url.ts';
import { findActivePartyBySlug } from './parties.ts';
import { loadReplies, type PartyReply } from './replies.ts';
import { freeText } from './text.ts';

export const FOLLOW_UP_STATUSES = followUpStatus.enumValues;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];
export const BROKEN_REASONS = brokenReasonEnum.enumValues;
export type BrokenReason = (typeof BROKEN_REASONS)[number];

/** The form's fields, as text (an action's form or the tests); message keys in src/i18n/ui.ts. */
export interface RatingInput {
  partySlug: string;
  goalSlug: string;
  status: string;
  brokenReason?: string | null;
  citationUrl: string;
  explanation: string;
}

const ratingSchema = z.object({
  status: z.enum(FOLLOW_UP_STATUSES, { error: 'followUp.error.status' }),
  brokenReason: z
    .union([z.enum(BROKEN_REASONS), z.literal('')], { error: 'followUp.error.brokenReason' })
    .nullish()
    .transform((v) => v || null),
  citationUrl: optionalHttpsUrl('followUp.error.citation').refine((v) => v !== null, 'followUp.error.citation'),
  explanation: freeText('followUp.error.explanation').trim().min(1, 'followUp.error.explanation').max(500, 'followUp.error.explanation'),
});

/**
 * Every field's problem at once: a broken pledge says why, and any other status has no reason
 * to give (checked on the input as sent, so it is named beside the other fields' problems).
 */
function ratingIssues(input: RatingInput): { issues: FieldIssues } | { rating: z.output<typeof ratingSchema> } {
  const parsed = ratingSchema.safeParse(input);
  const issues = parsed.success ? {} : toFieldIssues(parsed.error);
  const reasonGiven = (input.brokenReason ?? '') !== '';
  if (!issues.brokenReason && input.status === 'broken' && !reasonGiven) issues.brokenReason = 'followUp.error.brokenReason';
  if (!issues.brokenReason && input.status !== 'broken' && reasonGiven) issues.brokenReason = 'followUp.error.brokenReasonOnlyBroken';
  return parsed.success && Object.keys(issues).length === 0 ? { rating: parsed.data } : { issues };
}

export interface FollowUpRating {
  id: number;
  partySlug: string;
  goalSlug: string;
  status: FollowUpStatus;
  brokenReason: BrokenReason | null;
  citationUrl: string;
  explanation: string;
  byName: string;
  ratedAt: Date;
  /** The party's latest reply to this rating (src/domain/replies.ts), or null. */
  reply: PartyReply | null;
}

export type RateResult =
  | { status: 'done'; rating: FollowUpRating }
  | { status: 'invalid'; issues: FieldIssues }
  /** Only an admin rates. */
  | { status: 'forbidden' }
  | { status: 'unknown-campaign' }
  | { status: 'unknown-party' }
  | { status: 'unknown-goal' }
  /** The campaign is not (or no longer) in the follow-up state. */
  | { status: 'wrong-state' }
  | { status: 'archived' };

/** Records one rating of a party's pledge on a goal, with its citation; audited as follow-up.rated. */
export async function rateFollowUp(
  db: Db,
  campaignId: number,
  input: RatingInput,
  { actor, ip, now = new Date() }: { actor: Actor; ip?: string | null; now?: Date },
): Promise<RateResult> {
  if (actor.role !== 'admin') return { status: 'forbidden' };
  const checked = ratingIssues(input);
  if ('issues' in checked) return { status: 'invalid', issues: checked.issues };
  return db.transaction(async (tx) => {
    // Locked: a rating never lands in a campaign being moved out of follow-up at that moment.
    const [campaign] = await tx.select({ state: campaigns.state, slug: campaigns.slug }).from(campaigns).where(eq(campaigns.id, campaignId)).for('share');
    if (!campaign) return { status: 'unknown-campaign' } as const;
    if (campaign.state === 'archived') return { status: 'archived' } as const;
    if (campaign.state !== 'follow-up') return { status: 'wrong-state' } as const;
    const party = await findActivePartyBySlug(tx, campaignId, input.partySlug);
    if (!party) return { status: 'unknown-party' } as const;
    const [goal] = await tx
      .select({ slug: campaignGoals.slug })
      .from(campaignGoals)
      .where(and(eq(campaignGoals.campaignId, campaignId), eq(campaignGoals.slug, input.goalSlug)));
    if (!goal) return { status: 'unknown-goal' } as const;
    const { status, brokenReason, citationUrl, explanation } = checked.rating;
    const [row] = await tx
      .insert(followUpRatings)
      .values({
        campaignId,
        partyId: party.id,
        goalSlug: goal.slug,
        status,
        brokenReason,
        citationUrl,
        explanation,
        byName: actor.name,
        byUserId: actor.userId,
        ratedAt: now,
      })
      .returning();
    await recordAudit(tx, {
      action: 'follow-up.rated',
      actor,
      subject: `${party.slug}/${goal.slug}`,
      ip,
      now,
      details: { party: party.slug, goal: goal.slug, status, brokenReason, citationUrl },
    });
    return { status: 'done', rating: { ...ratingOf(row!), partySlug: party.slug } } as const;
  });
}

function ratingOf(row: typeof followUpRatings.$inferSelect & { partySlug?: string }): FollowUpRating {
  return {
    id: row.id,
    partySlug: row.partySlug ?? '',
    goalSlug: row.goalSlug,
    status: row.status,
    brokenReason: row.brokenReason,
    citationUrl: row.citationUrl,
    explanation: row.explanation,
    byName: row.byName,
    ratedAt: row.ratedAt,
    reply: null,
  };
}

/** One party's pledge on one goal after the election: the current rating (null: not yet rated) and every rating, newest first. */
interface FollowUpCell {
  current: FollowUpRating | null;
  history: FollowUpRating[];
}

/** Every rated party × goal of a campaign; `cellOf` answers for any pair (not yet rated when absent). */
export interface FollowUp {
  /** Every rating, oldest first (the feed and the open data list them all). */
  ratings: FollowUpRating[];
  cellOf(partySlug: string, goalSlug: string): FollowUpCell;
}

const NOT_YET_RATED: FollowUpCell = Object.freeze({ current: null, history: [] });

/** The follow-up as it stands (or stood at `at`: ratings and replies made by then). */
export async function loadFollowUp(db: Db, campaignId: number, at: Date | null = null): Promise<FollowUp> {
  const [rows, replies] = await Promise.all([
    db
      .select({ rating: followUpRatings, partySlug: parties.slug })
      .from(followUpRatings)
      .innerJoin(parties, eq(parties.id, followUpRatings.partyId))
      .where(and(eq(followUpRatings.campaignId, campaignId), at ? lte(followUpRatings.ratedAt, at) : undefined))
      .orderBy(asc(followUpRatings.ratedAt), asc(followUpRatings.id)),
    loadReplies(db, campaignId, 'follow-up', at ?? undefined),
  ]);
  const ratings = rows.map(({ rating, partySlug }) => ({ ...ratingOf({ ...rating, partySlug }), reply: replies.get(rating.id) ?? null }));
  const cells = new Map<string, FollowUpCell>();
  for (const rating of ratings) {
    const key = `${rating.partySlug}\u0000${rating.goalSlug}`;
    const cell = cells.get(key) ?? { current: null, history: [] };
    cell.current = rating;
    cell.history.unshift(rating);
    cells.set(key, cell);
  }
  return { ratings, cellOf: (partySlug, goalSlug) => cells.get(`${partySlug}\u0000${goalSlug}`) ?? NOT_YET_RATED };
}
