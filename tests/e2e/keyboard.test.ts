/**
 * Keyboard only: the skip link comes first and works, every control on every kind of page can
 * be reached with Tab, whatever has focus shows it clearly (the site's 3 px outline), and the
 * scoreboard can be sorted and filtered without a mouse.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSession, SESSION_COOKIE } from '../../src/credentials/sessions.ts';
import { pathTo } from '../../src/i18n/routes.ts';
import { createAccount } from '../helpers/accounts.ts';
import { describeInBrowser, launchBrowser } from '../helpers/browser.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';

/** Marks every element a keyboard user should be able to reach, and returns how many. */
async function markFocusables(page: Page): Promise<number> {
  return page.evaluate(() => {
    const selector =
      'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';
    const visible = (el: Element) => {
      const box = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      return box.width > 0 && box.height > 0 && style.visibility !== 'hidden';
    };
    let index = 0;
    for (const el of document.querySelectorAll<HTMLElement>(selector)) {
      // The skip link is off-screen until it has focus.
      const isSkip = el.classList.contains('skip-link');
      // A radio group is one Tab stop: its checked radio, or its first when none is checked.
      let otherRadio = false;
      if (el instanceof HTMLInputElement && el.type === 'radio') {
        const group = [...(el.form ?? document).querySelectorAll<HTMLInputElement>(`input[type=radio][name="${el.name}"]`)];
        otherRadio = el !== (group.find((radio) => radio.checked) ?? group[0]);
      }
      // Folded away in a closed <details>: reached after opening it (its summary is a Tab stop).
      const folded = Boolean(el.closest('details:not([open])')) && !el.closest('summary');
      if ((isSkip || visible(el)) && !otherRadio && !folded) el.dataset.kb = String(index++);
    }
    return index;
  });
}

interface Focused {
  kb: string | null;
  tag: string;
  outline: string;
  shadow: string;
  inViewport: boolean;
}

async function focused(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    let el = document.activeElement as HTMLElement;
    // In a frame of this site (the builder's preview) the focus ring is drawn on the element
    // inside it; where that element is on screen is where the frame is.
    const frame = el instanceof HTMLIFrameElement ? el : null;
    const inner = frame?.contentDocument?.activeElement as HTMLElement | null | undefined;
    if (inner && inner !== frame!.contentDocument!.body) el = inner;
    const style = getComputedStyle(el);
    const box = (frame ?? el).getBoundingClientRect();
    return {
      kb: el.dataset.kb ?? null,
      tag: el.tagName.toLowerCase() + (el.id ? `#${el.id}` : '') + (el.className ? `.${String(el.className).split(' ')[0]}` : ''),
      outline: `${style.outlineStyle} ${style.outlineWidth}`,
      shadow: style.boxShadow,
      inViewport: box.bottom > 0 && box.top < window.innerHeight && box.right > 0 && box.left < window.innerWidth,
    };
  });
}

// The user asks for reduced motion, which the site honours (no smooth scrolling, see
// global.css): focus scrolls a control into view at once, so each step is checked as it lands.
const REDUCED_MOTION = { reducedMotion: 'reduce' } as const;

