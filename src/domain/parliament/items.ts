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
 * What was published stays as it was (drizzle/0024): a link is made once, and each import of
 * the Zaak (the Kamer's record may have been corrected since) and each unlink (a wrong link,
 * with a reason) is added beside it, as is each fraction mapping. The view at a moment
 * (`at`) is each link's latest import by then, unless an unlink came after it, with the
 * mappings as they were set by then; a later import links an unlinked item again. One link's
 * imports and unlinks are strictly ordered in time (`nextMoment`), so "the latest" is one.
 */
import { and, asc, desc, eq, lte } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import {
  campaignGoals,
  campaigns,
  fractionMappings,
  itemEffect,
  parliamentItemImports,
  parliamentItems,
  parliamentItemUnlinks,
  parties,
} from '../../db/schema.ts';
import type { Actor } from '../actors.ts';
import { partiesAsOf } from '../as-of.ts';
import { recordAudit } from '../audit.ts';
import { findActivePartyBySlug, listAllParties } from '../parties.ts';
import { hasForbiddenCharacters } from '../text.ts';
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

/** The admin's mappings of a campaign (as set by `at`): fraction → party slug, or null (no party of the campaign); and when the latest was set. */
async function loadMappings(db: Db, campaignId: number, at: Date | null = null): Promise<{ mapping: FractionMapping; mappedAt: Date | null }> {
  const rows = await db
    .selectDistinctOn([fractionMappings.fraction], { fraction: fractionMappings.fraction, slug: parties.slug, setAt: fractionMappings.setAt })
    .from(fractionMappings)
    .leftJoin(parties, eq(parties.id, fractionMappings.partyId))
    .where(and(eq(fractionMappings.campaignId, campaignId), at ? lte(fractionMappings.setAt, at) : undefined))
    .orderBy(asc(fractionMappings.fraction), desc(fractionMappings.setAt), desc(fractionMappings.id));
  const mappedAt = rows.reduce<Date | null>((latest, r) => (latest && latest >= r.setAt ? latest : r.setAt), null);
  return { mapping: Object.fromEntries(rows.map((r) => [r.fraction, r.slug])), mappedAt };
}

async function loadFractionMapping(db: Db, campaignId: number, at: Date | null = null): Promise<FractionMapping> {
  return (await loadMappings(db, campaignId, at)).mapping;
}

/** Each link's latest import and latest unlink (by `at`, when given). */
async function latestEvents(db: Db, campaignId: number, at: Date | null, itemId?: number) {
  const [imports, unlinks] = await Promise.all([
    db
      .selectDistinctOn([parliamentItemImports.itemId])
      .from(parliamentItemImports)
      .where(
        and(
          eq(parliamentItemImports.campaignId, campaignId),
          itemId === undefined ? undefined : eq(parliamentItemImports.itemId, itemId),
          at ? lte(parliamentItemImports.importedAt, at) : undefined,
        ),
      )
      .orderBy(asc(parliamentItemImports.itemId), desc(parliamentItemImports.importedAt), desc(parliamentItemImports.id)),
    db
      .selectDistinctOn([parliamentItemUnlinks.itemId], { itemId: parliamentItemUnlinks.itemId, unlinkedAt: parliamentItemUnlinks.unlinkedAt })
      .from(parliamentItemUnlinks)
      .where(
        and(
          eq(parliamentItemUnlinks.campaignId, campaignId),
          itemId === undefined ? undefined : eq(parliamentItemUnlinks.itemId, itemId),
          at ? lte(parliamentItemUnlinks.unlinkedAt, at) : undefined,
        ),
      )
      .orderBy(asc(parliamentItemUnlinks.itemId), desc(parliamentItemUnlinks.unlinkedAt), desc(parliamentItemUnlinks.id)),
  ]);
  const unlinkedAt = new Map(unlinks.map((u) => [u.itemId, u.unlinkedAt]));
  return imports.map((latest) => {
    const unlinked = unlinkedAt.get(latest.itemId);
    return { latest, unlinkedAt: unlinked ?? null, linked: !unlinked || unlinked < latest.importedAt };
  });
}

/** A moment for a link's next import or unlink: now, or just after its latest one (clocks and quick hands). */
function nextMoment(now: Date, ...before: (Date | null | undefined)[]): Date {
  const latest = Math.max(...before.map((d) => d?.getTime() ?? -Infinity));
  return now.getTime() > latest ? now : new Date(latest + 1);
}

export interface ItemsView {
  /** Every linked item, by goal then number. */
  items: LinkedItem[];
  /** The latest unlink of an item that is not linked again (by `at`): the view changed then too. */
  unlinkedAt: Date | null;
  /** The latest fraction mapping set (by `at`): the votes per party may have changed then. */
  mappedAt: Date | null;
  /** A Zaak's links (one per goal it is linked to); empty for a number not linked. */
  byNumber(number: string): LinkedItem[];
  summaryOf(partySlug: string, goalSlug: string): VoteSummary;
}

