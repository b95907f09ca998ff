/**
 * Embeds over HTTP: only /embed/* may be framed, their options work (language, subset of goals
 * and parties, theme, plain, frozen), bad options get a 400 with a message, and the loader
 * script stays under 2 KB.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/server/build.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';

describe('embeds', () => {
  let site: TestSite;
  const page = async (p: string) => {
    const response = await fetch(new URL(p, site.url));
    return { response, html: await response.text() };
  };

  beforeAll(async () => {
    site = await startTestSite('pglite', { DEMO: '1' });
  });
  afterAll(() => site?.close());

  it('may be framed by any site; nothing else may be framed', async () => {
    for (const p of [
      '/embed/scoreboard',
      '/embed/partij/zeewind',
      '/embed/doel/financiering',
      '/en/embed/scoreboard',
      '/en/embed/party/zeewind',
      '/en/embed/goal/financiering',
      // The campaign's own embed addresses: the ones the builder and oEmbed hand out.
      '/campagnes/tweede-kamer-2025/embed/scoreboard',
      '/campagnes/tweede-kamer-2025/embed/partij/zeewind',
      '/en/campaigns/tweede-kamer-2025/embed/goal/financiering',
    ]) {
      const { response } = await page(p);
      expect(response.status, p).toBe(200);
      expect(response.headers.get('content-security-policy'), p).toContain('frame-ancestors *');
      expect(response.headers.get('x-frame-options'), p).toBeNull();
    }
    for (const p of [
      '/',
      '/partijen/zeewind',
      '/insluiten',
      '/en/embedding',
      '/api/v1/scoreboard.json',
      '/campagnes/tweede-kamer-2025',
      '/campagnes/tweede-kamer-2025/partijen/zeewind',
      '/en/campaigns/tweede-kamer-2025/embedding',
    ]) {
      const { response } = await page(p);
      expect(response.headers.get('content-security-policy'), p).toContain("frame-ancestors 'none'");
      expect(response.headers.get('x-frame-options'), p).toBe('DENY');
    }
  });

  it("links back to the full page under its campaign's own address and loads only its own resize script", async () => {
    // An embed in an article shows one election: its links and canonical name that campaign,
    // even when it was embedded by the address without one (which shows the current campaign).
    const nl = '/campagnes/tweede-kamer-2025';
    const en = '/en/campaigns/tweede-kamer-2025';
    for (const [embed, full, words] of [
      ['/embed/partij/zeewind', `${nl}/partijen/zeewind`, 'Bekijk op de website'],
      ['/embed/scoreboard', nl, 'Bekijk op de website'],
      ['/embed/doel/financiering', `${nl}/doelen/financiering`, 'Bekijk op de website'],
      ['/en/embed/party/zeewind', `${en}/parties/zeewind`, 'View on the website'],
      ['/en/embed/scoreboard', en, 'View on the website'],
      ['/en/embed/goal/financiering', `${en}/goals/financiering`, 'View on the website'],
    ]) {
      const { html } = await page(embed!);
      expect(html, embed).toContain(`<a href="${full}" target="_blank" rel="noopener">${words}</a>`);
      expect(html, embed).toMatch(new RegExp(`<link rel="canonical" href="[^"]+${full}">`));
      expect(html, embed).not.toMatch(/href="\/(partijen|doelen|en\/parties|en\/goals)\//);
      expect(
        [...html.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]),
        embed,
      ).toEqual(['/scripts/embed-frame.js']);
    }
  });

  it('theme=light and theme=dark fix the colours; plain drops the header and the footer band, keeping only the link back', async () => {
    expect((await page('/embed/scoreboard?theme=light')).html).toContain('<html lang="nl" class="embed" data-theme="light">');
    expect((await page('/en/embed/party/zeewind?theme=dark')).html).toContain('<html lang="en" class="embed" data-theme="dark">');
    const plain = (await page('/embed/partij/zeewind?plain=1')).html;
    expect(plain).not.toContain('class="embed-header"');
    expect(plain).not.toContain('CC BY 4.0');
    expect(plain).toContain('<a href="/campagnes/tweede-kamer-2025/partijen/zeewind" target="_blank" rel="noopener">Bekijk op de website</a>');
    const full = (await page('/embed/partij/zeewind')).html;
    expect(full).toContain('class="embed-header"');
    expect(full).toContain('CC BY 4.0');
  });

  it('its footer names the source (campaign and site address) and links to the data, which exists', async () => {
    const host = new URL(site.url).host;
    for (const [embed, source, data] of [
      [
        '/embed/scoreboard',
        'Bron: Houd kinderen veilig – óók online',
        '<a href="/campagnes/tweede-kamer-2025/pers-en-data" target="_blank" rel="noopener">Download de gegevens</a>',
      ],
      ['/en/embed/party/zeewind', 'Source: ', '<a href="/en/campaigns/tweede-kamer-2025/press-and-data" target="_blank" rel="noopener">Get the data</a>'],
      [
        '/embed/doel/financiering?at=2026-01-01T12:00:00Z',
        'Bron: ',
        '<a href="/campagnes/tweede-kamer-2025/pers-en-data?at=2026-01-01T12%3A00%3A00.000Z" target="_blank" rel="noopener">Download de gegevens</a>',
      ],
    ]) {
      const { html } = await page(embed!);
      const footer = /<footer[^>]*>([\s\S]*?)<\/footer>/.exec(html)![1]!;
      expect(footer, embed).toContain(source);
      expect(footer, embed).toContain(host);
      expect(footer, embed).toContain(data);
      const href = /href="([^"]+)"[^>]*>(?:Download de gegevens|Get the data)</.exec(footer)![1]!.replaceAll('&amp;', '&');
      expect((await fetch(new URL(href, site.url))).status, href).toBe(200);
    }
  });

  it('goals narrow a party embed, parties narrow a goal embed', async () => {
    const party = (await page('/embed/partij/zeewind?goals=financiering,digitale-weerbaarheid')).html;
    expect(party.match(/<p class="embed-list__head">/g)).toHaveLength(2);
    expect(party).toContain('/campagnes/tweede-kamer-2025/doelen/financiering');
    expect(party).not.toContain('/doelen/steun-voor-kinderen');
    const everyParty = (await page('/embed/doel/financiering')).html;
    const two = (await page('/embed/doel/financiering?parties=zeewind,kompas')).html;
    const linkedParties = (html: string) => [...html.matchAll(/href="\/campagnes\/tweede-kamer-2025\/partijen\/([^"]+)"/g)].map((m) => m[1]).sort();
    expect(linkedParties(everyParty).length).toBeGreaterThan(2);
    expect(linkedParties(two)).toEqual(['kompas', 'zeewind']);
  });

  it('takes its options from the query: language, goals, parties, theme, plain', async () => {
    const { html } = await page('/embed/scoreboard?lang=en&goals=financiering,digitale-weerbaarheid&parties=zeewind,kompas&theme=dark&plain=1');
    expect(html).toContain('<html lang="en" class="embed" data-theme="dark">');
    expect(html.match(/<th scope="row"><a class="board__party-name"/g)).toHaveLength(2);
    expect(html).toContain('Digital resilience');
    expect(html).not.toContain('Servers and tech companies');
    expect(html).not.toContain('class="embed-header"');
    const withChrome = (await page('/embed/scoreboard')).html;
    expect(withChrome.includes('class="embed-header"')).toBe(true);
    expect(withChrome.includes('<html lang="nl" class="embed" data-theme="light">')).toBe(true); // light unless asked
  });

  it('is light by default, inside a light newspaper page; dark and auto only on request', async () => {
    for (const p of ['/embed/scoreboard', '/en/embed/party/zeewind', '/embed/doel/financiering']) {
      const { html } = await page(p);
      expect(html, p).toContain('data-theme="light"');
      expect(html, p).toContain('<meta name="color-scheme" content="light">');
      expect(html, p).not.toContain('data-theme="dark"');
      expect(html, p).not.toContain('content="light dark"');
    }
    const dark = (await page('/embed/scoreboard?theme=dark')).html;
    expect(dark).toContain('data-theme="dark"');
    expect(dark).toContain('<meta name="color-scheme" content="dark">');
    const auto = (await page('/embed/scoreboard?theme=auto')).html;
    expect(auto).toContain('<html lang="nl" class="embed">');
    expect(auto).toContain('<meta name="color-scheme" content="light dark">');
  });

  it('the builder offers light first and by default, leaving it out of the snippet', async () => {
    const { html } = await page('/insluiten?what=scoreboard&time=live');
    expect(html).toMatch(/<option value="light" selected>/);
    expect(html).not.toMatch(/<option value="(auto|dark)" selected>/);
    expect([...html.matchAll(/<option value="(light|dark|auto)"/g)].map((m) => m[1])).toEqual(['light', 'dark', 'auto']);
    expect(html).not.toMatch(/embed\/scoreboard\?[^"]*theme=/);
    const dark = (await page('/insluiten?what=scoreboard&time=live&theme=dark')).html;
    expect(dark).toContain('?theme=dark');
  });

  it('says "as of" on a frozen view, in the embed\'s language', async () => {
    const { html } = await page('/embed/doel/financiering?at=2026-01-01T12:00:00Z');
    expect(html).toContain('Stand van <time datetime="2026-01-01T12:00:00.000Z">1 januari 2026 om 13:00</time>');
    const english = (await page('/en/embed/scoreboard?at=2026-01-01T12:00:00Z')).html;
    expect(english).toContain('As of <time datetime="2026-01-01T12:00:00.000Z">1 January 2026 at 13:00</time>');
  });

  it('shows a message, never an error, when there is nothing to show', async () => {
    const before = await page('/embed/scoreboard?at=2020-01-01T00:00:00Z'); // before any party existed
    expect(before.response.status).toBe(200);
    expect(before.html).toContain('Er staan nog geen partijen op het scorebord.');
    const empty = await page('/embed/scoreboard?parties=&goals=');
    expect(empty.response.status).toBe(200);
    expect(empty.html.match(/<th scope="row"><a class="board__party-name"/g)!.length).toBeGreaterThan(2); // an empty list narrows nothing
    for (const p of ['/embed/doel/financiering?at=2020-01-01T00:00:00Z', '/en/embed/scoreboard?at=2020-01-01T00:00:00Z']) {
      expect((await page(p)).response.status, p).toBe(200);
    }
  });

  it('answers bad options with 400 and says which', async () => {
    for (const [query, message] of [
      ['?theme=paars', 'theme moet'],
      ['?parties=verzonnen', 'parties bevat een partij die niet bestaat'],
      ['?goals=verzonnen', 'goals bevat een doelstelling die niet bestaat'],
      ['?lang=fr', 'lang moet'],
      ['?at=morgen', 'geen geldige ISO-8601-tijd'],
    ]) {
      const { response, html } = await page(`/embed/scoreboard${query}`);
      expect(response.status, query).toBe(400);
      expect(html, query).toContain(message);
    }
    expect((await page('/embed/partij/verzonnen')).response.status).toBe(404);
  });

  it('the loader is at most 2 KB and is served by the app', async () => {
    const file = await readFile(path.join(PROJECT_ROOT, 'public', 'embed.js'));
    expect(file.length).toBeLessThanOrEqual(2048);
    const { response, html } = await page('/embed.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/javascript/);
    expect(html.length).toBe(file.length);
  });

  it('the builder makes a snippet: iframe (with a fixed moment when frozen) and loader', async () => {
    const { html } = await page('/insluiten?what=party&party=zeewind&lang=en&theme=dark&plain=1&time=frozen');
    const snippet = /<textarea id="snippet"[^>]*>([^<]+)<\/textarea>/
      .exec(html)![1]!
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
    expect(snippet).toMatch(
      /<iframe src="http:\/\/127\.0\.0\.1:\d+\/en\/campaigns\/tweede-kamer-2025\/embed\/party\/zeewind\?theme=dark&amp;plain=1&amp;at=\d{4}-\d\d-\d\dT\d\d%3A\d\d%3A\d\d\.000Z" title="Zeewind" width="100%" height="\d+"/,
    );
    expect(snippet).toMatch(/<script src="http:\/\/127\.0\.0\.1:\d+\/embed\.js" async><\/script>$/);
    expect(html).toContain('<iframe src="/en/campaigns/tweede-kamer-2025/embed/party/zeewind?theme=dark&amp;plain=1&amp;at='); // the preview, from this site
  });

  it('the builder takes a frozen moment only if the board can show it, and never fails on one', async () => {
    for (const at of ['-000001-01-01T00:00:00Z', '%2B275760-09-13T00:00:00Z', '1999-12-31T23:59:59Z', 'x']) {
      const response = await fetch(new URL(`/insluiten?what=party&party=zeewind&time=frozen&at=${at}`, site.url));
      expect(response.status, at).toBe(200);
      const html = await response.text();
      expect(html, at).toMatch(/embed\/partij\/zeewind\?at=20\d\d-/); // the moment the snippet was made instead
    }
  });

  it('the builder puts the code first and lands on it after a choice (#code), without JavaScript', async () => {
    for (const path of ['/insluiten', '/insluiten?what=goal&goal=financiering', '/en/embedding?what=party&party=zeewind']) {
      const { html } = await page(path);
      const at = (needle: string) => html.indexOf(needle);
      // The code right under the heading, before the options and the preview.
      expect(at('<h1>'), path).toBeLessThan(at('id="code"'));
      expect(at('id="snippet"'), path).toBeLessThan(at('<form'));
      expect(at('<form'), path).toBeLessThan(at('class="preview"'));
      expect(html, path).toMatch(/<form id="options" method="get" action="\/(en\/embedding|insluiten)#code"/);
      // The kind of embed is a choice of links that land on the new code.
      expect(html.match(/<a href="[^"]*\?what=(scoreboard|party|goal)[^"]*#code"/g), path).toHaveLength(3);
    }
  });

  it('the builder shows only the options of the chosen kind of embed', async () => {
    const fields = (html: string) => new Set([...html.matchAll(/<(?:input|select)[^>]* name="(\w+)"/g)].map((m) => m[1]));
    const scoreboard = fields((await page('/insluiten?what=scoreboard')).html);
    expect([...scoreboard].sort()).toEqual(['goals', 'lang', 'parties', 'plain', 'theme', 'time', 'what']);
    const party = fields((await page('/insluiten?what=party&party=zeewind')).html);
    expect([...party].sort()).toEqual(['goals', 'lang', 'party', 'plain', 'theme', 'time', 'what']);
    const goal = fields((await page('/insluiten?what=goal')).html);
    expect([...goal].sort()).toEqual(['goal', 'lang', 'parties', 'plain', 'theme', 'time', 'what']);
    // An option that does not apply is not carried into the code, even when sent.
    const { html } = await page('/insluiten?what=party&party=zeewind&parties=kompas&goals=financiering');
    const code = /<textarea id="snippet"[^>]*>([^<]+)<\/textarea>/.exec(html)![1]!;
    expect(code).toContain('/embed/partij/zeewind?goals=financiering');
    expect(code).not.toContain('parties=');
    // Switching kind keeps the options every kind shares.
    const dark = (await page('/insluiten?what=scoreboard&theme=dark&plain=1&lang=en&time=frozen')).html;
    expect(dark).toContain('href="/insluiten?what=goal&amp;lang=en&amp;theme=dark&amp;plain=1&amp;time=frozen#code"');
  });

  it('the builder\'s "live" snippet follows the board: no fixed moment; the English builder speaks English', async () => {
    const { html } = await page('/en/embedding?what=goal&goal=financiering&lang=en&theme=auto&time=live');
    expect(html).toContain('<html lang="en"');
    const snippet = /<textarea id="snippet"[^>]*>([^<]+)<\/textarea>/
      .exec(html)![1]!
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
    expect(snippet).toMatch(
      /<iframe src="http:\/\/127\.0\.0\.1:\d+\/en\/campaigns\/tweede-kamer-2025\/embed\/goal\/financiering\?theme=auto" title="[^"]+" width="100%"/,
    );
    expect(snippet).not.toContain('at=');
    expect(html).toContain('Copy');
  });
});
