/**
 * oEmbed (oembed.com): which embed shows a page of this site, and the iframe HTML for it.
 * Pages map to the embed of the same thing: the scoreboard (and pages without an embed of
 * their own) to the scoreboard embed, a party and a goal to theirs, the follow-up and its
 * items' pages to the follow-up embed; an embed to itself.
 */
import { localeOfPath, matchPath, pathTo, readQuery } from '../i18n/routes.ts';
import type { RouteName } from '../i18n/routes.ts';
import { escapeHtml } from '../domain/escape.ts';
import type { FollowUpBoard } from '../domain/follow-up-board.ts';
import type { BoardRow } from '../domain/scoreboard.ts';

const PUBLIC_TO_EMBED: Partial<Record<RouteName, RouteName>> = {
  scoreboard: 'embedScoreboard',
  compare: 'embedScoreboard',
  about: 'embedScoreboard',
  embedBuilder: 'embedScoreboard',
  pressData: 'embedScoreboard',
  terminology: 'embedScoreboard',
  party: 'embedParty',
  statement: 'embedParty',
  goal: 'embedGoal',
  embedScoreboard: 'embedScoreboard',
  embedParty: 'embedParty',
  embedGoal: 'embedGoal',
  followUp: 'embedFollowUp',
  followUpItem: 'embedFollowUp',
  embedFollowUp: 'embedFollowUp',
};

export const DEFAULT_EMBED_WIDTH = 640;

export interface EmbedTarget {
  path: string;
  kind: 'embedScoreboard' | 'embedParty' | 'embedGoal' | 'embedFollowUp';
  /** The party or goal it shows, the parties a comparison narrows to, and the moment of a
   *  frozen view: the caller checks that they exist. */
  slug?: string;
  /** The follow-up item page's Zaak number (its embed is the whole follow-up): the caller checks it is linked. */
  item?: string;
  parties?: string[];
  at?: string;
  /** The campaign the page's address names; null for an address without one (the current campaign). */
  campaign: string | null;
}

/**
 * The embed for a URL of this site, or null when it is not a public page or embed. Its path
 * names the campaign (the one the URL names, else `currentSlug`): the snippet keeps showing
 * this campaign when another becomes current.
 */
export function embedFor(url: URL, currentSlug: string): EmbedTarget | null {
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
    // The follow-up's item page names an item; its embed is the whole follow-up.
    path: pathTo(kind, locale, kind === 'embedFollowUp' ? {} : route.params, route.campaign ?? currentSlug) + (search ? `?${search}` : ''),
    campaign: route.campaign,
    slug: kind === 'embedFollowUp' ? undefined : route.params.slug,
    item: route.name === 'followUpItem' ? route.params.number?.toUpperCase() : undefined,
    parties: query.get('parties')?.split(',').filter(Boolean),
    at: query.get('at') ?? undefined,
  };
}

/**
 * The embed's height before the loader fits it, and the whole height where no loader runs (a
 * CMS that strips scripts): generous enough that the embed shows all of itself at the
 * narrowest column we support, 300 px, where rows and statements are tallest. Measured in
 * Chromium on the demo board (tests/e2e/embeds.test.ts checks it at 300, 360 and 680 px):
 * at 300 px the board takes about 600 px plus 83 per party; a party's page about 515 plus
 * 24 px per line of statement (about 30 characters a line) and a little per goal; a goal's
 * page about 560 plus 16 per party. The follow-up (one card per party and goal) about FOLLOW_UP
 * below, plus its texts (ratings' explanations, replies, items' lines) as a party's statements.
 * A wider column gets some empty space below instead.
 */
export function estimateHeight(kind: EmbedTarget['kind'], parties: number, textLengths: readonly number[] = [], goals = 0): number {
  const lines = textLengths.reduce((sum, length) => sum + 24 * Math.ceil(length / 30) + 8, 0);
  if (kind === 'embedFollowUp') return FOLLOW_UP.base + goals * (FOLLOW_UP.goal + parties * FOLLOW_UP.card) + lines;
  if (kind === 'embedParty') return 540 + lines;
  if (kind === 'embedGoal') return 580 + 20 * parties;
  return 640 + 80 * parties;
}

/** The follow-up embed at 300 px (tests/e2e/follow-up-embed-screens.test.ts): its frame, a
 *  goal's heading, a card per party and goal, a rating's source line, a reply's heading. */
const FOLLOW_UP = { base: 570, goal: 80, card: 290, rating: 40, reply: 40 };

/** The follow-up embed's height, narrowed as its options narrow it (empty or none: all). */
export function followUpHeight(board: FollowUpBoard, only: { goals?: readonly string[]; parties?: readonly string[] }): number {
  const shown = (slugs: readonly string[] | undefined, slug: string) => !slugs?.length || slugs.includes(slug);
  const goals = board.goals.flatMap((goal, i) => (shown(only.goals, goal.slug) ? [{ goal, i }] : []));
  const rows = board.rows.filter((row) => shown(only.parties, row.party.slug));
  const ratings = rows.flatMap((row) => goals.flatMap(({ i }) => row.cells[i]!.rating ?? []));
  const replies = ratings.flatMap((rating) => rating.reply?.text ?? []);
  // An item's line: its title, then kind, number, effect and decision.
  const items = board.items.items
    .filter((item) => goals.some(({ goal }) => goal.slug === item.goalSlug))
    .map((item) => `${item.title} (${item.kind} ${item.number}; ………………………………)`);
  const texts = [...ratings.map((rating) => rating.explanation), ...replies, ...items];
  const height = estimateHeight(
    'embedFollowUp',
    rows.length,
    texts.map((text) => text.length),
    goals.length,
  );
  return height + FOLLOW_UP.rating * ratings.length + FOLLOW_UP.reply * replies.length;
}

/** What a party embed shows in place of each stance's words: the statement or the reason it is hidden. */
export function statementLengthsOf(row: BoardRow): number[] {
  return row.cells.map((cell) => (cell.hiddenReason ?? cell.pledge?.statement ?? '').length);
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
