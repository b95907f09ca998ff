/**
 * The follow-up view of a board (issue 15): per party × goal its pledge's stance, the
 * campaign's current follow-up rating with its citation, and the votes summary over the goal's
 * parliamentary items; with the open data made of it (follow-up.json, follow-up.csv).
 *
 * When it is public: while the campaign is in the follow-up state, and after that once
 * archived, when it holds a rating or a linked item (an archived campaign that never had a
 * follow-up has none to show). In any other state the pages, feed, embed and files answer 404:
 * ratings are made only in follow-up, and items linked earlier are shown from then on.
 */
import type { CampaignState, Goal } from './campaign.ts';
import { checkData, type PledgeCheck } from './checks.ts';
import { loadFollowUp, type FollowUp, type FollowUpRating } from './follow-up.ts';
import { listItemHistory, loadItems, type ItemHistoryEntry, type ItemsView, type LinkedItem, type VoteSummary } from './parliament/items.ts';
import { inArray } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { followUpRatings, parliamentItems } from '../db/schema.ts';
import type { Party } from './parties.ts';
import { CHECK_CSV_FIELDS, checkCsvValues, csvNumber, defuseFormula, writeCsv, type CsvSeparator } from './pledges-csv.ts';
import { loadScoreboard, type GoalRef } from './scoreboard.ts';
import { replyData } from './replies.ts';
import type { BoardStance } from './stances.ts';

interface FollowUpBoardCell {
  goalSlug: string;
  stance: BoardStance;
  /** The campaign's check of the pledge's version shown (checks.ts); null: not yet checked. */
  check: PledgeCheck | null;
  rating: FollowUpRating | null;
  /** Every rating of the cell, newest first. */
  history: FollowUpRating[];
  votes: VoteSummary;
}

interface FollowUpBoardRow {
  party: Party;
  cells: FollowUpBoardCell[];
}

export interface FollowUpBoard<G extends GoalRef = GoalRef> {
  goals: G[];
  rows: FollowUpBoardRow[];
  followUp: FollowUp;
  items: ItemsView;
  /** Every import and unlink of an item (by `at`), newest first: what changed the items shown. */
  itemHistory: ItemHistoryEntry[];
  /** Whether the public may see it (see the file's comment). */
  visible: boolean;
  /** The latest change the view shows: a rating, import, unlink or fraction mapping, or the board's (pledges, checks, replies); null when there is none. */
  updatedAt: Date | null;
}

/** The rule of the file's comment. */
function followUpVisible(state: CampaignState, hasData: boolean): boolean {
  return state === 'follow-up' || (state === 'archived' && hasData);
}

/**
 * Which of these campaigns show a follow-up (the rule of the file's comment), by id: the
 * campaigns list names their follow-up files. One query for the archived ones' data. Caching:
 * an archived campaign's data no longer changes, so the answer moves only with a campaign's
 * state (a change every campaign shows).
 */
export async function campaignsWithFollowUp(db: Db, campaignList: readonly { id: number; state: CampaignState }[]): Promise<Set<number>> {
  const archived = campaignList.filter((c) => c.state === 'archived').map((c) => c.id);
  const withData = new Set<number>();
  if (archived.length > 0) {
    const rows = await db
      .selectDistinct({ id: followUpRatings.campaignId })
      .from(followUpRatings)
      .where(inArray(followUpRatings.campaignId, archived))
      .union(db.selectDistinct({ id: parliamentItems.campaignId }).from(parliamentItems).where(inArray(parliamentItems.campaignId, archived)));
    for (const row of rows) withData.add(row.id);
  }
  return new Set(campaignList.filter((c) => followUpVisible(c.state, withData.has(c.id))).map((c) => c.id));
}

/** The follow-up view as it stands (or stood at `at`). */
export async function loadFollowUpBoard<G extends GoalRef>(
  db: Db,
  campaign: { id: number; state: CampaignState },
  goals: readonly G[],
  at: Date | null = null,
): Promise<FollowUpBoard<G>> {
  const [board, followUp, items, itemHistory] = await Promise.all([
    // With the pledges' checks: "checked by the campaign" goes with the stance here too.
    loadScoreboard(db, campaign.id, goals, at),
    loadFollowUp(db, campaign.id, at),
    loadItems(db, campaign.id, at),
    listItemHistory(db, campaign.id, at),
  ]);
  const rows = board.rows.map((row) => ({
    party: row.party,
    cells: row.cells.map((cell) => {
      const { current, history } = followUp.cellOf(row.party.slug, cell.goalSlug);
      return {
        goalSlug: cell.goalSlug,
        stance: cell.stance,
        check: cell.check,
        rating: current,
        history,
        votes: items.summaryOf(row.party.slug, cell.goalSlug),
      };
    }),
  }));
  const moments = [
    ...followUp.ratings.map((r) => r.ratedAt.getTime()),
    ...items.items.map((i) => i.importedAt.getTime()),
    ...(items.unlinkedAt ? [items.unlinkedAt.getTime()] : []),
  ];
  // What the view shows changed then too: a pledge, its check or a reply (the board's own time), a fraction's mapping.
  const changes = [...moments, ...[board.updatedAt, items.mappedAt].flatMap((d) => (d ? [d.getTime()] : []))];
  return {
    goals: [...goals],
    rows,
    followUp,
    items,
    itemHistory,
    visible: followUpVisible(campaign.state, moments.length > 0),
    updatedAt: changes.length > 0 ? new Date(Math.max(...changes)) : null,
  };
}

