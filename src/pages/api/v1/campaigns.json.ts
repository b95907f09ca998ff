import type { APIRoute } from 'astro';
import { apiError, jsonData, preflight } from '../../../site/api.ts';
import { campaignDirectory } from '../../../site/campaigns.ts';
import { toCampaignsJsonV1 } from '../../../site/campaigns-json.ts';
import { LOCALES, type Locale } from '../../../domain/campaign.ts';
import { campaignsWithFollowUp } from '../../../domain/follow-up-board.ts';

/** Every published campaign, newest first; names in ?lang= (nl | en). */
export const GET: APIRoute = async ({ locals, url, request }) => {
  const langs = url.searchParams.getAll('lang');
  const lang = langs[0] ?? 'nl';
  if (langs.length > 1 || !(LOCALES as readonly string[]).includes(lang)) return apiError(400, 'lang must be "nl" or "en", given once');
  const siteUrl = locals.app.config.publicUrl ?? url.origin;
  const campaigns = (await campaignDirectory(locals.app)).map((c) => c.campaign);
  const withFollowUp = await campaignsWithFollowUp(locals.app.database.db, campaigns);
  return jsonData(request, toCampaignsJsonV1(campaigns, lang as Locale, siteUrl, withFollowUp));
};

export const OPTIONS: APIRoute = () => preflight();