describeInBrowser('keyboard only (Chromium)', () => {
  let site: TestSite;
  let browser: Browser;
  let repContext: BrowserContext;
  let adminContext: BrowserContext;

  beforeAll(async () => {
    site = await startTestSite('pglite', { DEMO: '1' });
    const rep = await createAccount(site.db, { email: 'rep@kompas.example', party: 'kompas' });
    const { token } = await createSession(site.db, rep.user.id);
    browser = await launchBrowser();
    repContext = await browser.newContext(REDUCED_MOTION);
    await repContext.addCookies([{ name: SESSION_COOKIE, value: token, url: site.url }]);
    const admin = await createAccount(site.db, { email: 'beheer@campagne.example', totp: true });
    const adminSession = await createSession(site.db, admin.user.id, { twoFactorVerified: true });
    adminContext = await browser.newContext(REDUCED_MOTION);
    await adminContext.addCookies([{ name: SESSION_COOKIE, value: adminSession.token, url: site.url }]);
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('the first Tab shows the skip link, and Enter moves focus to the content', async () => {
    const page = await browser.newPage(REDUCED_MOTION);
    await page.goto(site.url);
    await page.keyboard.press('Tab');
    const first = await focused(page);
    expect(first.tag).toContain('a.skip-link');
    expect(first.inViewport).toBe(true);
    expect(first.outline).toMatch(/^solid [1-9]/);
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    // The next Tab goes to the first control inside the content, not back to the header.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => Boolean(document.activeElement?.closest('main')))).toBe(true);
    await page.close();
  });

  for (const [name, path, who] of [
    ['scoreboard', pathTo('scoreboard', 'nl'), 'anonymous'],
    ['goal', pathTo('goal', 'en', { slug: 'financiering' }), 'anonymous'],
    ['party', pathTo('party', 'nl', { slug: 'zeewind' }), 'anonymous'],
    ['compare', `${pathTo('compare', 'en')}?parties=zeewind,kompas`, 'anonymous'],
    ['about', pathTo('about', 'nl'), 'anonymous'],
    ['embed builder', pathTo('embedBuilder', 'nl'), 'anonymous'],
    ['sign in', pathTo('signIn', 'nl'), 'anonymous'],
    ['my party (pledge forms)', pathTo('myParty', 'nl'), 'rep'],
    ['admin: a party', pathTo('adminParty', 'nl', { slug: 'kompas' }), 'admin'],
    ['admin: invitations', pathTo('adminInvitations', 'en'), 'admin'],
  ] as const) {
    it(`${name}: Tab reaches every control, each with a visible focus`, async () => {
      const page = who === 'rep' ? await repContext.newPage() : who === 'admin' ? await adminContext.newPage() : await browser.newPage(REDUCED_MOTION);
      await page.goto(new URL(path, site.url).href);
      expect(new URL(page.url()).pathname, 'not sent elsewhere (e.g. to sign in)').toBe(path.split('?')[0]);
      expect(await page.evaluate(() => getComputedStyle(document.documentElement).scrollBehavior), 'no smooth scrolling when motion is reduced').toBe('auto');
      const total = await markFocusables(page);
      expect(total).toBeGreaterThan(3);
      const reached = new Set<string>();
      for (let i = 0; i < total + 20; i++) {
        await page.keyboard.press('Tab');
        const now = await focused(page);
        if (now.tag === 'body') break;
        if (now.kb !== null) reached.add(now.kb);
        // The site's own focus ring (3 px solid), not the browser's thin default.
        expect(now.outline, `focus visible on ${now.tag}`).toMatch(/^solid [3-9]/);
        expect(now.inViewport, `${now.tag} scrolled into view`).toBe(true);
      }
      const missed = await page.evaluate(
        (seen) =>
          [...document.querySelectorAll<HTMLElement>('[data-kb]')].filter((el) => !seen.includes(el.dataset.kb!)).map((el) => el.outerHTML.slice(0, 80)),
        [...reached],
      );
      expect(missed).toEqual([]);
      await page.close();
    });
  }

  it('sorts and filters the scoreboard with the keyboard alone', async () => {
    const page = await browser.newPage(REDUCED_MOTION);
    await page.goto(site.url);
    const tabTo = async (selector: string) => {
      for (let i = 0; i < 60; i++) {
        await page.keyboard.press('Tab');
        if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
      }
      throw new Error(`Tab never reached ${selector}`);
    };
    await tabTo('select#sort');
    await page.keyboard.type('naam'); // a focused list picks the option you type
    await tabTo('select#stance');
    await page.keyboard.type('niet');
    await tabTo('.board-controls button[type=submit]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/sorteer=naam/);
    expect(page.url()).toMatch(/standpunt=niet-toegezegd/);
    expect(await page.locator('tbody th[scope="row"] a').allInnerTexts()).toEqual(['Brugpartij', 'Zeewind']);
    await page.close();
  });
});
