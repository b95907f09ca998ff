import type { APIRoute } from 'astro';
import { feedResponse } from '../../../site/feed-route.ts';

/** Atom feed of the pledge changes on one goal. */
export const GET: APIRoute = (context) => feedResponse(context, 'goal');
