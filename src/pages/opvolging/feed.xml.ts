import type { APIRoute } from 'astro';
import { followUpFeedResponse } from '../../site/follow-up-feed.ts';

/** Atom feed of follow-up ratings and of imports and unlinks of items (also at /en/follow-up/feed.xml). */
export const GET: APIRoute = (context) => followUpFeedResponse(context);
