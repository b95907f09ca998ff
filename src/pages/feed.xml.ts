import type { APIRoute } from 'astro';
import { feedResponse } from '../site/feed-route.ts';

/** Atom feed of every pledge change (also at /en/feed.xml). */
export const GET: APIRoute = (context) => feedResponse(context, 'all');
