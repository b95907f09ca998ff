import type { APIRoute } from 'astro';
import { z } from 'zod';
import { listCheckEvents } from '../../../domain/checks.ts';
import { toEventsPageJsonV1 } from '../../../domain/events-json.ts';
import { listPublicChanges } from '../../../domain/history.ts';
import { findPartyBySlug, isPartySlug } from '../../../domain/parties.ts';
import { apiError, apiParams, jsonData, preflight } from '../../../site/api.ts';
import { campaignApiPath } from '../../../i18n/routes.ts';
import { getGoals } from '../../../site/content.ts';

const paging = z.object({
  before: z.coerce.number({ error: 'before must be an event id' }).int('before must be an event id').min(1, 'before must be an event id').optional(),
  limit: z.coerce
    .number({ error: 'limit must be a number from 1 to 500' })
    .int('limit must be a number from 1 to 500')
    .min(1, 'limit must be a number from 1 to 500')
    .max(500, 'limit must be a number from 1 to 500')
    .default(100),
  party: z.string().refine(isPartySlug, 'party must be a party slug: lower-case letters, digits and hyphens').optional(),
  goal: z.string().max(100).optional(),
});

/** The public pledge history, newest first; `next` links the following page. */
export const GET: APIRoute = async ({ locals, url, request }) => {
  const params = apiParams(url);
  if (!params.ok) return params.response;
  const query = paging.safeParse(Object.fromEntries([...url.searchParams].filter(([key]) => ['before', 'limit', 'party', 'goal'].includes(key))));
  if (!query.success) return apiError(400, query.error.issues[0]!.message);
  const { before, limit, party: partySlug, goal } = query.data;
  const db = locals.app.database.db;
  const party = partySlug ? await findPartyBySlug(db, locals.campaign.campaign.id, partySlug) : undefined;
  if (partySlug && !party) return apiError(404, `no party with slug "${partySlug}"`);
  if (goal && !getGoals({ locals }, 'nl').some((g) => g.slug === goal)) return apiError(404, `no goal with slug "${goal}"`);

  const page = await listPublicChanges(db, locals.campaign.campaign.id, { before, limit, at: params.at, partyId: party?.id, goalSlug: goal });
  let next: string | null = null;
  if (page.nextBefore) {
    // The page's own address: a campaign's (/api/v1/campaigns/<slug>/events.json) pages on in that campaign.
    const nextUrl = new URL(url);
    nextUrl.searchParams.set('before', String(page.nextBefore));
    next = campaignApiPath(locals.campaign.campaign.slug, 'events.json') + nextUrl.search;
  }
  // The checks are few (one per pledge version, at most a handful): all of them, on the first page.
  const checks = before ? [] : await listCheckEvents(db, locals.campaign.campaign.id, { at: params.at, partyId: party?.id, goalSlug: goal });
  return jsonData(request, toEventsPageJsonV1(page, next, params.at, checks), {
    frozen: params.at !== null,
    headers: next ? { link: `<${next}>; rel="next"` } : {},
  });
};

export const OPTIONS: APIRoute = () => preflight();
