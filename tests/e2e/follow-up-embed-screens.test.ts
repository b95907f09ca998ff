/**
 * The follow-up embed in the embed builder, in Chromium (artifacts/screenshots/builder-follow-up-*):
 * the builder with the follow-up chosen, its preview and code, at 320 and 390 px (768 and 1280
 * too with SCREENSHOTS=all), light and dark, without JavaScript and once with it; the builder of
 * a campaign without follow-up saying why; Pers & data's list of embeds. The snippet's height,
 * where a page strips the loader, shows the whole embed at 300, 360 and 680 px. Fictional
 * campaign and parties.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addFollowUpCampaign, addFollowUpRatings, APPS as apps } from '../fixtures/follow-up.ts';
import { describeInBrowser, launchBrowser } from '../helpers/browser.ts';
import { SCREENSHOT_DIR, SCREENSHOT_WIDTHS } from '../helpers/screenshots.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';

const SCHEMES = ['light', 'dark'] as const;
const SLUG = 'opvolging-2030';

describeInBrowser('the follow-up embed in the builder (Chromium)', () => {
  let site: TestSite;
  let browser: Browser;

  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    site = await startTestSite('pglite');
    const { db } = site;
    const { campaignId, ids } = await addFollowUpCampaign(db, { slug: SLUG, name: 'Kinderen veilig online (test)' });
    await addFollowUpRatings(db, campaignId, ids);
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
