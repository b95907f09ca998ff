/**
 * The follow-up embed in the embed builder, in Chromium (artifacts/screenshots/builder-follow-up-*):
 * the builder with the follow-up chosen, its preview and code, at 320 and 390 px (768 and 1280
 * too with SCREENSHOTS=all), light and dark, without JavaScript and once with it; the builder of
 * a campaign without follow-up saying why; Pers & data's list of embeds. The snippet's height,
 * where a page strips the loader, shows the whole embed at 300, 360 and 680 px. Fictional
 * campaign and parties.
 */
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { campaigns } from '../../src/db/schema.ts';
import type { Actor } from '../../src/domain/actors.ts';
import { rateFollowUp } from '../../src/domain/follow-up.ts';
import { linkZaak } from '../../src/domain/parliament/items.ts';
import { parseZaakResponse } from '../../src/domain/parliament/zaak.ts';
import { addReply } from '../../src/domain/replies.ts';
import { savePledge } from '../../src/domain/pledges.ts';
import { PROJECT_ROOT } from '../../src/server/build.ts';
import { addTestParties, testRep } from '../fixtures/board.ts';
import { addTestCampaign, SECOND_GOALS } from '../fixtures/campaigns.ts';
import { describeInBrowser, launchBrowser } from '../helpers/browser.ts';
import { SCREENSHOT_DIR, SCREENSHOT_WIDTHS } from '../helpers/screenshots.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';

const SCHEMES = ['light', 'dark'] as const;
const SLUG = 'opvolging-2030';
const ADMIN: Actor = { userId: null, name: 'Anna de Vries', role: 'admin', partyId: null, label: 'beheer@campagne.example' };
const [apps, school] = SECOND_GOALS.map((g) => g.slug) as [string, string];

