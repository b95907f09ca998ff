/**
 * What every page and component needs to speak the reader's language: the locale, the
 * translator, and links to other pages in the same language.
 */
import type { AstroGlobal } from 'astro';
import type { Locale } from '../domain/campaign.ts';
import { pathTo, type RouteName, type RouteParams } from '../i18n/routes.ts';
import { translator, type Translate } from '../i18n/ui.ts';

export interface PageLanguage {
  locale: Locale;
  t: Translate;
  link: (name: RouteName, params?: RouteParams) => string;
}

export function pageLanguage(Astro: Pick<AstroGlobal, 'locals'>): PageLanguage {
  const locale = Astro.locals.locale ?? 'nl';
  return { locale, t: translator(locale), link: (name, params) => pathTo(name, locale, params) };
}
