import type { APIRoute } from 'astro';
import { preflight } from '../../../site/api.ts';
import { candidatesDataResponse } from '../../../site/candidates-data-route.ts';

/** Every candidate of the campaign with what they signed (see OpenAPI: Candidates). */
export const GET: APIRoute = (context) => candidatesDataResponse(context, 'json');

export const OPTIONS: APIRoute = () => preflight();
