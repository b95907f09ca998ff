/**
 * The scoreboard: every active party × every campaign goal, with a stance in each cell
 * ("none" where the party has said nothing), counts per goal and per party, and when the
 * board last changed. `buildScoreboard` is the pure rule; `loadScoreboard` feeds it from the db.
 */
import { and, asc, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { campaignParties, followUpRatings, parties, partyReplies, pledgeChecks, pledges, replyModerations, statementModerations } from '../db/schema.ts';
import { isAnswerBy } from './answers.ts';
import { checksOf, type PledgeCheck } from './checks.ts';
import { partiesAsOf, pledgesAsOf } from './as-of.ts';
import { hiddenStatements, versionKey } from './moderation.ts';
import { GOAL_SLUG } from './campaign.ts';
import { findActivePartyBySlug, partyColumns, type Party } from './parties.ts';
import { campaignCorrectionOf, isCampaignCorrection, type CampaignCorrection } from './corrections.ts';
import type { Pledge } from './pledges.ts';
import type { BoardStance } from './stances.ts';

export type StanceCounts = Record<BoardStance, number>;

export interface GoalRef {
  slug: string;
  number: number;
}

/** What the scoreboard table shows of a cell: the party's stance on the goal. */
interface StanceCell {
  goalSlug: string;
  stance: BoardStance;
  /** The version shown is an admin's correction, not the party's own save (corrections.ts). */
  corrected: boolean;
  /** The version shown is the party's own answer (answers.ts: saved by its representative). */
  byParty: boolean;
  /** The campaign's verdict on the version shown (checks.ts); null: not yet checked. */
  checked: 'verified' | 'disputed' | null;
}

export interface BoardCell extends StanceCell {
  /** null when the party has not responded on this goal. */
  pledge: Pledge | null;
  /** Set when the campaign hid this statement: the public reason, shown in its place. */
  hiddenReason: string | null;
  /** When and why the campaign corrected the version shown; null when it is the party's own. */
  correctedByCampaign: CampaignCorrection | null;
  /** The campaign's check of the version shown (checks.ts), with the party's reply; null: not yet checked. */
  check: PledgeCheck | null;
}

/** A party's row as the scoreboard table shows it: stances only. */
export interface StanceRow {
  party: Party;
  cells: StanceCell[];
  counts: StanceCounts;
}

export interface BoardRow extends StanceRow {
  cells: BoardCell[];
}

export interface Scoreboard<G extends GoalRef = GoalRef, R extends StanceRow = BoardRow> {
  goals: G[];
  rows: R[];
  countsByGoal: Record<string, StanceCounts>;
  /** The latest change to a shown party or pledge; null on an empty board. */
  updatedAt: Date | null;
}

/** The board with stances only, what the scoreboard table and its embed show. */
export type StanceBoard<G extends GoalRef = GoalRef> = Scoreboard<G, StanceRow>;

/** Zero of each stance, in BOARD_STANCES order (a literal: a 1,000-party board makes 1,000). */
export function emptyCounts(): StanceCounts {
  return { committed: 0, partial: 0, declined: 0, none: 0 };
}

function latest(a: Date | null, b: Date): Date {
  // Compared as numbers: `>=` on two Dates converts both through Symbol.toPrimitive.
  return a && a.getTime() >= b.getTime() ? a : b;
}

/** What a cell is made from: a party's stance on a goal (a pledge, or less). */
interface StanceSource {
  partyId: number;
  goalSlug: string;
  stance: BoardStance;
}

/**
 * The rule both boards share: a row per party (in the order given), a cell per goal (in
 * campaign order, "none" where the party said nothing), counted per party and per goal.
 */
function assembleBoard<G extends GoalRef, S extends StanceSource, C extends StanceCell>(
  goals: readonly G[],
  boardParties: readonly Party[],
  sources: readonly S[],
  cellOf: (goalSlug: string, stance: BoardStance, source: S | null) => C,
): { goals: G[]; rows: { party: Party; cells: C[]; counts: StanceCounts }[]; countsByGoal: Record<string, StanceCounts> } {
  const orderedGoals = [...goals].sort((a, b) => a.number - b.number);
  // By party, then goal: a 1,000-party board looks up 4,000 cells on every render.
  const byParty = new Map<number, Map<string, S>>();
  for (const source of sources) {
    let ofParty = byParty.get(source.partyId);
    if (!ofParty) byParty.set(source.partyId, (ofParty = new Map<string, S>()));
    ofParty.set(source.goalSlug, source);
  }
  const countsByGoal = Object.fromEntries(orderedGoals.map((g) => [g.slug, emptyCounts()]));
  const rows = boardParties.map((party) => {
    const counts = emptyCounts();
    const ofParty = byParty.get(party.id);
    const cells = orderedGoals.map((goal) => {
      const source = ofParty?.get(goal.slug) ?? null;
      const stance: BoardStance = source?.stance ?? 'none';
      counts[stance]++;
      countsByGoal[goal.slug]![stance]++;
      return cellOf(goal.slug, stance, source);
    });
    return { party, cells, counts };
  });
  return { goals: orderedGoals, rows, countsByGoal };
}

/** Parties keep the order given; goals are shown in campaign order. */
export function buildScoreboard<G extends GoalRef>(
  goals: readonly G[],
  boardParties: readonly Party[],
  boardPledges: readonly Pledge[],
  /** Hidden statement versions (see moderation.ts): version key → reason. */
  hidden: ReadonlyMap<string, string> = new Map(),
  /** The check of each pledge's version shown, by pledge id (checks.ts). */
  checks: ReadonlyMap<number, PledgeCheck> = new Map(),
): Scoreboard<G> {
  let updatedAt: Date | null = null;
  for (const party of boardParties) updatedAt = latest(updatedAt, party.updatedAt);
  const board = assembleBoard(goals, boardParties, boardPledges, (goalSlug, stance, pledge): BoardCell => {
    if (!pledge)
      return { goalSlug, stance, pledge, hiddenReason: null, corrected: false, byParty: false, correctedByCampaign: null, check: null, checked: null };
    updatedAt = latest(updatedAt, pledge.updatedAt);
    const correctedByCampaign = campaignCorrectionOf(pledge);
    return {
      goalSlug,
      stance,
      pledge,
      hiddenReason: hidden.get(versionKey(pledge.id, pledge.version)) ?? null,
      corrected: correctedByCampaign !== null,
      byParty: isAnswerBy(pledge.updatedByRole),
      correctedByCampaign,
      check: checks.get(pledge.id) ?? null,
      checked: checks.get(pledge.id)?.verdict ?? null,
    };
  });
  return { ...board, updatedAt };
}

/**
 * The latest of the campaign's own records shown beside the pledges, as milliseconds (null:
 * none): checks, follow-up ratings, the parties' replies and their moderation. Each moves the
 * board's "last updated" as a pledge change does; with `at`, only those made by then. One
 * scalar subquery, so that the live board stays one round trip.
 */
function recordsChangedAt(campaignId: number, at: Date | null): SQL<string | null> {
  // Written into the query, as in loadStanceBoard (PGlite's parameter round trip).
  if (!Number.isSafeInteger(campaignId)) throw new Error(`not a campaign id: ${campaignId}`);
  const by = (table: SQL, column: SQL) =>
    sql`(select max(${column}) from ${table} where campaign_id = ${sql.raw(String(campaignId))}${at ? sql` and ${column} <= ${at.toISOString()}::timestamptz` : sql``})`;
  return sql<string | null>`floor(extract(epoch from greatest(${by(sql`${pledgeChecks}`, sql`checked_at`)}, ${by(sql`${followUpRatings}`, sql`rated_at`)},
    ${by(sql`${partyReplies}`, sql`replied_at`)}, ${by(sql`${replyModerations}`, sql`at`)})) * 1000)::bigint::text`;
}

function withRecords<B extends { updatedAt: Date | null }>(board: B, recordsMs: string | null | undefined): B {
  if (recordsMs === null || recordsMs === undefined) return board;
  const records = new Date(Number(recordsMs));
  return { ...board, updatedAt: latest(board.updatedAt, records) };
}

/** The board now, or (with `at`) as it was at that moment, rebuilt from the history. */
export async function loadScoreboard<G extends GoalRef>(db: Db, campaignId: number, goals: readonly G[], at: Date | null = null): Promise<Scoreboard<G>> {
  if (!at) return loadLiveScoreboard(db, campaignId, goals);
  const boardParties = await partiesAsOf(db, campaignId, at);
  const boardPledges = await pledgesAsOf(
    db,
    campaignId,
    boardParties.map((p) => p.id),
    goals.map((g) => g.slug),
    at,
  );
  const hidden = await hiddenStatements(
    db,
    boardPledges.map((p) => p.id),
  );
  const [records] = await db.select({ at: recordsChangedAt(campaignId, at) }).from(sql`(select 1) as one`);
  return withRecords(buildScoreboard(goals, boardParties, boardPledges, hidden, await checksOf(db, campaignId, boardPledges, at)), records?.at);
}

/**
 * The live board in one query: a cache miss on election night is one round trip. Parties,
 * their pledges, and the moderation steps of each pledge's current version (usually none).
 */
async function loadLiveScoreboard<G extends GoalRef>(db: Db, campaignId: number, goals: readonly G[]): Promise<Scoreboard<G>> {
  const goalSlugs = goals.map((g) => g.slug);
  const rows = await db
    .select({
      party: partyColumns,
      pledge: pledgeColumns,
      moderation: { id: statementModerations.id, hidden: statementModerations.hidden, reason: statementModerations.reason },
      recordsAt: recordsChangedAt(campaignId, null),
    })
    .from(parties)
    .innerJoin(campaignParties, and(eq(campaignParties.partyId, parties.id), eq(campaignParties.campaignId, campaignId)))
    .leftJoin(
      pledges,
      and(eq(pledges.campaignId, campaignId), eq(pledges.partyId, parties.id), goalSlugs.length > 0 ? inArray(pledges.goalSlug, goalSlugs) : sql`false`),
    )
    .leftJoin(statementModerations, and(eq(statementModerations.pledgeId, pledges.id), eq(statementModerations.version, pledges.version)))
    .where(isNull(campaignParties.retiredAt))
    .orderBy(desc(campaignParties.seats), asc(campaignParties.name), asc(parties.id), asc(statementModerations.id));
  const boardParties = new Map<number, Party>();
  const boardPledges = new Map<number, Pledge>();
  const hidden = new Map<string, string>();
  for (const { party, pledge, moderation } of rows) {
    boardParties.set(party.id, party);
    if (!pledge) continue;
    boardPledges.set(pledge.id, pledge);
    // Later steps decide (rows come in moderation order).
    if (moderation) {
      const key = versionKey(pledge.id, pledge.version);
      if (moderation.hidden) hidden.set(key, moderation.reason);
      else hidden.delete(key);
    }
  }
  const shown = [...boardPledges.values()];
  return withRecords(buildScoreboard(goals, [...boardParties.values()], shown, hidden, await checksOf(db, campaignId, shown)), rows[0]?.recordsAt);
}

/**
 * The board as the scoreboard table shows it: stances, no statements. A cache miss of the
 * scoreboard page waits for this, so the live board comes in one round trip as one row of two
 * values: the parties as JSON, and the stances with the latest pledge change as one string. Row by
 * row, PGlite spent most of a 1,000-party render decoding fields (4,000 pledges as rows took 4 to
 * 8 times as long); building 4,000 small JSON arrays took twice as long as a string, and times as
 * text (rather than milliseconds) a third of the parties' query (measured in issue 12). As of
 * `at`, the board is rebuilt from the history (loadScoreboard).
 */
export async function loadStanceBoard<G extends GoalRef>(db: Db, campaignId: number, goals: readonly G[], at: Date | null = null): Promise<StanceBoard<G>> {
  if (at) return loadScoreboard(db, campaignId, goals, at);
  // The goals' slugs and the campaign's id are written into the query rather than sent as
  // parameters: PGlite's parameter round trip took as long as the rest of the query for a
  // 15-party board. A slug is a-z, 0-9 and hyphens (GOAL_SLUG, checked when the goal is
  // stored; checked again here), an id an integer.
  for (const goal of goals) if (!GOAL_SLUG.test(goal.slug)) throw new Error(`not a goal slug: ${JSON.stringify(goal.slug)}`);
  if (!Number.isSafeInteger(campaignId)) throw new Error(`not a campaign id: ${campaignId}`);
  const campaign = sql.raw(String(campaignId));
  const onGoals = goals.length > 0 ? sql.raw(`x.goal_slug in (${goals.map((g) => `'${g.slug}'`).join(', ')})`) : sql`false`;
  const millis = (column: SQL) => sql`floor(extract(epoch from ${column}) * 1000)::bigint`;
  // Written with table aliases, as drizzle leaves column names inside sql`` unqualified. The
  // stances are "<last change in ms>|party goal stance role check;…": slugs and the three enums
  // hold no space, semicolon or bar. `check` is the latest check's verdict of the version shown,
  // or "-" (pledge_checks_pledge index: one index probe per pledge).
  const [row] = await db
    .select({
      parties: sql<string | null>`json_agg(json_build_array(parties.id, parties.slug, cp.name, cp.abbreviation, cp.seats,
        cp.website, ${millis(sql`parties.created_at`)}, ${millis(sql`cp.updated_at`)}) order by cp.seats desc, cp.name, parties.id)::text`,
      stances: sql<
        string | null
      >`(select ${millis(sql`max(x.updated_at)`)} || '|' || string_agg(x.party_id || ' ' || x.goal_slug || ' ' || x.stance || ' ' || x.updated_by_role || ' ' ||
          coalesce((select c.verdict::text from ${pledgeChecks} as c where c.pledge_id = x.id and c.pledge_version = x.version order by c.id desc limit 1), '-'), ';')
        from ${pledges} as x where x.campaign_id = ${campaign} and ${onGoals}
        and x.party_id = any(array(select active.party_id from ${campaignParties} as active where active.campaign_id = ${campaign} and active.retired_at is null)))`,
      recordsAt: recordsChangedAt(campaignId, null),
    })
    .from(parties)
    .innerJoin(sql`${campaignParties} as cp`, sql`cp.party_id = parties.id and cp.campaign_id = ${campaign}`)
    .where(sql`cp.retired_at is null`);
  const boardParties = (JSON.parse(row?.parties ?? '[]') as [number, string, string, string, number, string | null, number, number][]).map(
    ([id, slug, name, abbreviation, seats, website, createdAt, updatedAt]): Party => ({
      id,
      slug,
      name,
      abbreviation,
      seats,
      website,
      retiredAt: null,
      createdAt: new Date(createdAt),
      updatedAt: new Date(updatedAt),
    }),
  );
  const [stancesUpdatedAt, cells] = row?.stances ? row.stances.split('|') : [null, null];
  const sources = (cells ? cells.split(';') : []).map((stance) => {
    const [partyId, goalSlug, boardStance, updatedByRole, verdict] = stance.split(' ') as [
      string,
      string,
      BoardStance,
      Pledge['updatedByRole'],
      'verified' | 'disputed' | '-',
    ];
    return {
      partyId: Number(partyId),
      goalSlug,
      stance: boardStance,
      corrected: isCampaignCorrection({ updatedByRole }),
      byParty: isAnswerBy(updatedByRole),
      checked: verdict === '-' ? null : verdict,
    };
  });
  let updatedMs = stancesUpdatedAt ? Number(stancesUpdatedAt) : -Infinity;
  for (const party of boardParties) if (party.updatedAt.getTime() > updatedMs) updatedMs = party.updatedAt.getTime();
  if (row?.recordsAt) updatedMs = Math.max(updatedMs, Number(row.recordsAt));
  const updatedAt = updatedMs === -Infinity ? null : new Date(updatedMs);
  const board = assembleBoard(goals, boardParties, sources, (goalSlug, stance, source): StanceCell => ({
    goalSlug,
    stance,
    corrected: source?.corrected ?? false,
    byParty: source?.byParty ?? false,
    checked: source?.checked ?? null,
  }));
  return { ...board, updatedAt };
}

/** One party's row (retired or not), with its hidden statements applied; with `at`, as it was then. */
export async function loadRowFor<G extends GoalRef>(db: Db, campaignId: number, goals: readonly G[], party: Party, at: Date | null = null): Promise<BoardRow> {
  const partyPledges = at
    ? await pledgesAsOf(
        db,
        campaignId,
        [party.id],
        goals.map((g) => g.slug),
        at,
      )
    : await db
        .select()
        .from(pledges)
        .where(and(eq(pledges.campaignId, campaignId), eq(pledges.partyId, party.id)));
  const hidden = await hiddenStatements(
    db,
    partyPledges.map((p) => p.id),
  );
  return buildScoreboard(goals, [party], partyPledges, hidden, await checksOf(db, campaignId, partyPledges, at)).rows[0]!;
}

/** A party's row if it is on the board (now, or at `at`); undefined otherwise. */
export async function loadPartyRow<G extends GoalRef>(
  db: Db,
  campaignId: number,
  goals: readonly G[],
  partySlug: string,
  at: Date | null = null,
): Promise<BoardRow | undefined> {
  const party = at ? (await partiesAsOf(db, campaignId, at)).find((p) => p.slug === partySlug) : await findActivePartyBySlug(db, campaignId, partySlug);
  return party ? loadRowFor(db, campaignId, goals, party, at) : undefined;
}

const pledgeColumns = {
  id: pledges.id,
  campaignId: pledges.campaignId,
  partyId: pledges.partyId,
  goalSlug: pledges.goalSlug,
  stance: pledges.stance,
  statement: pledges.statement,
  evidenceUrl: pledges.evidenceUrl,
  evidencePage: pledges.evidencePage,
  version: pledges.version,
  updatedByName: pledges.updatedByName,
  updatedByRole: pledges.updatedByRole,
  updatedByUserId: pledges.updatedByUserId,
  correctionReason: pledges.correctionReason,
  createdAt: pledges.createdAt,
  updatedAt: pledges.updatedAt,
};
