import type { APIRoute } from 'astro';
import { z } from 'zod';
import { listCheckEvents } from '../../../domain/checks.ts';
import { toEventsPageJsonV1 } from '../../../domain/events-json.ts';
import { listPublicChanges } from '../../../domain/history.ts';
import { listReplyEvents } from '../../../domain/replies.ts';
import { findPartyBySlug, isPartySlug } from '../../../domain/parties.ts';
import { apiError, apiParams, jsonData, preflight } from '../../../site/api.ts';
import { campaignApiPath } from '../../../i18n/routes.ts';
import { getGoals } from '../../../site/content.ts';

/** A cursor: the id of the last entry of a list on the page before. */
const cursor = (message: string) => z.coerce.number({ error: message }).int(message).min(1, message).optional();

const CURSORS = ['before', 'checksBefore', 'repliesBefore'] as const;

const paging = z.object({
  before: cursor('before must be an event id'),
  checksBefore: cursor('checksBefore must be a check id'),
  repliesBefore: cursor('repliesBefore must be a reply id'),
  limit: z.coerce
    .number({ error: 'limit must be a number from 1 to 500' })
    .int('limit must be a number from 1 to 500')
    .min(1, 'limit must be a number from 1 to 500')
    .max(500, 'limit must be a number from 1 to 500')
    .default(100),
  party: z.string().refine(isPartySlug, 'party must be a party slug: lower-case letters, digits and hyphens').optional(),
  goal: z.string().max(100).optional(),
});

/**
 * The public pledge history, newest first; `next` links the following page. Three lists, each
 * at most `limit` long and paged by its own cursor: `events` (before), `checks` (checksBefore)
 * and `replies` (repliesBefore). The first page has no cursor; on a later page a list whose
 * cursor is absent is done (empty). `next` carries the cursor of each list that has more.
 */
export const GET: APIRoute = async ({ locals, url, request }) => {
  const params = apiParams(url);
  if (!params.ok) return params.response;
  const query = paging.safeParse(Object.fromEntries([...url.searchParams].filter(([key]) => [...CURSORS, 'limit', 'party', 'goal'].includes(key))));
  if (!query.success) return apiError(400, query.error.issues[0]!.message);
  const { before, checksBefore, repliesBefore, limit, party: partySlug, goal } = query.data;
  const first = before === undefined && checksBefore === undefined && repliesBefore === undefined;
  const db = locals.app.database.db;
  const party = partySlug ? await findPartyBySlug(db, locals.campaign.campaign.id, partySlug) : undefined;
  if (partySlug && !party) return apiError(404, `no party with slug "${partySlug}"`);
  if (goal && !getGoals({ locals }, 'nl').some((g) => g.slug === goal)) return apiError(404, `no goal with slug "${goal}"`);

  const campaignId = locals.campaign.campaign.id;
  const selection = { at: params.at, partyId: party?.id, goalSlug: goal };
  // One more than a page tells whether a list goes on.
  const [page, checkRows, replyRows] = await Promise.all([
    first || before !== undefined ? listPublicChanges(db, campaignId, { ...selection, before, limit }) : { changes: [], nextBefore: null },
    first || checksBefore !== undefined ? listCheckEvents(db, campaignId, { ...selection, before: checksBefore, limit: limit + 1 }) : [],
    first || repliesBefore !== undefined ? listReplyEvents(db, campaignId, { ...selection, before: repliesBefore, limit: limit + 1 }) : [],
  ]);
  const checks = checkRows.slice(0, limit);
  const replies = replyRows.slice(0, limit);
  const cursors: Record<(typeof CURSORS)[number], number | null> = {
    before: page.nextBefore,
    checksBefore: checkRows.length > limit ? checks.at(-1)!.id : null,
    repliesBefore: replyRows.length > limit ? replies.at(-1)!.id : null,
  };
  let next: string | null = null;
  if (Object.values(cursors).some((c) => c !== null)) {
    // The page's own address: a campaign's (/api/v1/campaigns/<slug>/events.json) pages on in that campaign.
    const nextUrl = new URL(url);
    for (const [name, value] of Object.entries(cursors)) {
      if (value === null) nextUrl.searchParams.delete(name);
      else nextUrl.searchParams.set(name, String(value));
    }
    next = campaignApiPath(locals.campaign.campaign.slug, 'events.json') + nextUrl.search;
  }
  return jsonData(request, toEventsPageJsonV1(page, next, params.at, checks, replies), {
    frozen: params.at !== null,
    headers: next ? { link: `<${next}>; rel="next"` } : {},
  });
};

export const OPTIONS: APIRoute = () => preflight();
