/**
 * What every page and component needs to speak the reader's language: the locale, the
 * translator, and links to other pages in the same language and campaign.
 */
import type { AstroGlobal } from 'astro';
import type { Locale } from '../domain/campaign.ts';
import { pathTo, type RouteName, type RouteParams } from '../i18n/routes.ts';
import { translator, type Translate } from '../i18n/ui.ts';

export interface PageLanguage {
  locale: Locale;
  t: Translate;
  /**
   * A link to another page, in the form of the reader's address: under the campaign's own
   * address when the reader came that way, else without it (the current campaign).
   */
  link: (name: RouteName, params?: RouteParams) => string;
  /**
   * The address the site hands out (canonical, embed snippets, share links, feed ids): always
   * the campaign's own, so it keeps showing this campaign when another is current.
   */
  permanent: (name: RouteName, params?: RouteParams, locale?: Locale) => string;
}

export function pageLanguage(Astro: Pick<AstroGlobal, 'locals'>): PageLanguage {
  const locale = Astro.locals.locale ?? 'nl';
  const addressed = Astro.locals.route?.campaign ?? null;
  const slug = Astro.locals.campaign?.campaign.slug ?? null;
  return {
    locale,
    t: translator(locale),
    link: (name, params) => pathTo(name, locale, params, addressed),
    permanent: (name, params, other = locale) => pathTo(name, other, params, slug),
  };
}
