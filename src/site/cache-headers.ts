/**
 * Cache-Control for pages: public pages may be kept by the front's cache and by a CDN (which
 * may serve a stale copy while it fetches a new one, or when the site is down); anything seen
 * by a signed-in person is private and never stored.
 */
export const PUBLIC_PAGE_CACHE = 'public, max-age=0, must-revalidate, s-maxage=30, stale-while-revalidate=300, stale-if-error=86400';
/**
 * A frozen view (?at=) keeps its pledges, but it still follows the campaign's later moderation
 * (a hidden statement stays hidden) and party names: kept a little longer than a live page, and
 * never so long that a hidden statement lingers in browsers and CDNs.
 */
export const FROZEN_PAGE_CACHE = 'public, max-age=60, s-maxage=300, stale-while-revalidate=300, stale-if-error=86400';
export const PRIVATE_CACHE = 'private, no-store';
