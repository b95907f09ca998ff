/**
 * The campaign's content as pages need it, from Astro's content collections.
 */
import { getCollection, getEntry } from 'astro:content';
import type { Campaign, Goal, Locale } from '../domain/campaign.ts';

export async function getCampaign(): Promise<Campaign> {
  const entry = await getEntry('campaign', 'campaign');
  if (!entry) throw new Error('content/campaign.yaml is missing from the build');
  const { id: _id, ...campaign } = entry.data as Campaign & { id?: string };
  return campaign;
}

export type GoalEntry = Awaited<ReturnType<typeof getCollection<'goals'>>>[number];

/** Goals of one language in campaign order; `entry` is kept for rendering the summary. */
export async function getGoals(locale: Locale): Promise<(Goal & { entry: GoalEntry })[]> {
  const entries = await getCollection('goals', (e) => e.id.startsWith(`${locale}/`));
  return entries.map((entry) => ({ ...entry.data, slug: entry.id.slice(locale.length + 1), locale, entry })).sort((a, b) => a.number - b.number);
}

/** A text page (e.g. "over") in one language. */
export async function getTextPage(locale: Locale, slug: string) {
  return getEntry('pages', `${locale}/${slug}`);
}
