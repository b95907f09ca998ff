/**
 * ETags and If-None-Match, for the front's cache (src/server/) and the open-data API
 * (src/site/api.ts) alike: one way to make a tag, one way to read the header.
 */
import { createHash } from 'node:crypto';

/** A strong ETag: the body's SHA-256, 162 bits of it in base64url. */
export function strongEtag(body: string | Uint8Array): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/** True when an If-None-Match header names this ETag, weakly or strongly, or is `*`. */
export function etagMatches(ifNoneMatch: string | null | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch === etag) return true; // what a browser or CDN sends back: one tag, as given
  return ifNoneMatch.split(',').some((raw) => {
    const tag = raw.trim();
    return tag === etag || tag === `W/${etag}` || tag === '*';
  });
}
