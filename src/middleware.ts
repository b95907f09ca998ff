/**
 * Every request: hand the page the app context, recognise the session cookie (renewing or
 * removing it), and run form actions so that a failed form answers with its 4xx status.
 */
import { getActionContext } from 'astro:actions';
import type { APIContext, MiddlewareNext } from 'astro';
import { defineMiddleware } from 'astro:middleware';
import { clientIpScope, getAppContext } from './app-context.ts';
import { validateSessionToken } from './credentials/sessions.ts';
import { DEFAULT_LOCALE, type Locale } from './domain/campaign.ts';
import type { AppContext } from './app-context.ts';
import { localeOfPath, matchPath, pathTo, PUBLIC_ROUTES, splitCampaignApiPath, type RouteMatch } from './i18n/routes.ts';
import { apiError } from './site/api.ts';
import { campaignForRequest } from './site/campaigns.ts';
import { FROZEN_PAGE_CACHE, PRIVATE_CACHE, PUBLIC_PAGE_CACHE } from './site/cache-headers.ts';
import { translateMessage } from './i18n/ui.ts';
import { deleteSessionCookie, sessionTokenOf, setSessionCookie } from './site/cookies.ts';
import { escapeHtml } from './domain/escape.ts';
import { ALLOWED_METHODS } from './site/methods.ts';
import { actionBodyTooLarge, hasBrokenJsonBody, isUploadAction } from './site/request-body.ts';

export const onRequest = defineMiddleware(async (context, next) => {
  try {
    return withCharset(await handle(context, next));
  } catch (error) {
    // A database that stopped answering is not a bug of this request: say so with a 503.
    const app = context.locals.app as AppContext | undefined;
    if (app && !(await databaseAnswers(app))) return unavailable(context.locals.locale ?? 'nl');
    throw error;
  }
});

async function handle(context: APIContext, next: MiddlewareNext): Promise<Response> {
  const app = getAppContext();
  context.locals.app = app;
  context.locals.auth = null;
  // Astro drops the front's locals on the English addresses: take the client's address from its scope.
  context.locals.clientIp ??= clientIpScope().getStore();

  // Which page and language: an English address is served by the Dutch page file, in English;
  // a campaign's own address (/campagnes/<slug>/…, /api/v1/campaigns/<slug>/…) by the page
  // without it, for that campaign.
  const route = matchPath(context.url.pathname);
  const scopedApi = route ? null : splitCampaignApiPath(context.url.pathname);
  const locale = route?.locale ?? localeOfPath(context.url.pathname);
  context.locals.locale = locale;
  context.locals.route = route;
  const rewriteTo =
    route && (route.locale !== DEFAULT_LOCALE || route.campaign)
      ? pathTo(route.name, DEFAULT_LOCALE, route.params) + context.url.search
      : scopedApi
        ? scopedApi.rest + context.url.search
        : undefined;

  // A page answers GET, HEAD and POST; its OPTIONS says so (the API's own preflights are not pages).
  if (context.request.method === 'OPTIONS' && route) return new Response(null, { status: 204, headers: { allow: ALLOWED_METHODS } });
  if (actionBodyTooLarge(context.request, context.url)) return badRequest(locale, 'site.bodyTooLarge', 413);
  if (await hasBrokenJsonBody(context.request, context.url)) return badRequest(locale, 'site.brokenJson');

  // Anonymous visitors get no cookie and cost no database query here. Read as the front reads
  // it when it decides whether the shared cache may answer (src/site/cookies.ts).
  const token = sessionTokenOf(context.request.headers.get('cookie'));
  if (token) {
    const validation = await validateSessionToken(app.database.db, token);
    if (validation) {
      context.locals.auth = { user: validation.user, session: validation.session };
      if (validation.renewed) setSessionCookie(context.cookies, token, validation.session.expiresAt, app.config.production);
    } else {
      deleteSessionCookie(context.cookies, app.config.production);
    }
  }

  const named = route?.campaign ?? scopedApi?.campaign ?? null;
  const campaign = await campaignForRequest(app, named, context.locals.auth?.user.role === 'admin');
  if (!campaign) return notFound(context, next, scopedApi !== null);
  context.locals.campaign = campaign;

  // Only an admin uploads (50 MB): nobody else gets their body read at all.
  if (isUploadAction(context.request, context.url) && context.locals.auth?.user.role !== 'admin') return badRequest(locale, 'auth.adminsOnly', 403);

  // eslint-disable-next-line @typescript-eslint/unbound-method -- Astro's documented use: these close over the context
  const { action, setActionResult, serializeActionResult } = getActionContext(context);
  if (action?.calledFrom !== 'form') {
    const response = await next(rewriteTo);
    if (response.status >= 500 && !(await databaseAnswers(app))) return unavailable(locale);
    return withCacheHeaders(response, context.request.method, route, context.locals.auth !== null, context.url);
  }
  const result = await action.handler();
  setActionResult(action.name, serializeActionResult(result));
  // A write of ours changed the board: this instance's cached pages must not wait for NOTIFY.
  if (!result.error) await app.boardVersion.refresh().catch(() => {});
  if (result.error?.status === 500 && !(await databaseAnswers(app))) return unavailable(locale);
  const response = await next(rewriteTo);
  if (!result.error || response.status >= 400) return response;
  // The page shows the error; the status says it to machines (and tests) too.
  if (response.status < 300 || response.status >= 400) {
    return new Response(response.body, { status: result.error.status, headers: response.headers });
  }
  // The page sent the person elsewhere (e.g. to sign in): say why, and link there.
  return refusedWithLink(locale, result.error.message, result.error.status, response.headers.get('location') ?? '/');
}

