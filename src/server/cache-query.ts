/**
 * The query of an address the front may answer from its cache, reduced to the parameters some
 * page reads, in a fixed order. Without this, `?utm_source=…` or a random `?x=` made every
 * request a miss: a full render, and a cache entry of its own. The request is rendered with
 * the reduced address too, so a page never shows anything the cached copy does not.
 *
 * One list for the whole site (not per route): a name one page reads is kept for all, which
 * costs at most an entry per value. A page that starts reading a new parameter must add it
 * here, or it will never see it.
 */
import { LOCALES } from '../domain/campaign.ts';
import { queryName, type QueryKey } from '../i18n/routes.ts';

/** The translated parameters (src/i18n/routes.ts), in every language. */
const TRANSLATED: QueryKey[] = ['sort', 'stance', 'goal', 'parties', 'at', 'back', 'format', 'recoveryUsed', 'party', 'place', 'page'];

const READ_BY_PAGES = new Set([
  ...TRANSLATED.flatMap((key) => LOCALES.map((locale) => queryName(key, locale))),
  // Embeds and the embed builder (src/site/embed-options.ts, src/pages/insluiten.astro).
  'lang',
  'goals',
  'parties',
  'theme',
  'plain',
  'what',
  'party',
  'goal',
  'time',
  // oEmbed (src/pages/oembed.ts) and the open-data API (src/site/api.ts, events.json).
  'url',
  'format',
  'maxwidth',
  'maxheight',
  'before',
  'checksBefore',
  'repliesBefore',
  'limit',
  // The CSV files' dialect (src/site/api.ts, csvParams).
  'sep',
  // Notices after a redirect (sign-in, my party, admin pages: the last two answer anonymous
  // readers with a redirect to sign in, which keeps the address).
  'uitgelogd',
  'hersteld',
  'opgeslagen',
  'ongewijzigd',
  'toegevoegd',
  'voor',
  // Beheer: confirm steps and the audit log's filters, pages and export (answered with a
  // redirect to sign in for anonymous readers, which keeps the address).
  'bevestig',
  'uitschakelen',
  'na',
  'actie',
  'door',
  'export',
  // --- forgot-password --- the answer after asking for a reset link (src/pages/wachtwoord-vergeten.astro)
  'verstuurd',
]);

function nameOf(pair: string): string {
  const raw = pair.slice(0, (pair.indexOf('=') + 1 || pair.length + 1) - 1).replaceAll('+', ' ');
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/**
 * The address with only the parameters pages read, sorted by name; a parameter given twice
 * keeps both values in their order (the compare page reads them all). Pairs keep their
 * encoding as sent. Astro's own addresses (`/_…`) are left alone.
 */
export function cacheableUrl(url: string): string {
  const start = url.indexOf('?');
  if (start === -1) return url;
  const path = url.slice(0, start);
  if (path.startsWith('/_')) return url;
  const kept = url
    .slice(start + 1)
    .split('&')
    .map((pair) => ({ pair, name: nameOf(pair) }))
    .filter(({ pair, name }) => pair !== '' && READ_BY_PAGES.has(name));
  // Array.prototype.sort is stable: values of one name stay in their order.
  kept.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return kept.length === 0 ? path : `${path}?${kept.map(({ pair }) => pair).join('&')}`;
}
