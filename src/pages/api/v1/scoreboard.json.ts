import type { APIRoute } from 'astro';
import { z } from 'zod';
import { LOCALES } from '../../../domain/campaign.ts';
import { loadScoreboard } from '../../../domain/scoreboard.ts';
import { toScoreboardJsonV1 } from '../../../domain/scoreboard-json.ts';
import { getCampaign, getGoals } from '../../../site/content.ts';
import { jsonResponse, problemResponse } from '../../../site/responses.ts';

const query = z.object({ lang: z.enum(LOCALES, { error: 'lang must be "nl" or "en"' }).default('nl') });

/** The public scoreboard contract (DESIGN.md): goal titles in ?lang= (nl by default). */
export const GET: APIRoute = async ({ locals, url }) => {
  const parsed = query.safeParse({ lang: url.searchParams.get('lang') ?? undefined });
  if (!parsed.success) return problemResponse(400, parsed.error.issues[0]!.message);
  const { lang } = parsed.data;
  const goals = await getGoals(lang);
  const board = await loadScoreboard(locals.app.database.db, goals);
  return jsonResponse(toScoreboardJsonV1(board, await getCampaign(), lang));
};
