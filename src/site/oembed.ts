/**
 * oEmbed (oembed.com): which embed shows a page of this site, and the iframe HTML for it.
 * Pages map to the embed of the same thing: the scoreboard (and pages without an embed of
 * their own) to the scoreboard embed, a party and a goal to theirs; an embed to itself.
 */
import { localeOfPath, matchPath, pathTo, readQuery } from '../i18n/routes.ts';
import type { RouteName } from '../i18n/routes.ts';
import { escapeHtml } from './escape.ts';

const PUBLIC_TO_EMBED: Partial<Record<RouteName, RouteName>> = {
  scoreboard: 'embedScoreboard',
  compare: 'embedScoreboard',
  about: 'embedScoreboard',
  embedBuilder: 'embedScoreboard',
  pressData: 'embedScoreboard',
  party: 'embedParty',
  statement: 'embedParty',
  goal: 'embedGoal',
  embedScoreboard: 'embedScoreboard',
  embedParty: 'embedParty',
  embedGoal: 'embedGoal',
};

export const DEFAULT_EMBED_WIDTH = 640;

export interface EmbedTarget {
  path: string;
  kind: 'embedScoreboard' | 'embedParty' | 'embedGoal';
  /** The party or goal it shows, the parties a comparison narrows to, and the moment of a
   *  frozen view: the caller checks that they exist. */
  slug?: string;
  parties?: string[];
  at?: string;
}

/** The embed for a URL of this site, or null when it is not a public page or embed. */
export function embedFor(url: URL): EmbedTarget | null {
  const route = matchPath(url.pathname);
  const kind = route ? PUBLIC_TO_EMBED[route.name] : undefined;
  if (!route || !kind) return null;
  const locale = route.locale ?? localeOfPath(url.pathname);
  const query = new URLSearchParams();
  if (kind === route.name) {
    for (const [key, value] of url.searchParams) query.append(key, value);
  } else {
    const at = url.searchParams.get('at');
    if (at) query.set('at', at);
    // A comparison embeds as the scoreboard of those parties.
    const parties = route.name === 'compare' ? readQuery(url.searchParams, 'parties', locale) : null;
    if (parties) query.set('parties', parties);
  }
  const search = query.toString();
  return {
    kind: kind as EmbedTarget['kind'],
    path: pathTo(kind, locale, route.params) + (search ? `?${search}` : ''),
    slug: route.params.slug,
    parties: query.get('parties')?.split(',').filter(Boolean),
    at: query.get('at') ?? undefined,
  };
}

/** A first guess of the embed's height; the loader script then fits it to the content. */
export function estimateHeight(kind: EmbedTarget['kind'], parties: number): number {
  if (kind === 'embedParty') return 520;
  if (kind === 'embedGoal') return 420;
  return Math.min(1600, 260 + 62 * parties);
}

export function iframeHtml({
  src,
  title,
  width,
  height,
  loaderSrc,
}: {
  src: string;
  title: string;
  width: number | '100%';
  height: number;
  loaderSrc: string;
}): string {
  return (
    `<iframe src="${escapeHtml(src)}" title="${escapeHtml(title)}" width="${width}" height="${height}" ` +
    `style="border:0;width:100%;max-width:${width === '100%' ? '100%' : `${width}px`}" loading="lazy"></iframe>` +
    `<script src="${escapeHtml(loaderSrc)}" async></script>`
  );
}
