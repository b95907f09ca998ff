/**
 * What an action needs from its request: the database, the signed-in person and their IP
 * address, and the guards that refuse anyone who may not act.
 */
import type { ActionAPIContext } from 'astro:actions';
import { isAdmin, isComplete, type Auth } from '../auth/policy.ts';
import type { Db } from '../db/client.ts';
import type { Actor } from '../domain/actors.ts';
import { actorFor } from '../domain/users.ts';
import type { MailContext, PageMailContext } from '../domain/outbox.ts';
import { mailContextFor } from '../i18n/routes.ts';
import { getCampaign } from '../site/content.ts';
import { failure } from './errors.ts';

export interface ActionRequest {
  db: Db;
  ip: string;
  /** Absolute links (invitations, resets) start with this. */
  siteUrl: string;
}

/** The front works out the client's address (proxy-aware) and hands it over in locals. */
function clientIp(context: { clientAddress: string; locals: App.Locals }): string {
  if (context.locals.clientIp) return context.locals.clientIp;
  try {
    return context.clientAddress;
  } catch {
    return 'unknown';
  }
}

export function requestOf(context: ActionAPIContext): ActionRequest {
  const { app } = context.locals;
  return { db: app.database.db, ip: clientIp(context), siteUrl: app.config.publicUrl ?? context.url.origin };
}

/**
 * What an action needs to write a mail: the campaign's name, and links to the site's own
 * address (AppContext.siteUrl), never to the Host this request names.
 */
export function mailContextOf(context: ActionAPIContext): MailContext & PageMailContext {
  const { app } = context.locals;
  const siteUrl = app.siteUrl ?? app.config.publicUrl ?? `http://localhost:${app.config.port || 4321}`;
  return mailContextFor(getCampaign(context).name, siteUrl, Boolean(app.config.mail.smtpUrl));
}

/** A session, even one that still owes its second step. */
export function requireSession(context: ActionAPIContext): Auth {
  const auth = context.locals.auth;
  if (!auth) throw failure('UNAUTHORIZED', 'auth.signInFirst');
  return auth;
}

/** A fully signed-in person, and the actor they act as. */
export function requireSignedIn(context: ActionAPIContext): { auth: Auth; actor: Actor } {
  const auth = requireSession(context);
  if (!isComplete(auth)) throw failure('UNAUTHORIZED', 'auth.secondFactorFirst');
  return { auth, actor: actorFor(auth.user) };
}

export function requireAdmin(context: ActionAPIContext): { auth: Auth; actor: Actor } {
  const signedIn = requireSignedIn(context);
  if (!isAdmin(signedIn.auth)) throw failure('FORBIDDEN', 'auth.adminsOnly');
  return signedIn;
}