describeInBrowser('the follow-up embed in the builder (Chromium)', () => {
  let site: TestSite;
  let browser: Browser;

  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    site = await startTestSite('pglite');
    const { db } = site;
    const campaignId = await addTestCampaign(db, { slug: SLUG, state: 'open', name: 'Kinderen veilig online (test)' });
    const ids = await addTestParties(
      db,
      [
        { slug: 'kustpartij', name: 'Kustpartij', abbreviation: 'KP', seats: 31, website: null },
        { slug: 'vrije-burgers', name: 'Vrije Burgers', abbreviation: 'VB', seats: 17, website: null },
        { slug: 'samen-verzonnen-langere-naam', name: 'Samen Verzonnen voor een Langere Partijnaam', abbreviation: 'SVLP', seats: 2, website: null },
      ],
      campaignId,
    );
    for (const [party, goal, stance] of [
      ['kustpartij', apps, 'committed'],
      ['kustpartij', school, 'partial'],
      ['vrije-burgers', apps, 'declined'],
    ] as const) {
      await savePledge(db, {
        campaignId,
        partySlug: party,
        goalSlug: goal,
        goalSlugs: [apps, school],
        baseVersion: 0,
        input: { stance, statement: 'Verzonnen.', evidenceUrl: 'https://example.org/p.pdf', evidencePage: 1 },
        actor: testRep(ids.get(party)!),
      });
    }
    await db.update(campaigns).set({ state: 'follow-up' }).where(eq(campaigns.id, campaignId));
    const motion = parseZaakResponse(JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'tests', 'fixtures', 'tk', 'motion.json'), 'utf8')));
    await linkZaak(db, campaignId, { goalSlug: apps, effect: 'advances', item: motion }, { actor: ADMIN });
    await linkZaak(db, campaignId, { goalSlug: school, effect: 'undermines', item: motion }, { actor: ADMIN });
    const rate = (partySlug: string, goalSlug: string, status: string, explanation: string, brokenReason: string | null = null) =>
      rateFollowUp(
        db,
        campaignId,
        { partySlug, goalSlug, status, brokenReason, citationUrl: 'https://example.org/kamerstukken/een-heel-lang-adres-zonder-spaties-2031', explanation },
        { actor: ADMIN },
      );
    await rate('kustpartij', apps, 'kept', 'De motie is aangenomen en uitgevoerd; het meldpunt is er.');
    const broken = await rate('vrije-burgers', apps, 'broken', 'Stemde tegen de motie.', 'changed-position');
    if (broken.status !== 'done') throw new Error(broken.status);
    await addReply(
      db,
      campaignId,
      { subject: 'follow-up', subjectId: broken.rating.id, text: 'Wij stemden tegen deze motie, niet tegen het doel: ons eigen voorstel volgt.' },
      { actor: testRep(ids.get('vrije-burgers')!) },
    );
    await rate('kustpartij', school, 'stalled', 'Geen voortgang sinds de begroting.');
    await site.app.boardVersion.refresh();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  async function open(width: number, colorScheme: 'light' | 'dark', javaScriptEnabled = false, height = 900): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height }, colorScheme, javaScriptEnabled });
    return context.newPage();
  }

  async function shoot(page: Page, name: string): Promise<void> {
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    expect(scrollWidth, name).toBeLessThanOrEqual(innerWidth);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
  }

  it('the builder with the follow-up chosen: code, options and preview; another campaign says why it has none', async () => {
    for (const width of SCREENSHOT_WIDTHS) {
      for (const scheme of SCHEMES) {
        const page = await open(width, scheme);
        await page.goto(new URL(`/campagnes/${SLUG}/insluiten?what=follow-up#code`, site.url).href);
        await expect(page.locator('.builder-kinds [aria-current]').innerText()).resolves.toBe('De opvolging');
        await expect(page.locator('#snippet').inputValue()).resolves.toContain(`/campagnes/${SLUG}/embed/opvolging`);
        await shoot(page, `builder-follow-up-${width}-${scheme}-nojs`);
        await page.goto(new URL('/insluiten', site.url).href);
        await expect(page.locator('[data-follow-up-unavailable]').innerText()).resolves.toContain('zodra de campagne de toezeggingen opvolgt');
        await shoot(page, `builder-no-follow-up-${width}-${scheme}-nojs`);
        await page.context().close();
      }
    }
    const page = await open(390, 'light', true);
    await page.goto(new URL(`/en/campaigns/${SLUG}/embedding?what=follow-up&parties=kustpartij#code`, site.url).href);
    await page.frameLocator('iframe.preview').locator('[data-party="kustpartij"]').first().waitFor();
    await shoot(page, 'builder-follow-up-390-light');
    // Pers & data lists it with the follow-up's files.
    await page.goto(new URL(`/campagnes/${SLUG}/pers-en-data`, site.url).href);
    await expect(page.locator('[data-embed="follow-up"] a').getAttribute('href')).resolves.toBe(`/campagnes/${SLUG}/insluiten?what=follow-up#code`);
    await page.locator('#embed').scrollIntoViewIfNeeded();
    await page.locator('section:has(#embed)').screenshot({ path: path.join(SCREENSHOT_DIR, 'press-follow-up-embed-390-light.png') });
    await page.context().close();
  });

  it("without the loader, the builder's follow-up snippet is tall enough to show the whole embed at 300, 360 and 680 px", async () => {
    const builder = await open(1000, 'light');
    const snippets: [string, string, number][] = [];
    for (const query of ['what=follow-up', `what=follow-up&goals=${apps}`, 'what=follow-up&parties=kustpartij', 'what=follow-up&lang=en']) {
      await builder.goto(new URL(`/campagnes/${SLUG}/insluiten?${query}&time=live`, site.url).href);
      const iframe = (await builder.locator('#snippet').inputValue()).match(/<iframe src="([^"]+)"[^>]* height="(\d+)"/)!;
      snippets.push([query, iframe[1]!.replaceAll('&amp;', '&'), Number(iframe[2])]);
    }
    await builder.context().close();
    for (const width of [300, 360, 680]) {
      for (const [query, src, height] of snippets) {
        // The embed in a frame of the snippet's size: its page is the frame's viewport.
        const page = await open(width, 'light', false, height);
        await page.goto(src);
        const content = await page.evaluate(() => Math.max(document.documentElement.scrollHeight, Math.ceil(document.body.getBoundingClientRect().bottom)));
        expect(content, `${query} at ${width} px: the embed's height within the snippet's ${height}`).toBeLessThanOrEqual(height);
        await page.context().close();
      }
    }
  });
});
