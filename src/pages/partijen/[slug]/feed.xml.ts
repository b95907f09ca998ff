import type { APIRoute } from 'astro';
import { feedResponse } from '../../../site/feed-route.ts';

/** Atom feed of one party's pledge changes. */
export const GET: APIRoute = (context) => feedResponse(context, 'party');
