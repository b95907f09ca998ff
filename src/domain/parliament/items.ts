/**
 * Parliamentary items linked to a campaign's goals (issue 15): a Zaak of the Tweede Kamer as
 * zaak.ts read it, with whether it advances or undermines the goal, and the votes of each
 * parliamentary party mapped to the campaign's parties (fraction-match.ts, with the mappings
 * an admin set once where names differ).
 *
 * The votes summary per party × goal ("voted in line with this goal on 3 of 4 items"):
 * - an item is in line with the goal when the party voted `for` an item that advances the
 *   goal, or `against` an item that undermines it;
 * - the count ("of 4") is the goal's items on which the party's fraction voted: for, against
 *   or split (its members differed; counted, never in line). A fraction that did not take part
 *   did not vote against the goal: that item does not count (the sentence "voted in line 1 of 2
 *   times" must not read an absence as a vote). Items without votes (not voted on yet, adopted
 *   without a vote) and items on which no fraction of the party appears do not count either.
 *
 * A new import of the same Zaak for the same goal updates the row (the Kamer's record may have
 * been corrected): a frozen view (`at`) shows the items imported by then, as last imported.
 */
import { and, asc, eq, lte } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { campaignGoals, campaigns, fractionMappings, itemEffect, parliamentItems, parties } from '../../db/schema.ts';
import type { Actor } from '../actors.ts';
import { partiesAsOf } from '../as-of.ts';
import { recordAudit } from '../audit.ts';
import { findActivePartyBySlug, listAllParties } from '../parties.ts';
import { matchFractions, type FractionMapping, type FractionMatchResult, type MatchableParty, type UnmatchedFraction } from './fraction-match.ts';
import { ZAAK_NUMBER, type VotePosition, type ZaakItem } from './zaak.ts';

export const ITEM_EFFECTS = itemEffect.enumValues;
export type ItemEffect = (typeof ITEM_EFFECTS)[number];

export function isItemEffect(value: string): value is ItemEffect {
  return (ITEM_EFFECTS as readonly string[]).includes(value);
}

/** One campaign party's vote on an item: its fraction's vote as the Kamer recorded it. */
export interface PartyVote {
  partySlug: string;
  fraction: string;
  vote: VotePosition | 'split';
  /** The fraction said afterwards it voted by mistake (the vote stands). */
  mistake: boolean;
}

export interface LinkedItem {
  id: number;
  goalSlug: string;
  number: string;
  kind: string;
  title: string;
  subject: string | null;
  effect: ItemEffect;
  item: ZaakItem;
  importedAt: Date;
  /** Votes of the campaign's parties, in the order the Kamer listed the fractions. */
  partyVotes: PartyVote[];
  /** Fractions an admin mapped to no party of the campaign. */
  ignored: string[];
  /** Fractions no party could be found for: the admin maps them once (setFractionMapping). */
  unmatched: UnmatchedFraction[];
}

export interface VoteSummary {
  /** Items on which the party voted in line with the goal. */
  inLine: number;
  /** Items of the goal on which the party's fraction voted (for, against or split). */
  counted: number;
}

/** Whether a vote on an item is in line with the goal the item is linked to (see the file's comment). */
export function inLineWithGoal(effect: ItemEffect, vote: VotePosition | 'split'): boolean {
  return (effect === 'advances' && vote === 'for') || (effect === 'undermines' && vote === 'against');
}

/** The votes summary of one party over one goal's items (see the file's comment). */
export function summarizeVotes(items: readonly Pick<LinkedItem, 'effect' | 'partyVotes'>[], partySlug: string): VoteSummary {
  let inLine = 0;
  let counted = 0;
  for (const item of items) {
    const vote = item.partyVotes.find((v) => v.partySlug === partySlug);
    if (!vote || vote.vote === 'did-not-vote') continue;
    counted += 1;
    if (inLineWithGoal(item.effect, vote.vote)) inLine += 1;
  }
  return { inLine, counted };
}

