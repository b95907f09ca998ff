/**
 * The first campaign comes from content/ (campaign.yaml and goals/): imported once into the
 * campaign the migration made for it (0018), as content/parties.yaml is imported once. After
 * that the campaign is data: edited in Beheer, and content/ is no longer read for it.
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { campaignGoals, campaigns } from '../db/schema.ts';
import type { CampaignDefinition, CampaignProfile, Goal, GoalTexts, Locale } from './campaign.ts';

/** The campaign 0018 made for what an installation held before campaigns were data. */
export const FIRST_CAMPAIGN_ID = 1;

class ContentImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContentImportError';
  }
}

function textsOf(goal: Goal): GoalTexts {
  const { title, shortTitle, measures, manifestoText, summary } = goal;
  return { title, shortTitle, measures, manifestoText, summary };
}

/** Both languages must name the same goals, with the same numbers. */
function pairGoals(goals: Record<Locale, readonly Goal[]>): { slug: string; number: number; texts: Record<Locale, GoalTexts> }[] {
  const en = new Map(goals.en.map((g) => [g.slug, g]));
  if (goals.nl.length === 0) throw new ContentImportError('content/goals/nl has no goals');
  if (goals.nl.length !== goals.en.length || goals.nl.some((g) => !en.has(g.slug))) {
    throw new ContentImportError('content/goals/nl and content/goals/en must have the same goal files');
  }
  return goals.nl.map((nl) => {
    const other = en.get(nl.slug)!;
    if (other.number !== nl.number) throw new ContentImportError(`goal ${nl.slug}: number ${nl.number} in nl but ${other.number} in en`);
    return { slug: nl.slug, number: nl.number, texts: { nl: textsOf(nl), en: textsOf(other) } };
  });
}

/**
 * Fills the first campaign from content/ if that was never done. Returns whether it imported.
 * Safe with several instances starting at once: the row is claimed by the update itself. A
 * deadline an admin set before this migration (moved into the campaign by 0018) is kept.
 */
export async function importContentCampaign(
  db: Db,
  definition: CampaignDefinition,
  goals: Record<Locale, readonly Goal[]>,
  now = new Date(),
): Promise<boolean> {
  const paired = pairGoals(goals);
  const { slug, pledgeDeadline, election, ...texts } = definition;
  const profile: CampaignProfile = { ...texts, election: { name: election.name } };
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select({ pledgeDeadline: campaigns.pledgeDeadline })
      .from(campaigns)
      .where(and(eq(campaigns.id, FIRST_CAMPAIGN_ID), isNull(campaigns.contentImportedAt)))
      .for('update');
    if (!before) return false;
    await tx
      .update(campaigns)
      .set({
        slug,
        profile,
        electionDate: election.date,
        pledgeDeadline: before.pledgeDeadline ?? pledgeDeadline,
        contentImportedAt: now,
        updatedAt: now,
      })
      .where(eq(campaigns.id, FIRST_CAMPAIGN_ID));
    await tx.insert(campaignGoals).values(paired.map((g) => ({ campaignId: FIRST_CAMPAIGN_ID, ...g })));
    return true;
  });
}
