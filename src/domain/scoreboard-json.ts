/**
 * The public JSON contract `GET /api/v1/scoreboard.json` (DESIGN.md). Journalists and other
 * sites depend on its shape: only add fields here; anything breaking goes to a v2.
 */
import type { Campaign, Goal, Locale } from './campaign.ts';
import { checkData, type CheckData } from './checks.ts';
import { outreachOf, type Outreach } from './outreach.ts';
import type { PledgingState } from './pledging-window.ts';
import type { Scoreboard } from './scoreboard.ts';
import type { BoardStance } from './stances.ts';

interface PledgeJsonV1 {
  stance: BoardStance;
  /** null when the party said nothing, or when the campaign hid the statement. */
  statement: string | null;
  evidenceUrl: string | null;
  updatedAt: string | null;
  /** Added in v1.1: why the campaign hid the statement, shown in its place. */
  statementHiddenReason: string | null;
  /** Added in v1.3: set when the stance shown is the campaign's correction, not the party's own save. */
  correctedByCampaign: { at: string; reason: string | null } | null;
  /** Added in v1.7: the campaign's check of the version shown, and the party's reply. */
  check: CheckData;
}

interface OutreachJsonV1 {
  firstAskedAt: string | null;
  reminders: number;
  lastRemindedAt: string | null;
  firstAnsweredAt: string | null;
}

function outreachJson(outreach: Outreach): OutreachJsonV1 {
  return {
    firstAskedAt: outreach.firstAskedAt?.toISOString() ?? null,
    reminders: outreach.reminders,
    lastRemindedAt: outreach.lastRemindedAt?.toISOString() ?? null,
    firstAnsweredAt: outreach.firstAnsweredAt?.toISOString() ?? null,
  };
}

export interface ScoreboardJsonV1 {
  campaign: {
    name: string;
    organiser: string;
    election: { name: string; date: string | null };
    pledgeDeadline: string | null;
    /** Added in v1.2: whether parties can pledge now (the deadline, or an admin's choice). */
    pledgingOpen: boolean;
  };
  goals: { slug: string; number: number; title: string }[];
  parties: {
    slug: string;
    name: string;
    pledges: Record<string, PledgeJsonV1>;
    /** Added in v1.4: when the campaign first asked the party, how often it reminded it, when it first answered. */
    outreach: OutreachJsonV1;
  }[];
  updatedAt: string | null;
  /** Added in v1.1: the moment a frozen view (`?at=`) shows; null for the live board. */
  asOf: string | null;
  /** Added in v1.1: the data's licence. */
  licence: { name: string; url: string };
}

export const DATA_LICENCE = { name: 'CC BY 4.0', url: 'https://creativecommons.org/licenses/by/4.0/' } as const;

/** `pledging` is the state now (loadPledgingState), also in a frozen view: like the deadline it
 *  describes the campaign, not the board at `at`. `outreach` (loadOutreach, as of `at`) per party id. */
export function toScoreboardJsonV1(
  board: Scoreboard<Goal>,
  campaign: Campaign,
  pledging: PledgingState,
  locale: Locale,
  at: Date | null = null,
  outreach: ReadonlyMap<number, Outreach> = new Map(),
): ScoreboardJsonV1 {
  return {
    campaign: {
      name: campaign.name[locale],
      organiser: campaign.organiser.name,
      election: {
        name: campaign.election.name[locale],
        date: campaign.election.date ? campaign.election.date.toISOString().slice(0, 10) : null,
      },
      // The deadline in force: campaign.yaml's, or the one an admin set in Beheer.
      pledgeDeadline: pledging.deadline?.toISOString() ?? null,
      pledgingOpen: pledging.open,
    },
    goals: board.goals.map((g) => ({ slug: g.slug, number: g.number, title: g.title })),
    parties: board.rows.map((row) => ({
      slug: row.party.slug,
      name: row.party.name,
      pledges: Object.fromEntries(
        row.cells.map((cell) => [
          cell.goalSlug,
          {
            stance: cell.stance,
            statement: cell.hiddenReason ? null : (cell.pledge?.statement ?? null),
            evidenceUrl: cell.pledge?.evidenceUrl ?? null,
            updatedAt: cell.pledge?.updatedAt.toISOString() ?? null,
            statementHiddenReason: cell.hiddenReason,
            correctedByCampaign: cell.correctedByCampaign ? { at: cell.correctedByCampaign.at.toISOString(), reason: cell.correctedByCampaign.reason } : null,
            check: checkData(cell.check),
          },
        ]),
      ),
      outreach: outreachJson(outreachOf(outreach, row.party.id)),
    })),
    updatedAt: board.updatedAt?.toISOString() ?? null,
    asOf: at?.toISOString() ?? null,
    licence: { ...DATA_LICENCE },
  };
}
