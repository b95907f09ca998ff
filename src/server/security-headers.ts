/**
 * Headers every response carries. Only /embed/* may be shown in another site's frame; the
 * rest of the site refuses framing (clickjacking). Scripts and styles come from this origin.
 */
import type { ServerResponse } from 'node:http';

export function isEmbedPath(pathname: string): boolean {
  return pathname === '/embed' || pathname.startsWith('/embed/') || pathname.startsWith('/en/embed/');
}

export function applySecurityHeaders(res: ServerResponse, pathname: string): void {
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'strict-origin-when-cross-origin');
  res.setHeader('cross-origin-opener-policy', 'same-origin');
  res.setHeader('permissions-policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()');
  const frameAncestors = isEmbedPath(pathname) ? '*' : "'none'";
  res.setHeader(
    'content-security-policy',
    `default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; ` +
      `object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors ${frameAncestors}`,
  );
  if (!isEmbedPath(pathname)) res.setHeader('x-frame-options', 'DENY');
}
