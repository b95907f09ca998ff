/**
 * Every request: hand the page the app context, recognise the session cookie (renewing or
 * removing it), and run form actions so that a failed form answers with its 4xx status.
 */
import { getActionContext } from 'astro:actions';
import { defineMiddleware } from 'astro:middleware';
import { getAppContext } from './app-context.ts';
import { SESSION_COOKIE, validateSessionToken } from './auth/session.ts';
import { deleteSessionCookie, setSessionCookie } from './site/cookies.ts';

export const onRequest = defineMiddleware(async (context, next) => {
  const app = getAppContext();
  context.locals.app = app;
  context.locals.auth = null;

  // Anonymous visitors get no cookie and cost no database query here.
  const token = context.cookies.get(SESSION_COOKIE)?.value;
  if (token) {
    const validation = await validateSessionToken(app.database.db, token);
    if (validation) {
      context.locals.auth = { user: validation.user, session: validation.session };
      if (validation.renewed) setSessionCookie(context.cookies, token, validation.session.expiresAt, app.config.production);
    } else {
      deleteSessionCookie(context.cookies, app.config.production);
    }
  }

  const { action, setActionResult, serializeActionResult } = getActionContext(context);
  if (action?.calledFrom !== 'form') return next();
  const result = await action.handler();
  setActionResult(action.name, serializeActionResult(result));
  const response = await next();
  // The page shows the error; the status says it to machines (and tests) too.
  if (result.error && response.status < 400) {
    return new Response(response.body, { status: result.error.status, headers: response.headers });
  }
  return response;
});