/** The item's fractions matched to the campaign's parties, and each matched party's vote. */
function partyVotesOf(item: ZaakItem, campaignParties: readonly MatchableParty[], mapping: FractionMapping): FractionMatchResult & { partyVotes: PartyVote[] } {
  const match = matchFractions(
    item.votes.map((v) => v.fraction),
    campaignParties,
    mapping,
  );
  const bySlug = new Map(match.matched.map((m) => [m.fraction, m.partySlug]));
  const partyVotes = item.votes.flatMap((v) => {
    const partySlug = bySlug.get(v.fraction);
    return partySlug ? [{ partySlug, fraction: v.fraction, vote: v.vote, mistake: v.mistake }] : [];
  });
  return { ...match, partyVotes };
}

/** The admin's mappings of a campaign: fraction → party slug, or null (no party of the campaign). */
async function loadFractionMapping(db: Db, campaignId: number): Promise<FractionMapping> {
  const rows = await db
    .select({ fraction: fractionMappings.fraction, slug: parties.slug })
    .from(fractionMappings)
    .leftJoin(parties, eq(parties.id, fractionMappings.partyId))
    .where(eq(fractionMappings.campaignId, campaignId))
    .orderBy(asc(fractionMappings.fraction));
  return Object.fromEntries(rows.map((r) => [r.fraction, r.slug]));
}

export interface ItemsView {
  /** Every linked item, by goal then number. */
  items: LinkedItem[];
  /** A Zaak's links (one per goal it is linked to); empty for a number not linked. */
  byNumber(number: string): LinkedItem[];
  summaryOf(partySlug: string, goalSlug: string): VoteSummary;
}

/** The campaign's linked items with votes per party (as imported by `at`, when given). */
export async function loadItems(db: Db, campaignId: number, at: Date | null = null): Promise<ItemsView> {
  const [rows, partyList, mapping] = await Promise.all([
    db
      .select()
      .from(parliamentItems)
      .where(and(eq(parliamentItems.campaignId, campaignId), at ? lte(parliamentItems.importedAt, at) : undefined))
      .orderBy(asc(parliamentItems.goalSlug), asc(parliamentItems.zaakNumber)),
    at ? partiesAsOf(db, campaignId, at) : listAllParties(db, campaignId),
    loadFractionMapping(db, campaignId),
  ]);
  const items = rows.map((row): LinkedItem => {
    const item = row.item as ZaakItem;
    const { partyVotes, ignored, unmatched } = partyVotesOf(item, partyList, mapping);
    return {
      id: row.id,
      goalSlug: row.goalSlug,
      number: row.zaakNumber,
      kind: row.kind,
      title: row.title,
      subject: row.subject,
      effect: row.effect,
      item,
      importedAt: row.importedAt,
      partyVotes,
      ignored,
      unmatched,
    };
  });
  const byGoal = Map.groupBy(items, (i) => i.goalSlug);
  return {
    items,
    byNumber: (number) => items.filter((i) => i.number === number),
    summaryOf: (partySlug, goalSlug) => summarizeVotes(byGoal.get(goalSlug) ?? [], partySlug),
  };
}

interface WriteOptions {
  actor: Actor;
  ip?: string | null;
  now?: Date;
}

/** Only an admin, or the command line (the system), links items and maps fractions. */
const mayLink = (actor: Actor) => actor.role === 'admin' || actor.role === 'system';

type CampaignGate = { status: 'forbidden' } | { status: 'unknown-campaign' } | { status: 'archived' };

async function openCampaign(tx: Db, campaignId: number): Promise<{ slug: string } | CampaignGate> {
  const [campaign] = await tx.select({ state: campaigns.state, slug: campaigns.slug }).from(campaigns).where(eq(campaigns.id, campaignId)).for('share');
  if (!campaign) return { status: 'unknown-campaign' };
  if (campaign.state === 'archived') return { status: 'archived' };
  return { slug: campaign.slug };
}

export type LinkZaakResult =
  | { status: 'done'; created: boolean; id: number; effect: ItemEffect; match: FractionMatchResult }
  | CampaignGate
  | { status: 'unknown-goal' }
  | { status: 'bad-effect' }
  | { status: 'bad-number' };

/**
 * Links a Zaak to a goal, or updates the link when that Zaak was linked to the goal before
 * (a new import: its decision and votes as the Kamer now records them, and the effect given).
 * Audited as parliament.item-linked. The match tells which fractions still need a mapping.
 */
