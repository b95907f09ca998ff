import type { APIRoute } from 'astro';
import { preflight } from '../../../site/api.ts';
import { candidatesDataResponse } from '../../../site/candidates-data-route.ts';

/** One row per candidate; goal columns per goal; ?sep=semicolon for Excel nl-NL. */
export const GET: APIRoute = (context) => candidatesDataResponse(context, 'csv');

export const OPTIONS: APIRoute = () => preflight();
