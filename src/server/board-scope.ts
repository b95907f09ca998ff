/**
 * Which campaign's changes a cached public address shows (src/server/front.ts): an address
 * under a campaign's own prefix shows that campaign; oEmbed names its campaign in a query
 * parameter, so any change may be its; every other address shows the campaign marked current
 * (whose choice is a shared change, drizzle/0021).
 */
import { splitCampaignApiPath, splitCampaignPath } from '../i18n/routes.ts';
import type { BoardScope } from './board-version.ts';

export function boardScopeOf(url: string): BoardScope {
  const end = url.search(/[?#]/);
  const pathname = end === -1 ? url : url.slice(0, end);
  const named = splitCampaignPath(pathname)?.campaign ?? splitCampaignApiPath(pathname)?.campaign;
  if (named) return { campaign: named };
  return pathname === '/oembed' || pathname.startsWith('/oembed/') ? 'any' : 'current';
}