export async function linkZaak(
  db: Db,
  campaignId: number,
  /** `effect`: undefined keeps a linked item's effect (a new link advances its goal unless told). */
  { goalSlug, effect: asked, item }: { goalSlug: string; effect?: string; item: ZaakItem },
  { actor, ip, now = new Date() }: WriteOptions,
): Promise<LinkZaakResult> {
  if (!mayLink(actor)) return { status: 'forbidden' };
  if (asked !== undefined && !isItemEffect(asked)) return { status: 'bad-effect' };
  if (!ZAAK_NUMBER.test(item.number)) return { status: 'bad-number' };
  return db.transaction(async (tx) => {
    const campaign = await openCampaign(tx, campaignId);
    if ('status' in campaign) return campaign;
    const [goal] = await tx
      .select({ slug: campaignGoals.slug })
      .from(campaignGoals)
      .where(and(eq(campaignGoals.campaignId, campaignId), eq(campaignGoals.slug, goalSlug)));
    if (!goal) return { status: 'unknown-goal' } as const;
    const where = and(eq(parliamentItems.campaignId, campaignId), eq(parliamentItems.goalSlug, goal.slug), eq(parliamentItems.zaakNumber, item.number));
    const [existing] = await tx.select({ id: parliamentItems.id, effect: parliamentItems.effect }).from(parliamentItems).where(where).for('update');
    // A refresh of the votes never turns an item that undermines the goal into one that advances it.
    const effect: ItemEffect = asked ?? existing?.effect ?? 'advances';
    const values = {
      zaakId: item.id,
      kind: item.kind,
      title: item.title ?? item.subject ?? item.number,
      subject: item.subject,
      effect,
      item,
      importedAt: now,
      byUserId: actor.userId,
    };
    let id: number;
    if (existing) {
      await tx.update(parliamentItems).set(values).where(eq(parliamentItems.id, existing.id));
      id = existing.id;
    } else {
      const [row] = await tx
        .insert(parliamentItems)
        .values({ campaignId, goalSlug: goal.slug, zaakNumber: item.number, ...values })
        .returning({ id: parliamentItems.id });
      id = row!.id;
    }
    await recordAudit(tx, {
      action: 'parliament.item-linked',
      actor,
      subject: item.number,
      ip,
      now,
      details: { goal: goal.slug, effect, effectBefore: existing?.effect ?? null, created: !existing, decision: item.decision?.text ?? null },
    });
    const match = matchFractions(
      item.votes.map((v) => v.fraction),
      await listAllParties(tx, campaignId),
      await loadFractionMapping(tx, campaignId),
    );
    return { status: 'done', created: !existing, id, effect, match } as const;
  });
}

export type FractionMappingResult = { status: 'done' } | CampaignGate | { status: 'unknown-party' } | { status: 'bad-fraction' };

/**
 * Says once which of the campaign's parties a fraction is (partySlug), or that it is none of
 * them (null). Setting it again replaces it. Audited as parliament.fraction-mapped.
 */
export async function setFractionMapping(
  db: Db,
  campaignId: number,
  { fraction, partySlug }: { fraction: string; partySlug: string | null },
  { actor, ip, now = new Date() }: WriteOptions,
): Promise<FractionMappingResult> {
  if (!mayLink(actor)) return { status: 'forbidden' };
  const name = fraction.trim();
  if (name === '' || name.length > 200 || /[\p{C}]/u.test(name)) return { status: 'bad-fraction' };
  return db.transaction(async (tx) => {
    const campaign = await openCampaign(tx, campaignId);
    if ('status' in campaign) return campaign;
    let partyId: number | null = null;
    if (partySlug !== null) {
      const party = await findActivePartyBySlug(tx, campaignId, partySlug);
      if (!party) return { status: 'unknown-party' } as const;
      partyId = party.id;
    }
    await tx
      .insert(fractionMappings)
      .values({ campaignId, fraction: name, partyId })
      .onConflictDoUpdate({ target: [fractionMappings.campaignId, fractionMappings.fraction], set: { partyId } });
    await recordAudit(tx, { action: 'parliament.fraction-mapped', actor, subject: name, ip, now, details: { party: partySlug } });
    return { status: 'done' } as const;
  });
}
