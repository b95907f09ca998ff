/**
 * An embed's options, from its query string: `lang`, `goals` and `parties` (comma-separated
 * slugs), `theme` (light | dark | auto), `plain` (no header and footer) and `at` (frozen).
 */
import type { AstroGlobal } from 'astro';
import { parseAt } from '../domain/as-of.ts';
import { LOCALES, type Locale } from '../domain/campaign.ts';
import { requestedSlugs } from '../domain/compare.ts';

export type EmbedTheme = 'light' | 'dark' | 'auto';

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

export function readEmbedOptions(Astro: Pick<AstroGlobal, 'url' | 'locals'>, known: { goals: readonly string[]; parties: readonly string[] }): EmbedOptions {
  const search = Astro.url.searchParams;
  const problems: string[] = [];
  const lang = search.get('lang');
  const locale = lang && (LOCALES as readonly string[]).includes(lang) ? (lang as Locale) : Astro.locals.locale;
  if (lang && locale !== lang) problems.push('embed.badLang');
  const list = (name: 'goals' | 'parties') => {
    if (!search.has(name)) return null;
    const slugs = requestedSlugs(search.getAll(name));
    if (slugs.some((slug) => !known[name].includes(slug))) problems.push(name === 'goals' ? 'embed.badGoals' : 'embed.badParties');
    return slugs.filter((slug) => known[name].includes(slug));
  };
  const themeValue = search.get('theme') ?? 'auto';
  const theme = (['light', 'dark', 'auto'] as const).find((t) => t === themeValue) ?? 'auto';
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