/** One linked item as the open data gives it (also the item page's facts). */
function itemJson(item: LinkedItem) {
  const matched = new Set(item.partyVotes.map((v) => v.fraction));
  return {
    number: item.number,
    zaakId: item.item.id,
    kind: item.kind,
    title: item.title,
    subject: item.subject,
    goal: item.goalSlug,
    effect: item.effect,
    decision: item.item.decision
      ? {
          kind: item.item.decision.kind,
          text: item.item.decision.text,
          status: item.item.decision.status,
          votingKind: item.item.decision.votingKind,
          date: item.item.decision.date,
        }
      : null,
    sourceUrl: item.item.sourceUrl,
    importedAt: item.importedAt.toISOString(),
    votes: item.partyVotes.map((v) => ({ party: v.partySlug, fraction: v.fraction, vote: v.vote, mistake: v.mistake })),
    otherFractions: item.item.votes.filter((v) => !matched.has(v.fraction)).map((v) => ({ fraction: v.fraction, vote: v.vote })),
  };
}

/** One import or unlink of an item as the open data gives it (OpenAPI: FollowUpItemEvent). */
function itemHistoryJson(entry: ItemHistoryEntry) {
  const isImport = entry.kind === 'import';
  return {
    kind: entry.kind,
    number: entry.number,
    goal: entry.goalSlug,
    at: entry.at.toISOString(),
    effect: isImport ? entry.effect : null,
    effectChanged: isImport ? entry.effectChanged : null,
    decision: isImport ? entry.decision : null,
    reason: isImport ? null : entry.reason,
  };
}

function ratingJson(rating: FollowUpRating) {
  return {
    party: rating.partySlug,
    goal: rating.goalSlug,
    status: rating.status,
    brokenReason: rating.brokenReason,
    citationUrl: rating.citationUrl,
    explanation: rating.explanation,
    ratedAt: rating.ratedAt.toISOString(),
    // The same shape as a check's reply (scoreboard.json, OpenAPI: Check.reply).
    reply: replyData(rating.reply),
  };
}

/** follow-up.json (see OpenAPI: FollowUp). */
export function toFollowUpJsonV1(
  board: FollowUpBoard<Pick<Goal, 'slug' | 'number' | 'title'>>,
  campaign: { slug: string; state: CampaignState },
  at: Date | null,
) {
  return {
    campaign: { slug: campaign.slug, state: campaign.state },
    at: at?.toISOString() ?? null,
    updatedAt: board.updatedAt?.toISOString() ?? null,
    goals: board.goals.map((g) => ({ slug: g.slug, number: g.number, title: g.title })),
    items: board.items.items.map(itemJson),
    // Added in 1.8.
    itemHistory: board.itemHistory.map(itemHistoryJson),
    ratings: board.followUp.ratings.map(ratingJson),
    parties: board.rows.map((row) => ({
      slug: row.party.slug,
      name: row.party.name,
      goals: Object.fromEntries(
        row.cells.map((cell) => [
          cell.goalSlug,
          {
            stance: cell.stance,
            // Added in 1.8, the same object as scoreboard.json's (OpenAPI: Check).
            check: checkData(cell.check),
            followUp: cell.rating ? ratingJson(cell.rating) : null,
            votes: { inLine: cell.votes.inLine, counted: cell.votes.counted },
          },
        ]),
      ),
    })),
  };
}

export const FOLLOW_UP_CSV_COLUMNS = [
  'party_slug',
  'party_name',
  'goal_number',
  'goal_slug',
  'goal_title',
  'stance',
  'follow_up_status',
  'broken_reason',
  'citation_url',
  'explanation',
  'rated_at',
  'votes_in_line',
  'votes_counted',
  // The party's latest reply to the current rating (empty when the campaign hid it) ...
  'follow_up_reply',
  // ... and, added in 1.8, the campaign's public reason when it did.
  'follow_up_reply_hidden_reason',
  // Added in 1.8: the campaign's check of the pledge (as in pledges.csv).
  ...CHECK_CSV_FIELDS,
] as const;

/** follow-up.csv: one row per party × goal (the dialects of pledges-csv.ts); not yet rated is an empty status. */
export function toFollowUpCsv(board: FollowUpBoard<Pick<Goal, 'slug' | 'number' | 'title'>>, separator: CsvSeparator = 'comma'): string {
  const records = board.rows.flatMap((row) =>
    row.cells.map((cell, i) => {
      const goal = board.goals[i]!;
      const r = cell.rating;
      return [
        row.party.slug,
        defuseFormula(row.party.name),
        csvNumber(goal.number, separator),
        goal.slug,
        defuseFormula(goal.title),
        cell.stance,
        r?.status ?? '',
        r?.brokenReason ?? '',
        r?.citationUrl ?? '',
        defuseFormula(r?.explanation ?? ''),
        r?.ratedAt.toISOString() ?? '',
        csvNumber(cell.votes.inLine, separator),
        csvNumber(cell.votes.counted, separator),
        defuseFormula(r?.reply?.text ?? ''),
        defuseFormula(r?.reply?.hiddenReason ?? ''),
        ...checkCsvValues(cell.check, separator),
      ];
    }),
  );
  return writeCsv(FOLLOW_UP_CSV_COLUMNS, records, separator);
}
