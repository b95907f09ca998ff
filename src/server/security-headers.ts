/**
 * Headers every response carries. Only /embed/* may be shown in another site's frame; the
 * rest of the site refuses framing (clickjacking). Scripts and styles come from this origin.
 */
import type { ServerResponse } from 'node:http';

export function isEmbedPath(pathname: string): boolean {
  return pathname === '/embed' || pathname.startsWith('/embed/') || pathname.startsWith('/en/embed/');
}

const csp = (frameAncestors: string) =>
  `default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; ` +
  `object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors ${frameAncestors}`;
// Built once: these go out with every response, tens of thousands a second on election night.
const EMBED_CSP = csp('*');
const PAGE_CSP = csp("'none'");

export function applySecurityHeaders(res: ServerResponse, pathname: string): void {
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'strict-origin-when-cross-origin');
  res.setHeader('cross-origin-opener-policy', 'same-origin');
  res.setHeader('permissions-policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()');
  if (isEmbedPath(pathname)) {
    res.setHeader('content-security-policy', EMBED_CSP);
  } else {
    res.setHeader('content-security-policy', PAGE_CSP);
    res.setHeader('x-frame-options', 'DENY');
  }
}
