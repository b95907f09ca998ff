/**
 * The follow-up embed where journalists find embeds: the embed builder makes its code (title,
 * height, the campaign's own address, live or frozen) and previews it, oEmbed answers for the
 * follow-up's pages and embed, and "Pers & data" lists it with the follow-up's files; all only
 * while the campaign shows its follow-up. Other campaigns say why it is not there. Fictional
 * campaigns and parties.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaigns } from '../../src/db/schema.ts';
import type { Actor } from '../../src/domain/actors.ts';
import { rateFollowUp } from '../../src/domain/follow-up.ts';
import { savePledge } from '../../src/domain/pledges.ts';
import { addTestParties, testRep } from '../fixtures/board.ts';
import { addTestCampaign, SECOND_GOALS } from '../fixtures/campaigns.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';

const SLUG = 'opvolging-2030';
const OPEN = 'nog-open-2030';
const ENDED = 'zonder-opvolging-2030';
const ADMIN: Actor = { userId: null, name: 'Beheer Test', role: 'admin', partyId: null, label: 'beheer@example.org' };
const [apps, school] = SECOND_GOALS.map((g) => g.slug) as [string, string];
const PARTIES = [
  { slug: 'kustpartij', name: 'Kustpartij', abbreviation: 'KP', seats: 31, website: null, createdAt: new Date('2026-01-01T00:00:00Z') },
  { slug: 'vrije-burgers', name: 'Vrije Burgers', abbreviation: 'VB', seats: 17, website: null, createdAt: new Date('2026-01-01T00:00:00Z') },
];
const AT = '2026-04-01T00:00:00.000Z';

const unescape = (html: string) => html.replaceAll('&amp;', '&').replaceAll('&quot;', '"').replaceAll('&lt;', '<').replaceAll('&gt;', '>');
/** The builder's snippet, as the journalist copies it. */
const snippetOf = (html: string) => unescape(/<textarea id="snippet"[^>]*>([^<]*)<\/textarea>/.exec(html)![1]!);
const attr = (tag: string, name: string) => unescape(new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1] ?? '');
const previewOf = (html: string) => /<iframe src="[^"]*"[^>]*class="preview"[^>]*>/.exec(html)![0];
const mainOf = (html: string) => html.slice(html.indexOf('<main'), html.indexOf('</main>'));
const hrefsIn = (html: string) => [...html.matchAll(/href="([^"]+)"/g)].map((m) => unescape(m[1]!));

