/**
 * The campaign desk's status board (Beheer's first page): per active party whether it was
 * asked (when, by whom), the reminders it got, its representatives with an account, how many
 * goals it answered, its last change, and what to do next. Sorted by a column, and exported
 * as CSV with counts, never addresses. The public part of it (asked, reminded, answered) is
 * outreach.ts, so the desk and the public record can never disagree.
 */
import { stringify } from 'csv-stringify/sync';
import { and, count, eq, inArray, isNull, max, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { accountLinks, pledges, users } from '../db/schema.ts';
import { goalsAnsweredOf, loadAnswers } from './answers.ts';
import { loadFirstAsks, loadOutreach, outreachOf, type Outreach } from './outreach.ts';
import { listActiveParties, type Party } from './parties.ts';
import { defuseFormula } from './pledges-csv.ts';

/**
 * What the campaign should do for a party, most urgent first: invite someone (nobody was
 * invited, or every invitation was revoked), send an expired invitation again, wait for an
 * open invitation to be accepted, remind the representatives, or nothing (every goal answered).
 */
const NEXT_ACTIONS = ['invite', 'resend', 'await', 'remind', 'complete'] as const;
export type NextAction = (typeof NEXT_ACTIONS)[number];

export interface PartyStatus {
  party: Pick<Party, 'id' | 'slug' | 'name' | 'abbreviation'>;
  /**
   * The public record, except firstAskedAt, which is `firstAsk.at`: the board shows the date
   * and the person of one and the same invitation.
   */
  outreach: Outreach;
  /**
   * The first invitation that went out (outreach.ts's loadFirstAsks: its `at` is the public
   * record's firstAskedAt) and who made it: an admin's display name; null for the command line,
   * the system, or a mail that carries no invitation link. Null when never asked.
   */
  firstAsk: { at: Date; by: string | null } | null;
  /** Representatives with an account that works (not disabled). */
  representatives: number;
  /** Invitations not used nor revoked, still valid. */
  openInvites: number;
  /** Invitations not used nor revoked whose week ran out. */
  expiredInvites: number;
  /** Goals the party itself answered (answers.ts: its representative's pledge, corrected since or not). */
  goalsAnswered: number;
  goalsTotal: number;
  /** The party's latest pledge change; null before its first. */
  lastChangeAt: Date | null;
  next: NextAction;
}

export function nextActionOf(status: Pick<PartyStatus, 'representatives' | 'openInvites' | 'expiredInvites' | 'goalsAnswered' | 'goalsTotal'>): NextAction {
  if (status.goalsTotal > 0 && status.goalsAnswered >= status.goalsTotal) return 'complete';
  if (status.representatives > 0) return 'remind';
  if (status.openInvites > 0) return 'await';
  if (status.expiredInvites > 0) return 'resend';
  return 'invite';
}

/** Every active party's status, in a handful of grouped queries (not one per party). */
export async function loadStatusBoard(db: Db, campaignId: number, goalSlugs: readonly string[], now = new Date()): Promise<PartyStatus[]> {
  const [activeParties, outreach, firstAsks, reps, invites, answered, changed] = await Promise.all([
    listActiveParties(db, campaignId),
    loadOutreach(db, campaignId),
    loadFirstAsks(db, campaignId),
    db
      .select({ partyId: users.partyId, n: count() })
      .from(users)
      .where(and(eq(users.role, 'rep'), isNull(users.disabledAt)))
      .groupBy(users.partyId),
    db
      .select({
        partyId: accountLinks.partyId,
        open: sql<number>`count(*) filter (where ${accountLinks.expiresAt} > ${now.toISOString()}::timestamptz)`.mapWith(Number),
        expired: sql<number>`count(*) filter (where ${accountLinks.expiresAt} <= ${now.toISOString()}::timestamptz)`.mapWith(Number),
      })
      .from(accountLinks)
      .where(
        and(
          eq(accountLinks.purpose, 'invite'),
          eq(accountLinks.campaignId, campaignId),
          isNull(accountLinks.candidateId),
          isNull(accountLinks.usedAt),
          isNull(accountLinks.revokedAt),
        ),
      )
      .groupBy(accountLinks.partyId),
    loadAnswers(db, campaignId, goalSlugs),
    goalSlugs.length === 0
      ? Promise.resolve([])
      : db
          .select({ partyId: pledges.partyId, last: max(pledges.updatedAt) })
          .from(pledges)
          .where(and(eq(pledges.campaignId, campaignId), inArray(pledges.goalSlug, [...goalSlugs])))
          .groupBy(pledges.partyId),
  ]);
  // Who made each first invitation: the link of the very row whose moment is shown.
  const linkIds = [...firstAsks.values()].flatMap((ask) => (ask.accountLinkId === null ? [] : [ask.accountLinkId]));
  const makers =
    linkIds.length === 0
      ? []
      : await db
          .select({ linkId: accountLinks.id, name: users.displayName })
          .from(accountLinks)
          .leftJoin(users, eq(users.id, accountLinks.createdByUserId))
          .where(inArray(accountLinks.id, linkIds));
  const makerOf = new Map(makers.map((m) => [m.linkId, m.name]));
  const repCount = new Map(reps.map((r) => [r.partyId, r.n]));
  const inviteCount = new Map(invites.map((i) => [i.partyId, i]));
  const lastChange = new Map(changed.map((c) => [c.partyId, c.last]));
  return activeParties.map((party) => {
    const invite = inviteCount.get(party.id);
    const ask = firstAsks.get(party.id);
    const facts = {
      representatives: repCount.get(party.id) ?? 0,
      openInvites: invite?.open ?? 0,
      expiredInvites: invite?.expired ?? 0,
      goalsAnswered: goalsAnsweredOf(answered, party.id),
      goalsTotal: goalSlugs.length,
    };
    return {
      party: { id: party.id, slug: party.slug, name: party.name, abbreviation: party.abbreviation },
      outreach: { ...outreachOf(outreach, party.id), firstAskedAt: ask?.at ?? null },
      firstAsk: ask ? { at: ask.at, by: ask.accountLinkId === null ? null : (makerOf.get(ask.accountLinkId) ?? null) } : null,
      ...facts,
      lastChangeAt: lastChange.get(party.id) ?? null,
      next: nextActionOf(facts),
    };
  });
}

export const STATUS_SORTS = ['next', 'party', 'asked', 'reminders', 'representatives', 'answered', 'changed'] as const;
export type StatusSort = (typeof STATUS_SORTS)[number];
export type SortDirection = 'asc' | 'desc';

const time = (date: Date | null) => date?.getTime() ?? null;

/** The value a column sorts by; null (never asked, never changed) sorts last either way. */
function sortValue(status: PartyStatus, sort: StatusSort): number | null {
  switch (sort) {
    case 'next':
      return NEXT_ACTIONS.indexOf(status.next);
    case 'asked':
      return time(status.firstAsk?.at ?? null);
    case 'reminders':
      return status.outreach.reminders;
    case 'representatives':
      return status.representatives;
    case 'answered':
      return status.goalsAnswered;
    case 'changed':
      return time(status.lastChangeAt);
    case 'party':
      return 0;
  }
}

/** Sorted by a column, then by name (a collator of the page's language) so equal rows keep one order. */
export function sortStatusBoard(rows: readonly PartyStatus[], sort: StatusSort, direction: SortDirection, collator: Intl.Collator): PartyStatus[] {
  const sign = direction === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    if (sort !== 'party') {
      const [x, y] = [sortValue(a, sort), sortValue(b, sort)];
      if (x !== y) {
        if (x === null) return 1;
        if (y === null) return -1;
        return sign * (x - y);
      }
      return collator.compare(a.party.name, b.party.name);
    }
    return sign * collator.compare(a.party.name, b.party.name);
  });
}