/** The campaign's linked items with votes per party (as published at `at`, when given). */
export async function loadItems(db: Db, campaignId: number, at: Date | null = null): Promise<ItemsView> {
  const [links, events, partyList, { mapping, mappedAt }] = await Promise.all([
    db
      .select({ id: parliamentItems.id, goalSlug: parliamentItems.goalSlug, number: parliamentItems.zaakNumber })
      .from(parliamentItems)
      .where(eq(parliamentItems.campaignId, campaignId))
      .orderBy(asc(parliamentItems.goalSlug), asc(parliamentItems.zaakNumber)),
    latestEvents(db, campaignId, at),
    at ? partiesAsOf(db, campaignId, at) : listAllParties(db, campaignId),
    loadMappings(db, campaignId, at),
  ]);
  const byLink = new Map(events.map((e) => [e.latest.itemId, e]));
  const items = links.flatMap((link): LinkedItem[] => {
    const event = byLink.get(link.id);
    if (!event?.linked) return [];
    const row = event.latest;
    const item = row.item as ZaakItem;
    const { partyVotes, ignored, unmatched } = partyVotesOf(item, partyList, mapping);
    return [
      {
        id: link.id,
        goalSlug: link.goalSlug,
        number: link.number,
        kind: row.kind,
        title: row.title,
        subject: row.subject,
        effect: row.effect,
        item,
        importedAt: row.importedAt,
        partyVotes,
        ignored,
        unmatched,
      },
    ];
  });
  const byGoal = Map.groupBy(items, (i) => i.goalSlug);
  const unlinks = events.flatMap((e) => (e.unlinkedAt && !e.linked ? [e.unlinkedAt.getTime()] : []));
  return {
    items,
    unlinkedAt: unlinks.length > 0 ? new Date(Math.max(...unlinks)) : null,
    mappedAt,
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

/** The link of a Zaak to a goal, locked for this transaction, with its latest import and unlink; null when never linked. */
async function lockedLink(tx: Db, campaignId: number, goalSlug: string, number: string) {
  const [link] = await tx
    .select({ id: parliamentItems.id })
    .from(parliamentItems)
    .where(and(eq(parliamentItems.campaignId, campaignId), eq(parliamentItems.goalSlug, goalSlug), eq(parliamentItems.zaakNumber, number)))
    .for('update');
  if (!link) return null;
  const [events] = await latestEvents(tx, campaignId, null, link.id);
  return { id: link.id, latest: events?.latest ?? null, unlinkedAt: events?.unlinkedAt ?? null, linked: events?.linked ?? false };
}

/**
 * Links a Zaak to a goal, or adds a new import to its link (its decision and votes as the
 * Kamer now records them, and the effect given); an unlinked item is linked again. Earlier
 * imports stay as they were published. Audited as parliament.item-linked. The match tells
 * which fractions still need a mapping.
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
    // Two imports of a new link at once: the second waits for the first's row, then adds to it.
    await tx
      .insert(parliamentItems)
      .values({ campaignId, goalSlug: goal.slug, zaakNumber: item.number, createdAt: now, byUserId: actor.userId })
      .onConflictDoNothing({ target: [parliamentItems.campaignId, parliamentItems.goalSlug, parliamentItems.zaakNumber] });
    const link = (await lockedLink(tx, campaignId, goal.slug, item.number))!;
    const before = link.latest;
    // A refresh of the votes never turns an item that undermines the goal into one that advances it.
    const effect: ItemEffect = asked ?? before?.effect ?? 'advances';
    const at = nextMoment(now, before?.importedAt, link.unlinkedAt);
    await tx.insert(parliamentItemImports).values({
      campaignId,
      itemId: link.id,
      zaakId: item.id,
      kind: item.kind,
      title: item.title ?? item.subject ?? item.number,
      subject: item.subject,
      effect,
      item,
      importedAt: at,
      byUserId: actor.userId,
    });
    await recordAudit(tx, {
      action: 'parliament.item-linked',
      actor,
      subject: item.number,
      ip,
      now: at,
      details: {
        goal: goal.slug,
        effect,
        effectBefore: link.linked ? (before?.effect ?? null) : null,
        created: !link.linked,
        decision: item.decision?.text ?? null,
      },
    });
    const match = matchFractions(
      item.votes.map((v) => v.fraction),
      await listAllParties(tx, campaignId),
      await loadFractionMapping(tx, campaignId),
    );
    return { status: 'done', created: !link.linked, id: link.id, effect, match } as const;
  });
}

/** The longest reason for an unlink (the table's check says the same). */
export const UNLINK_REASON_MAX = 300;

export type UnlinkResult = { status: 'done'; id: number } | CampaignGate | { status: 'not-linked' } | { status: 'bad-reason' };

/**
 * Takes a wrongly linked item off its goal, with a short reason (shown on the item's public page and in the audit log; free text's
 * rule, domain/text.ts, also for the command line's --reason): current views no
 * longer show it, views of earlier moments still do, and a later import links it again.
 * Audited as parliament.item-unlinked.
 */
export async function unlinkItem(
  db: Db,
  campaignId: number,
  { goalSlug, number, reason }: { goalSlug: string; number: string; reason: string },
  { actor, ip, now = new Date() }: WriteOptions,
): Promise<UnlinkResult> {
  if (!mayLink(actor)) return { status: 'forbidden' };
  const why = reason.trim();
  if (why === '' || why.length > UNLINK_REASON_MAX || hasForbiddenCharacters(why)) return { status: 'bad-reason' };
  return db.transaction(async (tx) => {
    const campaign = await openCampaign(tx, campaignId);
    if ('status' in campaign) return campaign;
    const link = await lockedLink(tx, campaignId, goalSlug, number.trim().toUpperCase());
    if (!link?.linked) return { status: 'not-linked' } as const;
    const at = nextMoment(now, link.latest?.importedAt, link.unlinkedAt);
    await tx.insert(parliamentItemUnlinks).values({ campaignId, itemId: link.id, reason: why, unlinkedAt: at, byUserId: actor.userId });
    await recordAudit(tx, {
      action: 'parliament.item-unlinked',
      actor,
      subject: number.trim().toUpperCase(),
      ip,
      now: at,
      details: { goal: goalSlug, reason: why },
    });
    return { status: 'done', id: link.id } as const;
  });
}

export type FractionMappingResult = { status: 'done' } | CampaignGate | { status: 'unknown-party' } | { status: 'bad-fraction' };

/**
 * Says which of the campaign's parties a fraction is (partySlug), or that it is none of them
 * (null). Setting it again adds a new mapping from now on; views of earlier moments keep the
 * one they had. Audited as parliament.fraction-mapped.
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
    await tx.insert(fractionMappings).values({ campaignId, fraction: name, partyId, setAt: now, byUserId: actor.userId });
    await recordAudit(tx, { action: 'parliament.fraction-mapped', actor, subject: name, ip, now, details: { party: partySlug } });
    return { status: 'done' } as const;
  });
}

/** One import or unlink of a link, as the public record shows it (listItemHistory). */
export type ItemHistoryEntry =
  | {
      kind: 'import';
      number: string;
      goalSlug: string;
      at: Date;
      effect: ItemEffect;
      /** Whether the effect differs from the link's previous import (false for its first). */
      effectChanged: boolean;
      /** The Kamer's decision text as imported; null when there was none yet. */
      decision: string | null;
    }
  | { kind: 'unlink'; number: string; goalSlug: string; at: Date; reason: string };

/**
 * Every import and unlink of the campaign's links (by `at`, when given), newest first: a
 * re-import that corrects votes or flips the effect, and an unlink with its reason, change
 * the views and counts, so the public sees each of them.
 */
export async function listItemHistory(db: Db, campaignId: number, at: Date | null = null): Promise<ItemHistoryEntry[]> {
  const [imports, unlinks] = await Promise.all([
    db
      .select({
        itemId: parliamentItemImports.itemId,
        number: parliamentItems.zaakNumber,
        goalSlug: parliamentItems.goalSlug,
        at: parliamentItemImports.importedAt,
        effect: parliamentItemImports.effect,
        item: parliamentItemImports.item,
      })
      .from(parliamentItemImports)
      .innerJoin(parliamentItems, eq(parliamentItems.id, parliamentItemImports.itemId))
      .where(and(eq(parliamentItemImports.campaignId, campaignId), at ? lte(parliamentItemImports.importedAt, at) : undefined))
      .orderBy(asc(parliamentItemImports.itemId), asc(parliamentItemImports.importedAt), asc(parliamentItemImports.id)),
    db
      .select({
        number: parliamentItems.zaakNumber,
        goalSlug: parliamentItems.goalSlug,
        at: parliamentItemUnlinks.unlinkedAt,
        reason: parliamentItemUnlinks.reason,
      })
      .from(parliamentItemUnlinks)
      .innerJoin(parliamentItems, eq(parliamentItems.id, parliamentItemUnlinks.itemId))
      .where(and(eq(parliamentItemUnlinks.campaignId, campaignId), at ? lte(parliamentItemUnlinks.unlinkedAt, at) : undefined)),
  ]);
  const entries: ItemHistoryEntry[] = imports.map((row, i) => {
    const previous = imports[i - 1];
    return {
      kind: 'import',
      number: row.number,
      goalSlug: row.goalSlug,
      at: row.at,
      effect: row.effect,
      effectChanged: previous?.itemId === row.itemId && previous.effect !== row.effect,
      decision: (row.item as ZaakItem).decision?.text ?? null,
    };
  });
  for (const row of unlinks) entries.push({ kind: 'unlink', ...row });
  // Newest first; one link's events are strictly ordered in time (nextMoment).
  return entries.sort((a, b) => b.at.getTime() - a.at.getTime() || a.number.localeCompare(b.number) || a.goalSlug.localeCompare(b.goalSlug));
}
