import type { APIRoute } from 'astro';
import { candidatesFeedResponse } from '../../site/candidates-feed.ts';

/** Atom feed of candidates' signatures (also at /en/candidates/feed.xml). */
export const GET: APIRoute = (context) => candidatesFeedResponse(context);
