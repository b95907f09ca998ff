import type { APIRoute } from 'astro';
import { z } from 'zod';
import { listAllParties } from '../domain/parties.ts';
import { apiError, jsonData, preflight } from '../site/api.ts';
import { campaignForRequest } from '../site/campaigns.ts';
import { parseAt } from '../domain/as-of.ts';
import { loadPartyRow } from '../domain/scoreboard.ts';
import { loadFollowUpBoard } from '../domain/follow-up-board.ts';
import { translateMessage } from '../i18n/ui.ts';
import { readEmbedOptions } from '../site/embed-options.ts';
import { DEFAULT_EMBED_WIDTH, embedFor, estimateHeight, followUpHeight, iframeHtml, statementLengthsOf } from '../site/oembed.ts';

const query = z.object({
  url: z.url({ error: 'url is required and must be an absolute URL' }),
  format: z.string().optional(),
  maxwidth: z.coerce.number({ error: 'maxwidth must be a whole number' }).int('maxwidth must be a whole number').min(1).optional(),
  maxheight: z.coerce.number({ error: 'maxheight must be a whole number' }).int('maxheight must be a whole number').min(1).optional(),
});

/** oEmbed for any public page or embed of this site (type "rich": an iframe and the loader). */
export const GET: APIRoute = async ({ url, request, locals }) => {
  const parsed = query.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) return apiError(400, parsed.error.issues[0]!.message);
  const { format = 'json', maxwidth, maxheight } = parsed.data;
  // The spec: a format the provider does not offer is 501 Not Implemented.
  if (format !== 'json') return apiError(501, 'only format=json is offered');
  const siteUrl = locals.app.config.publicUrl ?? url.origin;
  const asked = new URL(parsed.data.url);
  if (asked.origin !== new URL(siteUrl).origin) return apiError(404, 'not a page of this site');
  const target = embedFor(asked, locals.campaign.campaign.slug);
  if (!target) return apiError(404, 'no embed for this page');
  const found = await campaignForRequest(locals.app, target.campaign, false);
  if (!found) return apiError(404, 'no campaign with that slug');

  const { campaign } = found;
  const db = locals.app.database.db;
  const goals = found.goals.nl;
  const allParties = await listAllParties(db, campaign.id);
  const activeParties = allParties.filter((p) => p.retiredAt === null);
  // A frozen view may show a party retired since; a live one only the parties on the board.
  const known = new Set((target.at ? allParties : activeParties).map((p) => p.slug));
  const unknownParty = [...(target.kind === 'embedParty' ? [target.slug!] : []), ...(target.parties ?? [])].find((slug) => !known.has(slug));
  if (unknownParty) return apiError(404, `no party "${unknownParty}" on this board`);
  if (target.kind === 'embedGoal' && !goals.some((g) => g.slug === target.slug)) return apiError(404, `no goal "${target.slug}" on this board`);
  // The embed answers 400 to options it cannot use (a bad theme, language or date): no snippet for it.
  const embedQuery = new URL(target.path, siteUrl).searchParams;
  const { problems } = readEmbedOptions(embedQuery, 'en', { goals: goals.map((g) => g.slug), parties: allParties.map((p) => p.slug) });
  if (problems.length > 0) return apiError(400, `the embed refuses this address: ${translateMessage('en', problems[0])}`);
  const parties = target.parties?.length ?? activeParties.length;
  const at = parseAt(target.at);
  if (!at.ok) return apiError(400, translateMessage('en', at.message));
  const partyRow = target.kind === 'embedParty' ? await loadPartyRow(db, campaign.id, goals, target.slug!, at.at) : undefined;
  // The follow-up has an embed only while the campaign shows its follow-up (follow-up-board.ts).
  const followUp = target.kind === 'embedFollowUp' ? await loadFollowUpBoard(db, campaign, goals, at.at) : undefined;
  if (followUp && !followUp.visible) return apiError(404, 'this campaign has no follow-up to show (yet)');
  // An unlinked item keeps its page (with the unlink's notice): only a number never linked (by `at`) is a 404 there.
  if (followUp && target.item !== undefined && !followUp.itemHistory.some((e) => e.number === target.item))
    return apiError(404, `no parliamentary item "${target.item}" linked on this board`);
  const width = Math.min(maxwidth ?? DEFAULT_EMBED_WIDTH, DEFAULT_EMBED_WIDTH);
  const narrowed = embedQuery.get('goals')?.split(',');
  const estimated = followUp
    ? followUpHeight(followUp, { goals: narrowed, parties: target.parties })
    : estimateHeight(target.kind, parties, partyRow ? statementLengthsOf(partyRow) : []);
  const height = Math.min(maxheight ?? Number.POSITIVE_INFINITY, estimated);
  const locale = asked.pathname.startsWith('/en') ? 'en' : 'nl';
  const title = followUp ? `${translateMessage(locale, 'followUp.embed')}: ${campaign.name[locale]}` : campaign.name[locale];
  return jsonData(request, {
    version: '1.0',
    type: 'rich',
    title,
    provider_name: campaign.organiser.name,
    provider_url: siteUrl,
    width,
    height,
    cache_age: 3600,
    html: iframeHtml({ src: siteUrl + target.path, title, width, height, loaderSrc: `${siteUrl}/embed.js` }),
  });
};

export const OPTIONS: APIRoute = () => preflight();