describe('the follow-up embed in the builder, oEmbed and Pers & data', () => {
  let site: TestSite;
  const get = (path: string) => fetch(new URL(path, site.url));
  const oembed = (page: string) => get(`/oembed?url=${encodeURIComponent(site.origin + page)}`);

  beforeAll(async () => {
    site = await startTestSite('pglite');
    const { db } = site;
    const campaignId = await addTestCampaign(db, { slug: SLUG, state: 'open', name: 'Opvolgingscampagne' });
    await addTestCampaign(db, { slug: OPEN, state: 'open', name: 'Open campagne' });
    await addTestCampaign(db, { slug: ENDED, state: 'open', name: 'Oude campagne' });
    await db.update(campaigns).set({ state: 'archived' }).where(eq(campaigns.slug, ENDED));
    const ids = await addTestParties(db, PARTIES, campaignId);
    const saved = await savePledge(db, {
      campaignId,
      partySlug: 'kustpartij',
      goalSlug: apps,
      goalSlugs: [apps, school],
      baseVersion: 0,
      input: { stance: 'committed', statement: 'Ja.', evidenceUrl: 'https://example.org/p.pdf', evidencePage: 1 },
      actor: testRep(ids.get('kustpartij')!),
      now: new Date('2026-02-01T00:00:00Z'),
    });
    expect(saved.status).toBe('saved');
    await db.update(campaigns).set({ state: 'follow-up' }).where(eq(campaigns.id, campaignId));
    const rated = await rateFollowUp(
      db,
      campaignId,
      {
        partySlug: 'vrije-burgers',
        goalSlug: apps,
        status: 'broken',
        brokenReason: 'changed-position',
        citationUrl: 'https://example.org/stemmingsuitslag',
        explanation: 'Stemde tegen de motie die het doel dichterbij brengt.',
      },
      { actor: ADMIN, now: new Date('2026-03-15T00:00:00Z') },
    );
    expect(rated.status).toBe('done');
    await site.app.boardVersion.refresh();
  });
  afterAll(() => site?.close());

  it('the builder offers the follow-up of a campaign in follow-up: its code with title and height, under the campaign, and a preview', async () => {
    for (const [builder, embed, title] of [
      [`/campagnes/${SLUG}/insluiten`, `/campagnes/${SLUG}/embed/opvolging`, 'Opvolging na de verkiezingen'],
      [`/en/campaigns/${SLUG}/embedding`, `/en/campaigns/${SLUG}/embed/follow-up`, 'Follow-up after the election'],
    ] as const) {
      const plain = await (await get(builder)).text();
      const kindLink = hrefsIn(mainOf(plain)).find((href) => href.includes('what=follow-up'));
      expect(kindLink, builder).toBe(`${builder}?what=follow-up#code`);
      const html = await (await get(`${builder}?what=follow-up&time=live`)).text();
      expect(html, builder).toMatch(/<a href="[^"]*what=follow-up[^"]*" aria-current="true">/);
      expect(html).not.toContain('data-follow-up-unavailable');
      const iframe = /<iframe [^>]*>/.exec(snippetOf(html))![0];
      expect(attr(iframe, 'src'), builder).toBe(site.origin + embed);
      expect(attr(iframe, 'title'), builder).toBe(title);
      // Two goals, two parties, one rating: taller than the scoreboard embed of two parties.
      expect(Number(attr(iframe, 'height')), builder).toBeGreaterThan(800);
      expect(snippetOf(html)).toContain(`<script src="${site.origin}/embed.js" async></script>`);
      const preview = previewOf(html);
      expect(attr(preview, 'src'), builder).toBe(embed);
      expect(attr(preview, 'title'), builder).toBe(title);
      const shown = await get(embed);
      expect(shown.status, embed).toBe(200);
      expect(await shown.text()).toContain('data-party="vrije-burgers"');
    }
  });

  it('the builder narrows the follow-up (a shorter frame) and freezes it at a moment', async () => {
    const builder = `/campagnes/${SLUG}/insluiten?what=follow-up`;
    const whole = /<iframe [^>]*>/.exec(snippetOf(await (await get(`${builder}&time=live`)).text()))![0];
    const html = await (await get(`${builder}&parties=kustpartij&goals=${apps}&time=frozen&at=${AT}`)).text();
    const iframe = /<iframe [^>]*>/.exec(snippetOf(html))![0];
    const src = new URL(attr(iframe, 'src'));
    expect(src.pathname).toBe(`/campagnes/${SLUG}/embed/opvolging`);
    expect(Object.fromEntries(src.searchParams)).toEqual({ parties: 'kustpartij', goals: apps, at: AT });
    expect(Number(attr(iframe, 'height'))).toBeLessThan(Number(attr(whole, 'height')));
    const frozen = await get(src.pathname + src.search);
    expect(frozen.status).toBe(200);
    const embed = await frozen.text();
    expect(embed).toContain('data-party="kustpartij"');
    expect(embed).not.toContain('data-party="vrije-burgers"');
  });

  it('a campaign before its follow-up, or archived without one, has no follow-up in the builder and says why', async () => {
    for (const [builder, why] of [
      [`/campagnes/${OPEN}/insluiten`, 'De opvolging na de verkiezingen is in te sluiten zodra de campagne de toezeggingen opvolgt.'],
      [`/en/campaigns/${OPEN}/embedding`, 'The follow-up after the election can be embedded once the campaign follows up the pledges.'],
      [`/campagnes/${ENDED}/insluiten`, 'Deze campagne heeft na de verkiezingen geen opvolging gehad: er is niets van in te sluiten.'],
      [`/en/campaigns/${ENDED}/embedding`, 'This campaign had no follow-up after the election: there is none to embed.'],
    ] as const) {
      // Asked for anyway (an old link): the scoreboard, and the reason.
      const response = await get(`${builder}?what=follow-up&time=live`);
      expect(response.status, builder).toBe(200);
      const html = await response.text();
      expect(html, builder).toContain(why);
      expect(
        hrefsIn(mainOf(html)).filter((href) => href.includes('what=follow-up')),
        builder,
      ).toEqual([]);
      expect(attr(/<iframe [^>]*>/.exec(snippetOf(html))![0], 'src'), builder).toMatch(/\/embed\/scoreboard$/);
    }
  });

  it('stays offered once the campaign is archived after its follow-up', async () => {
    await site.db.update(campaigns).set({ state: 'archived' }).where(eq(campaigns.slug, SLUG));
    await site.app.boardVersion.refresh();
    try {
      const html = await (await get(`/campagnes/${SLUG}/insluiten?what=follow-up&time=live`)).text();
      expect(attr(/<iframe [^>]*>/.exec(snippetOf(html))![0], 'src')).toBe(`${site.origin}/campagnes/${SLUG}/embed/opvolging`);
      expect((await oembed(`/campagnes/${SLUG}/opvolging`)).status).toBe(200);
    } finally {
      await site.db.update(campaigns).set({ state: 'follow-up' }).where(eq(campaigns.slug, SLUG));
      await site.app.boardVersion.refresh();
    }
  });

  it('oEmbed answers for the follow-up page and its embed (frozen, narrowed), with the iframe under the campaign', async () => {
    for (const [page, embed, title] of [
      [`/campagnes/${SLUG}/opvolging`, `/campagnes/${SLUG}/embed/opvolging`, 'Opvolging: Opvolgingscampagne'],
      [`/en/campaigns/${SLUG}/follow-up?at=${AT}`, `/en/campaigns/${SLUG}/embed/follow-up?at=${encodeURIComponent(AT)}`, 'Follow-up: Opvolgingscampagne (en)'],
      [
        `/campagnes/${SLUG}/embed/opvolging?parties=kustpartij&theme=dark`,
        `/campagnes/${SLUG}/embed/opvolging?parties=kustpartij&theme=dark`,
        'Opvolging: Opvolgingscampagne',
      ],
    ] as const) {
      const answer = await oembed(page);
      expect(answer.status, page).toBe(200);
      const body = (await answer.json()) as { type: string; title: string; html: string; height: number };
      expect(body.type).toBe('rich');
      expect(body.title, page).toBe(title);
      expect(body.html, page).toContain(`src="${site.origin}${embed.replaceAll('&', '&amp;')}"`);
      expect(body.html, page).toContain(`height="${body.height}"`);
      expect(body.height, page).toBeGreaterThan(500);
    }
    // The follow-up page's discovery link leads to an answer.
    const head = await (await get(`/campagnes/${SLUG}/opvolging`)).text();
    const discovery = unescape(/<link rel="alternate" type="application\/json\+oembed" href="([^"]+)"/.exec(head)![1]!);
    expect((await get(discovery)).status).toBe(200);
    // No follow-up to show, or a party not on the board: none.
    for (const page of [
      `/campagnes/${OPEN}/opvolging`,
      `/campagnes/${OPEN}/embed/opvolging`,
      `/campagnes/${ENDED}/embed/opvolging`,
      `/campagnes/${SLUG}/embed/opvolging?parties=verzonnen`,
    ]) {
      expect((await oembed(page)).status, page).toBe(404);
    }
  });

  it('Pers & data lists the follow-up embed and files of a campaign in follow-up, and says why not for another', async () => {
    for (const [page, builder, feed] of [
      [`/campagnes/${SLUG}/pers-en-data`, `/campagnes/${SLUG}/insluiten?what=follow-up#code`, `/campagnes/${SLUG}/opvolging/feed.xml`],
      [`/en/campaigns/${SLUG}/press-and-data`, `/en/campaigns/${SLUG}/embedding?what=follow-up#code`, `/en/campaigns/${SLUG}/follow-up/feed.xml`],
    ] as const) {
      const links = hrefsIn(mainOf(await (await get(page)).text()));
      for (const expected of [builder, feed, `/api/v1/campaigns/${SLUG}/follow-up.json`, `/api/v1/campaigns/${SLUG}/follow-up.csv`]) {
        expect(links, page).toContain(expected);
        expect((await get(expected)).status, expected).toBe(200);
      }
      // Each other kind of embed is listed too, each leading to the builder with that kind chosen.
      for (const kind of ['scoreboard', 'party', 'goal'])
        expect(
          links.some((href) => href.includes(`what=${kind}`)),
          `${page}: ${kind}`,
        ).toBe(true);
    }
    const frozen = hrefsIn(mainOf(await (await get(`/campagnes/${SLUG}/pers-en-data?at=${AT}`)).text()));
    expect(frozen).toContain(`/api/v1/campaigns/${SLUG}/follow-up.json?at=${encodeURIComponent(AT)}`);
    for (const [page, why] of [
      [`/campagnes/${OPEN}/pers-en-data`, 'De opvolging na de verkiezingen is in te sluiten zodra de campagne de toezeggingen opvolgt.'],
      [`/en/campaigns/${OPEN}/press-and-data`, 'The follow-up after the election can be embedded once the campaign follows up the pledges.'],
    ] as const) {
      const html = await (await get(page)).text();
      expect(html, page).toContain(why);
      expect(
        hrefsIn(mainOf(html)).filter((href) => href.includes('follow-up') || href.includes('opvolging')),
        page,
      ).toEqual([]);
    }
  });
});
