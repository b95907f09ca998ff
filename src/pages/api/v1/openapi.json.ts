import type { APIRoute } from 'astro';
import { jsonData, preflight } from '../../../site/api.ts';
import { OPENAPI_DOCUMENT } from '../../../site/openapi.ts';

export const GET: APIRoute = ({ request, locals, url }) =>
  jsonData(request, { ...OPENAPI_DOCUMENT, servers: [{ url: locals.app.config.publicUrl ?? url.origin }] });

export const OPTIONS: APIRoute = () => preflight();
