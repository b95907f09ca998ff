/**
 * GET /api/v1/campaigns.json: every published campaign (a draft is for admins only), newest
 * first, with the addresses of its own pages and files. A campaign's files are the same as the
 * current campaign's at /api/v1/…, under /api/v1/campaigns/<slug>/….
 */
import { isPublished, type Campaign, type Locale } from '../domain/campaign.ts';
import { campaignApiPath, pathTo } from '../i18n/routes.ts';

export interface CampaignJsonV1 {
  slug: string;
  name: string;
  state: Campaign['state'];
  current: boolean;
  election: { name: string; date: string | null };
  links: {
    page: string;
    scoreboard: string;
    events: string;
    pledgesCsv: string;
    pledgesWideCsv: string;
    candidates: string;
    candidatesCsv: string;
    feed: string;
    /** Added in 1.8, only for a campaign that shows a follow-up (follow-up-board.ts). */
    followUp?: string;
    followUpCsv?: string;
    followUpFeed?: string;
  };
}

export function toCampaignsJsonV1(
  campaigns: readonly Campaign[],
  lang: Locale,
  siteUrl: string,
  /** The ids of the campaigns that show a follow-up (campaignsWithFollowUp). */
  withFollowUp: ReadonlySet<number> = new Set(),
): { campaigns: CampaignJsonV1[] } {
  const query = lang === 'nl' ? '' : `?lang=${lang}`;
  return {
    campaigns: campaigns.filter(isPublished).map((campaign) => ({
      slug: campaign.slug,
      name: campaign.name[lang],
      state: campaign.state,
      current: campaign.current,
      election: {
        name: campaign.election.name[lang],
        date: campaign.election.date ? campaign.election.date.toISOString().slice(0, 10) : null,
      },
      links: {
        page: siteUrl + pathTo('scoreboard', lang, {}, campaign.slug),
        scoreboard: siteUrl + campaignApiPath(campaign.slug, 'scoreboard.json') + query,
        events: siteUrl + campaignApiPath(campaign.slug, 'events.json'),
        pledgesCsv: siteUrl + campaignApiPath(campaign.slug, 'pledges.csv') + query,
        pledgesWideCsv: siteUrl + campaignApiPath(campaign.slug, 'pledges-wide.csv'),
        candidates: siteUrl + campaignApiPath(campaign.slug, 'candidates.json'),
        candidatesCsv: siteUrl + campaignApiPath(campaign.slug, 'candidates.csv'),
        feed: siteUrl + pathTo('feed', lang, {}, campaign.slug),
        ...(withFollowUp.has(campaign.id)
          ? {
              followUp: siteUrl + campaignApiPath(campaign.slug, 'follow-up.json') + query,
              followUpCsv: siteUrl + campaignApiPath(campaign.slug, 'follow-up.csv') + query,
              followUpFeed: siteUrl + pathTo('followUpFeed', lang, {}, campaign.slug),
            }
          : {}),
      },
    })),
  };
}
