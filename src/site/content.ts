/**
 * The campaign a page is for (the middleware put it in `locals`: the one its address names,
 * else the current one), and the site's text pages from Astro's content collections.
 */
import { getEntry } from 'astro:content';
import type { Campaign, Goal, Locale } from '../domain/campaign.ts';

type WithCampaign = { locals: App.Locals };

export function getCampaign({ locals }: WithCampaign): Campaign {
  return locals.campaign.campaign;
}

/** The campaign's goals in one language, in campaign order. */
export function getGoals({ locals }: WithCampaign, locale: Locale): Goal[] {
  return locals.campaign.goals[locale];
}

/** A text page (e.g. "over") in one language. */
export async function getTextPage(locale: Locale, slug: string) {
  return getEntry('pages', `${locale}/${slug}`);
}
