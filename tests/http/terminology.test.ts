/**
 * The choice-of-words page (/woordkeuze, /en/choice-of-words): public and cached, in the
 * reader's language, with every entry of content/terminology.yaml, its sources, and links to
 * the same page in the other language; linked from every public page's footer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTerminology } from '../../src/content-files.ts';
import { PUBLIC_PAGE_CACHE } from '../../src/site/cache-headers.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';

const list = await readTerminology();
const unescape = (html: string) => html.replaceAll('&amp;', '&').replaceAll('&#39;', "'").replaceAll('&quot;', '"');

describe('the choice-of-words page', () => {
  let site: TestSite;
  const get = (path: string) => fetch(new URL(path, site.url));

  beforeAll(async () => {
    site = await startTestSite('pglite', { DEMO: '1', PUBLIC_URL: 'https://board.example' });
  });
  afterAll(() => site?.close());

  it.each([
    ['/woordkeuze', 'nl', '<h1>Woordkeuze</h1>', 'seksueel kindermisbruikmateriaal (CSAM)', 'Vermijden'],
    ['/en/choice-of-words', 'en', '<h1>Choice of words</h1>', 'child sexual abuse material (CSAM)', 'Avoid'],
  ] as const)('%s answers in its language with every term, what to write instead and the sources', async (path, locale, heading, suggestion, level) => {
    const response = await get(path);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe(PUBLIC_PAGE_CACHE);
    const html = unescape(await response.text());
    expect(html).toContain(`<html lang="${locale}"`);
    expect(html).toContain(heading);
    expect(html).toContain(suggestion);
    expect(html).toContain(level);
    for (const entry of list.entries) {
      expect(html, entry.id).toContain(`id="${entry.id}"`);
      expect(html, entry.id).toContain(entry.term[locale]);
      expect(html, entry.id).toContain(entry.useInstead[locale]);
      for (const source of entry.sources) expect(html, `${entry.id}: ${source.url}`).toContain(`href="${source.url}"`);
    }
    expect(html).toContain('<link rel="alternate" hreflang="nl" href="https://board.example/woordkeuze">');
    expect(html).toContain('<link rel="alternate" hreflang="en" href="https://board.example/en/choice-of-words">');
  });

  it("is linked from a public page's footer in each language", async () => {
    for (const [path, link] of [
      ['/over', '<a href="/woordkeuze"'],
      ['/en/about', '<a href="/en/choice-of-words"'],
    ] as const) {
      const html = await (await get(path)).text();
      expect(html.slice(html.indexOf('<footer')), path).toContain(link);
    }
  });
});
