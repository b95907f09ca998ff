/**
 * Campaigns in the database: reading them (with their goals) for pages, the API and workers.
 * A site has few campaigns with four-odd goals each, so one read brings them all; callers keep
 * the result for one board version (src/site/campaigns.ts).
 */
import { and, asc, count, eq, isNotNull, isNull, ne } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { campaignGoals, campaigns, candidates } from '../db/schema.ts';
import type { Actor } from './actors.ts';
import { recordAudit } from './audit.ts';
import { campaignProfileSchema, goalTextsByLocaleSchema, LOCALES, type Campaign, type Goal, type Locale } from './campaign.ts';

/** A campaign with its goals in every language, in campaign order. */
export interface CampaignWithGoals {
  campaign: Campaign;
  goals: Record<Locale, Goal[]>;
  /** How many candidates its lists hold (0: the campaign asks parties only). */
  candidates: number;
  /** Where its candidates (not withdrawn) live, sorted: the champions page offers them. */
  places: string[];
}

type CampaignRow = typeof campaigns.$inferSelect;
type GoalRow = typeof campaignGoals.$inferSelect;

/**
 * A campaign row as the app uses it. A row whose profile is not (yet) a whole profile, the
 * first campaign before content/ was imported into it, reads with empty texts rather than
 * failing every page: the import at start fills it.
 */
export function campaignOf(row: CampaignRow): Campaign {
  const parsed = campaignProfileSchema.safeParse(row.profile);
  const empty = { nl: '', en: '' };
  const profile = parsed.success
    ? parsed.data
    : { name: empty, tagline: empty, organiser: { name: '', website: '' }, corrections: '', election: { name: empty }, terminology: empty };
  return {
    ...profile,
    id: row.id,
    slug: row.slug,
    state: row.state,
    current: row.isCurrent,
    election: { name: profile.election.name, date: row.electionDate },
    pledgeDeadline: row.pledgeDeadline,
    pledgingOverride: row.pledgingOverride === 'open' || row.pledgingOverride === 'closed' ? row.pledgingOverride : null,
  };
}

function goalsOf(rows: readonly GoalRow[]): Record<Locale, Goal[]> {
  const byLocale = { nl: [], en: [] } as Record<Locale, Goal[]>;
  for (const row of [...rows].sort((a, b) => a.number - b.number)) {
    const texts = goalTextsByLocaleSchema.parse(row.texts);
    for (const locale of LOCALES) byLocale[locale].push({ ...texts[locale], number: row.number, slug: row.slug, locale });
  }
  return byLocale;
}

/** Every campaign with its goals, newest first (by id). */
export async function loadCampaigns(db: Db): Promise<CampaignWithGoals[]> {
  const [campaignRows, goalRows, candidateCounts, placeRows] = await Promise.all([
    db.select().from(campaigns).orderBy(asc(campaigns.id)),
    db.select().from(campaignGoals).orderBy(asc(campaignGoals.campaignId), asc(campaignGoals.number)),
    db.select({ campaignId: candidates.campaignId, n: count() }).from(candidates).groupBy(candidates.campaignId),
    // Read once per board version (src/site/campaigns.ts), not on every render of the champions.
    db
      .selectDistinct({ campaignId: candidates.campaignId, place: candidates.place })
      .from(candidates)
      .where(and(isNull(candidates.withdrawnAt), isNotNull(candidates.place))),
  ]);
  const candidatesOf = new Map(candidateCounts.map((c) => [c.campaignId, Number(c.n)]));
  const collator = new Intl.Collator('nl', { sensitivity: 'base' });
  const placesOf = (campaignId: number) =>
    placeRows
      .filter((r) => r.campaignId === campaignId)
      .map((r) => r.place!)
      .sort(collator.compare);
  return campaignRows
    .map((row) => ({
      campaign: campaignOf(row),
      goals: goalsOf(goalRows.filter((g) => g.campaignId === row.id)),
      candidates: candidatesOf.get(row.id) ?? 0,
      places: placesOf(row.id),
    }))
    .reverse();
}

/** The campaign the addresses without a campaign show; undefined before any is current. */
export function currentOf(all: readonly CampaignWithGoals[]): CampaignWithGoals | undefined {
  return all.find((c) => c.campaign.current);
}

export function bySlug(all: readonly CampaignWithGoals[], slug: string): CampaignWithGoals | undefined {
  return all.find((c) => c.campaign.slug === slug);
}

export type MakeCurrentResult = 'done' | 'unchanged' | 'unknown-campaign' | 'draft';

/**
 * Makes a campaign the one the addresses without a campaign show (`/`, `/api/v1/scoreboard.json`);
 * the campaign that was current keeps its own addresses, unchanged. A draft cannot be current.
 */
export async function makeCurrent(
  db: Db,
  campaignId: number,
  { actor, ip, now = new Date() }: { actor: Actor; ip?: string | null; now?: Date },
): Promise<MakeCurrentResult> {
  return db.transaction(async (tx) => {
    const [target] = await tx
      .select({ state: campaigns.state, current: campaigns.isCurrent, slug: campaigns.slug })
      .from(campaigns)
      .where(eq(campaigns.id, campaignId))
      .for('update');
    if (!target) return 'unknown-campaign' as const;
    if (target.state === 'draft') return 'draft' as const;
    if (target.current) return 'unchanged' as const;
    // One at a time (campaigns_one_current): the old one first.
    await tx.update(campaigns).set({ isCurrent: false, updatedAt: now }).where(ne(campaigns.id, campaignId));
    await tx.update(campaigns).set({ isCurrent: true, updatedAt: now }).where(eq(campaigns.id, campaignId));
    await recordAudit(tx, { action: 'campaign.made-current', actor, subject: target.slug, ip, now });
    return 'done' as const;
  });
}
