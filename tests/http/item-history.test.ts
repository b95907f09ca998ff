/**
 * The public record of a parliamentary item's link (review of issue 15): its page lists every
 * import and unlink ("History of this link"), an unlinked item keeps its page with the unlink's
 * date and public reason, and only a number never linked (by `at`) is a 404, oEmbed too;
 * follow-up.json lists the same in `itemHistory` (against OpenAPI) and the Atom feed has an
 * entry for each. Fictional campaign and parties.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/actors.ts';
import { linkZaak, unlinkItem } from '../../src/domain/parliament/items.ts';
import { addTestParties } from '../fixtures/board.ts';
import { addTestCampaign, SECOND_GOALS } from '../fixtures/campaigns.ts';
import { readMotion } from '../fixtures/follow-up.ts';
import { ENGINES } from '../helpers/engines.ts';
import { responseValidator, type OpenApiDocument } from '../helpers/openapi-validator.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';
import { strictXmlErrors } from '../helpers/strict-xml.ts';

const SLUG = 'koppelingen-2030';
const ADMIN: Actor = { userId: null, name: 'Beheer Test', role: 'admin', partyId: null, label: 'beheer@example.org' };
const motion = readMotion();
const NUMBER = motion.number;
const [apps] = SECOND_GOALS.map((g) => g.slug) as [string];
const LINKED = new Date('2026-03-10T09:00:00Z');
const FLIPPED = new Date('2026-03-11T09:00:00Z');
const UNLINKED = new Date('2026-03-12T09:00:00Z');
const REASON = 'Verkeerd doel gekozen: deze motie gaat over scholen.';
const PARTIES = [{ slug: 'kustpartij', name: 'Kustpartij', abbreviation: 'KP', seats: 31, website: null, createdAt: new Date('2026-01-01T00:00:00Z') }];
const at = (d: Date, ms = 0) => `?at=${encodeURIComponent(new Date(d.getTime() + ms).toISOString())}`;

describe.each(ENGINES)('the history of an item’s link in public, on %s', (engine) => {
  let site: TestSite;
  const get = (p: string) => fetch(new URL(p, site.url));
  const page = (number: string, query = '') => get(`/campagnes/${SLUG}/opvolging/kamerstukken/${number}${query}`);
  let errorsOf: ReturnType<typeof responseValidator>;

  beforeAll(async () => {
    site = await startTestSite(engine);
    const { db } = site;
    const campaignId = await addTestCampaign(db, { slug: SLUG, state: 'follow-up', name: 'Koppelingscampagne' });
    await addTestParties(db, PARTIES, campaignId);
    expect(await linkZaak(db, campaignId, { goalSlug: apps, effect: 'advances', item: motion }, { actor: ADMIN, now: LINKED })).toMatchObject({
      status: 'done',
    });
    expect(await linkZaak(db, campaignId, { goalSlug: apps, effect: 'undermines', item: motion }, { actor: ADMIN, now: FLIPPED })).toMatchObject({
      status: 'done',
    });
    expect(await unlinkItem(db, campaignId, { goalSlug: apps, number: NUMBER, reason: REASON }, { actor: ADMIN, now: UNLINKED })).toMatchObject({
      status: 'done',
    });
    await site.app.boardVersion.refresh();
    errorsOf = responseValidator((await (await get('/api/v1/openapi.json')).json()) as OpenApiDocument);
  });
  afterAll(() => site?.close());

  it('keeps an unlinked item’s page with the unlink’s date and reason, and its history newest first', async () => {
    const res = await page(NUMBER);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(new RegExp(`data-unlinked="${apps}"[^>]*>\\s*Ontkoppeld op [^<]*: ${REASON.replace('.', '\\.')}`));
    expect(html).toContain('Geschiedenis van deze koppeling');
    const entries = [...html.matchAll(/<li data-history="(import|unlink)" data-goal="([^"]+)">\s*<time datetime="([^"]+)"/g)].map((m) => [m[1], m[2], m[3]]);
    expect(entries).toEqual([
      ['unlink', apps, UNLINKED.toISOString()],
      ['import', apps, FLIPPED.toISOString()],
      ['import', apps, LINKED.toISOString()],
    ]);
    expect(html).toContain('ondermijnt het doel<strong> (effect gewijzigd)</strong>');
    expect(html).toContain(`Ontkoppeld van 1. Veilige apps voor kinderen: ${REASON}</li>`);
    expect(html).toContain(`<title>${NUMBER} · `);
    // No votes table: it is not linked now.
    expect(html).not.toContain('id="stemmen"');
    const en = await get(`/en/campaigns/${SLUG}/follow-up/parliament/${NUMBER}`);
    expect(en.status).toBe(200);
    const english = await en.text();
    expect(english).toContain('History of this link');
    expect(english).toMatch(/Unlinked on [^<]*: Verkeerd doel gekozen/);
  });

  it('shows a frozen page as it was: linked with its history then, and 404 before the first link', async () => {
    const frozen = await page(NUMBER, at(UNLINKED, -1));
    expect(frozen.status).toBe(200);
    const html = await frozen.text();
    expect(html).not.toContain('data-unlinked=');
    expect(html).toContain('id="stemmen"');
    expect([...html.matchAll(/data-history="(import|unlink)"/g)].map((m) => m[1])).toEqual(['import', 'import']);
    expect((await page(NUMBER, at(LINKED, -1))).status).toBe(404);
  });

  it('answers 404 only for a number never linked, oEmbed too', async () => {
    expect((await page('2031Z09999')).status).toBe(404);
    const oembed = (p: string) => get(`/oembed?url=${encodeURIComponent(new URL(`/campagnes/${SLUG}/opvolging/kamerstukken/${p}`, site.url).toString())}`);
    expect((await oembed(NUMBER)).status).toBe(200);
    expect((await oembed('2031Z09999')).status).toBe(404);
    expect((await oembed(`${NUMBER}${at(LINKED, -1)}`)).status).toBe(404);
  });

  it('lists every import and unlink in follow-up.json’s itemHistory, as of `at` too, against OpenAPI', async () => {
    const res = await get(`/api/v1/campaigns/${SLUG}/follow-up.json`);
    expect(res.status).toBe(200);
    const data = (await res.json()) as { items: unknown[]; itemHistory: unknown[] };
    expect(errorsOf('/api/v1/campaigns/{campaign}/follow-up.json', 200, data)).toEqual([]);
    expect(data.items).toEqual([]);
    const decision = motion.decision?.text ?? null;
    const imported = (d: Date, effect: string, effectChanged: boolean) => ({
      kind: 'import',
      number: NUMBER,
      goal: apps,
      at: d.toISOString(),
      effect,
      effectChanged,
      decision,
      reason: null,
    });
    expect(data.itemHistory).toEqual([
      { kind: 'unlink', number: NUMBER, goal: apps, at: UNLINKED.toISOString(), effect: null, effectChanged: null, decision: null, reason: REASON },
      imported(FLIPPED, 'undermines', true),
      imported(LINKED, 'advances', false),
    ]);
    const frozen = (await (await get(`/api/v1/campaigns/${SLUG}/follow-up.json${at(FLIPPED, -1)}`)).json()) as { itemHistory: unknown[] };
    expect(errorsOf('/api/v1/campaigns/{campaign}/follow-up.json', 200, frozen)).toEqual([]);
    expect(frozen.itemHistory).toEqual([imported(LINKED, 'advances', false)]);
  });

  it('has an Atom entry for each import and unlink, linking to the item’s page', async () => {
    const res = await get(`/campagnes/${SLUG}/opvolging/feed.xml`);
    expect(res.status).toBe(200);
    const feed = await res.text();
    expect(strictXmlErrors(feed)).toEqual([]);
    const titles = [...feed.matchAll(/<entry>[\s\S]*?<title>([^<]*)<\/title>/g)].map((m) => m[1]);
    expect(titles).toEqual([
      `Kamerstuk ${NUMBER} ontkoppeld van 1. ${SECOND_GOALS[0].title}`,
      expect.stringContaining('ondermijnt het doel'),
      expect.stringContaining('brengt het doel dichterbij'),
    ]);
    expect(feed).toContain(`/campagnes/${SLUG}/opvolging/kamerstukken/${NUMBER}"`);
    expect(feed).toContain(REASON);
  });
});
