/**
 * "Forgot your password?" in Chromium: from the sign-in page's link to the confirmation, at
 * 320 and 390 px (768 and 1280 too with SCREENSHOTS=all), light and dark, with JavaScript on
 * and off; an empty address gets the error summary (focused, linking to the field). No screen
 * scrolls sideways.
 * Screenshots go to artifacts/screenshots/forgot-password-*.png for people to look at.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, launchBrowser } from '../helpers/browser.ts';
import { SCREENSHOT_DIR, SCREENSHOT_WIDTHS } from '../helpers/screenshots.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';

describeInBrowser('forgot password screens (Chromium)', () => {
  let site: TestSite;
  let browser: Browser;

  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    // TRUST_PROXY: each screen's request comes from its own (documentation) address, so the
    // runs below stay within the per-IP limit.
    site = await startTestSite('pglite', { TRUST_PROXY: '1' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  async function shoot(page: Page, name: string): Promise<void> {
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    expect(scrollWidth, name).toBeLessThanOrEqual(innerWidth);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `forgot-password-${name}.png`), fullPage: true });
  }

  it('goes from the sign-in page to the confirmation, at every width, light and dark, JS on and off', async () => {
    let run = 0;
    for (const javaScriptEnabled of [true, false]) {
      for (const colorScheme of ['light', 'dark'] as const) {
        for (const width of SCREENSHOT_WIDTHS) {
          run += 1;
          const context = await browser.newContext({
            viewport: { width, height: 800 },
            colorScheme,
            javaScriptEnabled,
            extraHTTPHeaders: { 'x-forwarded-for': `198.51.100.${run}` },
          });
          const page = await context.newPage();
          const name = `${width}-${colorScheme}-${javaScriptEnabled ? 'js' : 'nojs'}`;
          await page.goto(new URL('/inloggen', site.url).href);
          await shoot(page, `sign-in-${name}`);
          await page.getByRole('link', { name: 'Wachtwoord vergeten?' }).click();
          await page.waitForURL('**/wachtwoord-vergeten');
          await shoot(page, `form-${name}`);

          await page.getByRole('button', { name: 'Stuur de link' }).click();
          await page.waitForLoadState();
          const summary = page.locator('[role="alert"]');
          await expect.poll(() => summary.textContent()).toContain('E-mailadres: Vul dit veld in.');
          expect(await summary.getByRole('link').getAttribute('href')).toBe('#field-email');
          await shoot(page, `error-${name}`);

          await page.getByLabel('E-mailadres').fill(`iemand-${run}@nergens.example`);
          await page.getByRole('button', { name: 'Stuur de link' }).click();
          await page.waitForURL('**/wachtwoord-vergeten?verstuurd=1');
          expect(await page.locator('h1').textContent()).toBe('Kijk in je mail');
          await shoot(page, `sent-${name}`);
          await context.close();
        }
      }
    }
  });

  it('answers an IP past its limit with a clear 429 page', async () => {
    const ip = '198.51.100.250';
    for (let i = 0; i < 20; i++) {
      const response = await fetch(new URL('/wachtwoord-vergeten?_action=requestPasswordReset', site.url), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: site.origin, 'x-forwarded-for': ip },
        body: `email=raden-${i}%40nergens.example`,
        redirect: 'manual',
      });
      expect(response.status).toBe(303);
    }
    for (const colorScheme of ['light', 'dark'] as const) {
      const context = await browser.newContext({
        viewport: { width: 320, height: 800 },
        colorScheme,
        javaScriptEnabled: false,
        extraHTTPHeaders: { 'x-forwarded-for': ip },
      });
      const page = await context.newPage();
      await page.goto(new URL('/wachtwoord-vergeten', site.url).href);
      await page.getByLabel('E-mailadres').fill('nog-een@nergens.example');
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        page.getByRole('button', { name: 'Stuur de link' }).click(),
      ]);
      expect(response.status()).toBe(429);
      await page.waitForLoadState();
      expect(await page.locator('[role="alert"]').textContent()).toContain('Te veel aanvragen vanaf dit netwerk.');
      await shoot(page, `too-many-320-${colorScheme}-nojs`);
      await context.close();
    }
  });

  it('speaks English on the English page', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 800 }, extraHTTPHeaders: { 'x-forwarded-for': '198.51.100.200' } });
    const page = await context.newPage();
    await page.goto(new URL('/en/sign-in', site.url).href);
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByLabel('Email address').fill('someone@nowhere.example');
    await page.getByRole('button', { name: 'Send the link' }).click();
    await page.waitForURL('**/en/forgot-password?verstuurd=1');
    await shoot(page, 'sent-390-en');
    expect(await page.locator('main').textContent()).toContain(
      'If an account exists for that address, we sent a link to it. The link works once, for 2 hours.',
    );
    await context.close();
  });
});