/** An address naming a campaign there is none of: the site's 404 page (or the API's JSON error). */
async function notFound(context: APIContext, next: MiddlewareNext, api: boolean): Promise<Response> {
  if (api) return apiError(404, 'no campaign with that slug');
  const fallback = await campaignForRequest(context.locals.app, null, false);
  if (fallback) context.locals.campaign = fallback;
  const page = await next(pathTo('notFound', DEFAULT_LOCALE));
  return new Response(page.body, { status: 404, headers: page.headers });
}

/** Astro writes a bare `text/html`: say the character set, so no browser has to guess it. */
function withCharset(response: Response): Response {
  if (response.headers.get('content-type') === 'text/html') response.headers.set('content-type', 'text/html; charset=utf-8');
  return response;
}

function databaseAnswers(app: AppContext): Promise<boolean> {
  return app.health.check();
}

/** The database is down: say so, with a 503; nothing was saved. */
function unavailable(locale: Locale): Response {
  const message = escapeHtml(translateMessage(locale, 'site.unavailable'));
  const html = `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${message}</title></head><body><main><h1>${message}</h1></main></body></html>`;
  return new Response(html, { status: 503, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'retry-after': '30' } });
}

/** Public pages for anonymous readers may be cached; anything a signed-in person sees may not. */
function withCacheHeaders(response: Response, method: string, route: RouteMatch | null, signedIn: boolean, url: URL): Response {
  if (method !== 'GET' && method !== 'HEAD') return response;
  if (signedIn) {
    response.headers.set('cache-control', PRIVATE_CACHE);
  } else if (route && PUBLIC_ROUTES.has(route.name) && !response.headers.has('cache-control') && response.status === 200) {
    response.headers.set('cache-control', url.searchParams.has('at') ? FROZEN_PAGE_CACHE : PUBLIC_PAGE_CACHE);
  }
  return response;
}

/** The client sent something this site cannot read: a 400 with a plain sentence. */
function badRequest(locale: Locale, messageKey: string, status = 400): Response {
  return new Response(translateMessage(locale, messageKey), {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  });
}

function refusedWithLink(locale: Locale, messageKey: string, status: number, location: string): Response {
  const message = escapeHtml(translateMessage(locale, messageKey));
  const html = `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${message}</title></head><body><main><h1>${message}</h1><p><a href="${escapeHtml(location)}">${escapeHtml(translateMessage(locale, 'form.continue'))}</a></p></main></body></html>`;
  return new Response(html, { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'private, no-store' } });
}
