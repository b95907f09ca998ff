/**
 * What the front refuses before anything else sees the request: a Host header that is no
 * host name (`evil@host`, which Astro's URL would take as credentials and fail on), and methods
 * the site does not use (TRACE among them, which the Fetch API refuses outright). Each is the
 * client's mistake: a 4xx with a short message, never a 500 from deep inside.
 */
import type { IncomingMessage } from 'node:http';
import { localeOfPath } from '../i18n/routes.ts';
import { translateMessage } from '../i18n/ui.ts';

/** The methods some page or endpoint answers: forms POST, the open-data API has preflights. */
const ALLOWED_METHODS = 'GET, HEAD, POST, OPTIONS';
const ALLOWED = new Set(ALLOWED_METHODS.split(', '));

/** A DNS name or IPv4 address (labels of letters, digits, `-`, `_`) or a bracketed IPv6 address, and an optional port. */
const HOST = /^(?:[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

export interface Refusal {
  status: 400 | 405;
  headers: Record<string, string>;
  body: string;
}

/** Why the request cannot be answered, or null when it can. */
export function refusalOf(req: IncomingMessage, pathname: string): Refusal | null {
  const host = req.headers.host;
  const locale = localeOfPath(pathname);
  // HTTP/1.1 without a Host is refused by node:http itself; HTTP/1.0 may leave it out.
  if (host !== undefined && !HOST.test(host)) {
    return { status: 400, headers: {}, body: translateMessage(locale, 'site.badHost') };
  }
  if (!ALLOWED.has(req.method ?? '')) {
    return { status: 405, headers: { allow: ALLOWED_METHODS }, body: translateMessage(locale, 'site.methodNotAllowed') };
  }
  return null;
}
