/**
 * An embed's options, from its query string: `lang`, `goals` and `parties` (comma-separated
 * slugs), `theme` (light | dark | auto), `plain` (no header and footer) and `at` (frozen).
 * The theme is light unless asked: an embed sits in someone else's page, mostly a light one,
 * and a reader's dark system setting must not turn a block of a newspaper article black.
 */
import type { AstroGlobal } from 'astro';
import { parseAt } from '../domain/as-of.ts';
import { LOCALES, type Goal, type Locale } from '../domain/campaign.ts';
import { listAllParties } from '../domain/parties.ts';
import { getGoals } from './content.ts';
import { requestedSlugs } from '../domain/compare.ts';

/** The themes an embed takes, the default first (the builder lists them in this order). */
export const EMBED_THEMES = ['light', 'dark', 'auto'] as const;
type EmbedTheme = (typeof EMBED_THEMES)[number];
export const DEFAULT_EMBED_THEME: EmbedTheme = 'light';

export interface EmbedOptions {
  locale: Locale;
  goals: string[] | null;
  parties: string[] | null;
  theme: EmbedTheme;
  plain: boolean;
  at: Date | null;
  /** Message keys of options that could not be used: the embed then answers 400. */
  problems: string[];
}

/**
 * An embed's options from its query string, checked against the known goals and parties; the
 * embed pages (prepareEmbed) and oEmbed (which must not hand out a snippet its embed refuses).
 */
export function readEmbedOptions(search: URLSearchParams, pageLocale: Locale, known: { goals: readonly string[]; parties: readonly string[] }): EmbedOptions {
  const problems: string[] = [];
  const lang = search.get('lang');
  const locale = lang && (LOCALES as readonly string[]).includes(lang) ? (lang as Locale) : pageLocale;
  if (lang && locale !== lang) problems.push('embed.badLang');
  const list = (name: 'goals' | 'parties') => {
    const slugs = requestedSlugs(search.getAll(name));
    if (slugs.length === 0) return null; // `?parties=` with nothing in it: no narrowing
    if (slugs.some((slug) => !known[name].includes(slug))) problems.push(name === 'goals' ? 'embed.badGoals' : 'embed.badParties');
    return slugs.filter((slug) => known[name].includes(slug));
  };
  const themeValue = search.get('theme') ?? DEFAULT_EMBED_THEME;
  const theme = EMBED_THEMES.find((t) => t === themeValue) ?? DEFAULT_EMBED_THEME;
  if (theme !== themeValue) problems.push('embed.badTheme');
  const at = parseAt(search.get('at'));
  if (!at.ok) problems.push(at.message);
  const plainValue = search.get('plain');
  return {
    locale,
    goals: list('goals'),
    parties: list('parties'),
    theme,
    plain: plainValue !== null && plainValue !== '0' && plainValue !== 'false',
    at: at.ok ? at.at : null,
    problems,
  };
}

/**
 * What every embed page does first: read its options against the known goals and parties,
 * take the language they ask for, and answer 400 when an option is bad.
 */
export async function prepareEmbed(Astro: Pick<AstroGlobal, 'url' | 'locals' | 'response'>): Promise<{ options: EmbedOptions; goals: Goal[] }> {
  const db = Astro.locals.app.database.db;
  const allGoals = getGoals(Astro, Astro.locals.locale);
  const parties = await listAllParties(db, Astro.locals.campaign.campaign.id);
  const options = readEmbedOptions(Astro.url.searchParams, Astro.locals.locale, { goals: allGoals.map((g) => g.slug), parties: parties.map((p) => p.slug) });
  Astro.locals.locale = options.locale;
  if (options.problems.length > 0) Astro.response.status = 400;
  const goals = getGoals(Astro, options.locale).filter((g) => !options.goals || options.goals.includes(g.slug));
  return { options, goals };
}