export const STATUS_CSV_COLUMNS = [
  'party_slug',
  'party_name',
  'first_asked_at',
  'first_asked_by',
  'reminders',
  'last_reminded_at',
  'representatives',
  'open_invitations',
  'expired_invitations',
  'goals_answered',
  'goals_total',
  'first_answered_at',
  'last_change_at',
  'next_action',
] as const;

/**
 * The status board as a spreadsheet (admins only): counts and moments, in language-neutral
 * codes, RFC 4180 with a byte-order mark like the other CSV files. No addresses: who to write
 * to is in Beheer → Invitations and Accounts. Names are text others typed: formula-guarded.
 */
export function toStatusCsv(rows: readonly PartyStatus[]): string {
  const iso = (date: Date | null) => date?.toISOString() ?? '';
  const records = rows.map((row) => [
    row.party.slug,
    defuseFormula(row.party.name),
    iso(row.firstAsk?.at ?? null),
    row.firstAsk ? defuseFormula(row.firstAsk.by ?? 'cli') : '',
    String(row.outreach.reminders),
    iso(row.outreach.lastRemindedAt),
    String(row.representatives),
    String(row.openInvites),
    String(row.expiredInvites),
    String(row.goalsAnswered),
    String(row.goalsTotal),
    iso(row.outreach.firstAnsweredAt),
    iso(row.lastChangeAt),
    row.next,
  ]);
  return stringify(records, { header: true, columns: [...STATUS_CSV_COLUMNS], bom: true, record_delimiter: 'windows' });
}
