/**
 * The "Pers & data" page: every link on it leads to something that answers 200, each file's
 * stated size is its real size, `?at=` carries over to every file and image, and every public
 * page's footer links to it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_PAGE_CACHE } from '../../src/site/cache-headers.ts';
import { formatSize } from '../../src/i18n/ui.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';

/** The first campaign's own addresses (content/campaign.yaml): the files and images name them. */
const API = '/api/v1/campaigns/tweede-kamer-2025';
const NL = '/campagnes/tweede-kamer-2025';
const EN = '/en/campaigns/tweede-kamer-2025';
const hrefsIn = (html: string) => [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));
const mainOf = (html: string) => html.slice(html.indexOf('<main'), html.indexOf('</main>'));
const footerOf = (html: string) => html.slice(html.indexOf('<footer'), html.indexOf('</footer>'));

describe('the "Pers & data" page', () => {
  let site: TestSite;
  const get = (path: string, init?: RequestInit) => fetch(new URL(path, site.url), init);

  beforeAll(async () => {
    site = await startTestSite('pglite', { DEMO: '1' });
  });
  afterAll(() => site?.close());

  it('is public and cached, in Dutch and English', async () => {
    for (const [path, title] of [
      ['/pers-en-data', '<h1>Pers &amp; data</h1>'],
      ['/en/press-and-data', '<h1>Press &amp; data</h1>'],
    ] as const) {
      const first = await get(path);
      expect(first.status, path).toBe(200);
      expect(first.headers.get('cache-control'), path).toBe(PUBLIC_PAGE_CACHE);
      expect(await first.text(), path).toContain(title);
      expect((await get(path)).headers.get('x-pledgeboard-cache'), path).toBe('hit');
    }
  });

  it('explains the check columns the CSV files gained in 1.8, in Dutch and English', async () => {
    const nl = await (await get('/pers-en-data')).text();
    expect(nl).toContain('Na updated_at volgt per doelstelling de controle door de campagne: goal1_check_status');
    expect(nl).toContain('goal1_evidence_since');
    expect(await (await get('/en/press-and-data')).text()).toContain('After updated_at come, for each goal, the campaign’s check: goal1_check_status');
  });

  it('every link on it leads somewhere that answers 200', async () => {
    for (const path of ['/pers-en-data', '/en/press-and-data', '/pers-en-data?at=2026-01-01T00:00:00Z']) {
      const links = hrefsIn(mainOf(await (await get(path)).text())).filter((href) => href.startsWith('/'));
      const partyImages = links.filter((href) => /\/(afbeelding\/partij|image\/party)\//.test(href));
      const goalImages = links.filter((href) => /\/(afbeelding\/doel|image\/goal)\//.test(href));
      // Every kind of link; of the per-party and per-goal images (each a render), the first two.
      const renders = [...partyImages, ...goalImages];
      const checked = [...new Set(links.filter((href) => !renders.includes(href)).concat(partyImages.slice(0, 2), goalImages.slice(0, 2)))];
      expect(checked.length, path).toBeGreaterThan(12);
      for (const href of checked) expect((await get(href)).status, `${path} → ${href}`).toBe(200);
      for (const file of [`${API}/pledges-wide.csv`, `${API}/pledges.csv`, `${API}/scoreboard.json`, `${API}/events.json`, '/api/v1/openapi.json']) {
        expect(
          links.some((href) => href.startsWith(file)),
          `${path} links ${file}`,
        ).toBe(true);
      }
      expect(
        links.filter((href) => href.includes('sep=semicolon')),
        path,
      ).toHaveLength(2);
    }
  });

  it("links the square scoreboard image and one image per goal, in the page's language", async () => {
    for (const [path, square, goalImage, goalPage] of [
      ['/pers-en-data', `${NL}/afbeelding/scorebord.png?formaat=vierkant`, `${NL}/afbeelding/doel/`, `${NL}/doelen/`],
      ['/en/press-and-data', `${EN}/image/scoreboard.png?format=square`, `${EN}/image/goal/`, `${EN}/goals/`],
    ] as const) {
      const links = hrefsIn(mainOf(await (await get(path)).text()));
      expect(links, path).toContain(square);
      const square200 = await get(square);
      expect(square200.status, square).toBe(200);
      expect(square200.headers.get('content-type'), square).toBe('image/png');
      // Every goal has a feed on this page; each of them has an image too.
      const goalSlugs = links
        .filter((href) => href.startsWith(goalPage) && href.endsWith('/feed.xml'))
        .map((href) => href.slice(goalPage.length, -'/feed.xml'.length));
      expect(goalSlugs.length, path).toBeGreaterThan(1);
      const imaged = links.filter((href) => href.startsWith(goalImage)).map((href) => href.slice(goalImage.length).replace(/\.png$/, ''));
      for (const slug of goalSlugs) expect(imaged, `${path}: image of goal ${slug}`).toContain(slug);
    }
  });

  it("states each file's format and its real size", async () => {
    const html = await (await get('/pers-en-data')).text();
    for (const file of [`${API}/pledges-wide.csv`, `${API}/pledges-wide.csv?sep=semicolon`, `${API}/pledges.csv`, `${API}/scoreboard.json`]) {
      const size = (await (await get(file)).arrayBuffer()).byteLength;
      const item = new RegExp(`<a href="${file.replace(/[?.]/g, '\\$&')}">[^<]*</a>\\s*<span class="downloads__meta">\\s*([^<]*)`).exec(html);
      expect(item, file).not.toBeNull();
      expect(item![1]!.replace(/\s+/g, ' ').trim(), file).toMatch(
        new RegExp(`^(CSV|JSON|CSV met puntkomma’s), ${formatSize('nl', size).replace('.', '\\.')}$`),
      );
    }
  });

  it('links every file and image at the moment of ?at=, and refuses a bad ?at= with 400', async () => {
    const at = '2026-01-01T00:00:00.000Z';
    const html = await (await get(`/pers-en-data?at=${encodeURIComponent(at)}`)).text();
    const links = hrefsIn(mainOf(html));
    for (const prefix of [`${API}/pledges-wide.csv`, `${API}/pledges.csv`, `${API}/scoreboard.json`, `${API}/events.json`, `${NL}/afbeelding/`]) {
      const matching = links.filter((href) => href.startsWith(prefix));
      expect(matching.length, prefix).toBeGreaterThan(0);
      for (const href of matching) expect(new URL(href, site.url).searchParams.get('at'), href).toBe(at);
    }
    expect(html).toContain('Zo stond het hier op');
    const bad = await get('/pers-en-data?at=gisteren');
    expect(bad.status).toBe(400);
    expect(await bad.text()).not.toContain('class="downloads"');
  });

  it('says so when the campaign gave no press contact', async () => {
    expect(await (await get('/pers-en-data')).text()).toContain('Deze campagne heeft geen perscontact opgegeven.');
    expect(await (await get('/en/press-and-data')).text()).toContain('This campaign has not given a press contact.');
  });

  it("is linked from every public page's footer, in its language", async () => {
    for (const [path, press] of [
      ['/', '/pers-en-data'],
      ['/over', '/pers-en-data'],
      ['/vergelijk', '/pers-en-data'],
      ['/doelen/financiering', '/pers-en-data'],
      ['/partijen/zeewind', '/pers-en-data'],
      ['/insluiten', '/pers-en-data'],
      ['/inloggen', '/pers-en-data'],
      ['/pers-en-data', '/pers-en-data'],
      ['/partijen/bestaat-niet', '/pers-en-data'],
      ['/en', '/en/press-and-data'],
      ['/en/goals/financiering', '/en/press-and-data'],
      ['/en/embedding', '/en/press-and-data'],
    ] as const) {
      const footer = footerOf(await (await get(path)).text());
      expect(hrefsIn(footer), path).toContain(press);
    }
  });
});
