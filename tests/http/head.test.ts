/**
 * Every public page, in both languages: a title, a description, its canonical address,
 * hreflang alternates for both languages, Open Graph tags, the right lang attribute, and
 * nothing fetched from another site.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locale } from '../../src/domain/campaign.ts';
import { pathTo, type RouteName, type RouteParams } from '../../src/i18n/routes.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';

const PUBLIC: [RouteName, RouteParams?][] = [
  ['scoreboard'],
  ['goal', { slug: 'digitale-weerbaarheid' }],
  ['party', { slug: 'polderpartij' }],
  ['statement', { slug: 'kompas', goal: 'steun-voor-kinderen' }],
  ['compare'],
  ['about'],
  ['embedBuilder'],
  ['pressData'],
  ['terminology'],
];
/** The first campaign (content/campaign.yaml): what the site hands out names its own address. */
const CAMPAIGN = 'tweede-kamer-2025';

function attribute(html: string, tagPattern: RegExp, name: string): string | null {
  const tag = html.match(tagPattern)?.[0];
  return tag ? (new RegExp(`${name}="([^"]*)"`).exec(tag)?.[1] ?? null) : null;
}

describe('the head of every public page', () => {
  let site: TestSite;
  beforeAll(async () => {
    site = await startTestSite('pglite', { DEMO: '1', PUBLIC_URL: 'https://board.example' });
  });
  afterAll(() => site?.close());

  for (const locale of ['nl', 'en'] as const satisfies Locale[]) {
    for (const [route, params] of PUBLIC) {
      it(`${route} (${locale})`, async () => {
        const path = pathTo(route, locale, params);
        const own = pathTo(route, locale, params, CAMPAIGN);
        const response = await fetch(new URL(path, site.url));
        expect(response.status).toBe(200);
        const html = await response.text();
        expect(html).toMatch(new RegExp(`<html lang="${locale}"`));
        expect(html).toMatch(/<title>[^<]{5,}<\/title>/);
        expect(attribute(html, /<meta name="description"[^>]*>/, 'content')?.length).toBeGreaterThan(20);
        expect(attribute(html, /<link rel="canonical"[^>]*>/, 'href')).toBe(`https://board.example${own}`);
        for (const other of ['nl', 'en'] as const) {
          expect(attribute(html, new RegExp(`<link rel="alternate" hreflang="${other}"[^>]*>`), 'href')).toBe(
            `https://board.example${pathTo(route, other, params, CAMPAIGN)}`,
          );
        }
        expect(attribute(html, /<link rel="alternate" hreflang="x-default"[^>]*>/, 'href')).toBe(
          `https://board.example${pathTo(route, 'nl', params, CAMPAIGN)}`,
        );
        for (const property of ['og:title', 'og:description', 'og:url', 'og:type', 'og:site_name', 'og:locale']) {
          expect(attribute(html, new RegExp(`<meta property="${property}"[^>]*>`), 'content'), property).toBeTruthy();
        }
        expect(attribute(html, /<meta property="og:url"[^>]*>/, 'content')).toBe(`https://board.example${own}`);
        const oembed = attribute(html, /<link rel="alternate" type="application\/json\+oembed"[^>]*>/, 'href')?.replace(/&amp;/g, '&');
        expect(oembed).toBe(`/oembed?url=${encodeURIComponent(`https://board.example${own}`)}&format=json`);
        const embed = await fetch(new URL(oembed!, site.url));
        expect(embed.status, 'the oEmbed link answers').toBe(200);
        expect((await embed.json()).type).toBe('rich');
        expect(attribute(html, /<link rel="alternate" type="application\/atom\+xml"[^>]*>/, 'href')).toMatch(/feed\.xml$/);
        expect(attribute(html, /<meta property="og:image"[^>]*>/, 'content')).toMatch(/^https:\/\/board\.example\/.*\.png$/);
        expect(response.headers.getSetCookie()).toEqual([]);
        const fetched = [...html.matchAll(/<(?:link|img|iframe|source|script|embed|object)\b[^>]*>/gi)]
          .map((m) => m[0])
          .filter((tag) => !/rel="(canonical|alternate)"/.test(tag))
          .flatMap((tag) => [...tag.matchAll(/\s(?:src|href|data)="([^"]+)"/g)].map((m) => m[1]!));
        expect(fetched.filter((url) => /^(https?:)?\/\//.test(url))).toEqual([]);
      });
    }

    it(`a shared comparison keeps its parties in the canonical, og:url and hreflang addresses (${locale})`, async () => {
      const query = (l: Locale) => `?${l === 'nl' ? 'partijen' : 'parties'}=zeewind,kompas`;
      // Written loosely (capitals, a space, a repeat): the canonical address is the clean one.
      const loose = `?${locale === 'nl' ? 'partijen' : 'parties'}=Zeewind,%20kompas,zeewind&${locale === 'nl' ? 'sorteer=naam' : 'sort=name'}`;
      const response = await fetch(new URL(pathTo('compare', locale) + loose, site.url));
      expect(response.status).toBe(200);
      const html = await response.text();
      const canonical = `https://board.example${pathTo('compare', locale, {}, CAMPAIGN)}${query(locale)}`;
      expect(attribute(html, /<link rel="canonical"[^>]*>/, 'href')).toBe(canonical);
      expect(attribute(html, /<meta property="og:url"[^>]*>/, 'content')).toBe(canonical);
      for (const other of ['nl', 'en'] as const) {
        expect(attribute(html, new RegExp(`<link rel="alternate" hreflang="${other}"[^>]*>`), 'href')).toBe(
          `https://board.example${pathTo('compare', other, {}, CAMPAIGN)}${query(other)}`,
        );
      }
      // A party we do not know is left out of the canonical address; nothing known, no parties.
      const param = locale === 'nl' ? 'partijen' : 'parties';
      const bad = await (await fetch(new URL(`${pathTo('compare', locale)}?${param}=verzonnen,zeewind`, site.url))).text();
      expect(attribute(bad, /<link rel="canonical"[^>]*>/, 'href')).toBe(`https://board.example${pathTo('compare', locale, {}, CAMPAIGN)}?${param}=zeewind`);
      const none = await (await fetch(new URL(`${pathTo('compare', locale)}?${param}=verzonnen`, site.url))).text();
      expect(attribute(none, /<link rel="canonical"[^>]*>/, 'href')).toBe(`https://board.example${pathTo('compare', locale, {}, CAMPAIGN)}`);
    });
  }
});
