/**
 * The scoreboard on a phone (issue 12), in Chromium at 320 and 390 px, Dutch and English:
 * stances in the first screen, every goal of the first party in view and not covered, the goal
 * headers staying in view while the reader scrolls, the words of each stance read out, shown
 * in the key and one tap away (each icon links to its statement), the filters folded away, and parties picked for comparison without JavaScript.
 * On the demo board (fictional parties).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeInBrowser, launchBrowser } from '../helpers/browser.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const PHONES = [
  { width: 320, height: 568 },
  { width: 390, height: 844 },
] as const;

/** Where the first party's stance cells are, and whether each one's icon is what a tap there hits. */
function firstRow(page: Page) {
  return page.evaluate(() => {
    const row = document.querySelector('table.board tbody tr')!;
    return [...row.querySelectorAll('td')]
      .filter((td) => td.querySelector('.stance'))
      .map((td) => {
        const cell = td.getBoundingClientRect();
        const icon = td.querySelector('.stance__icon')!.getBoundingClientRect();
        const hit = document.elementFromPoint(icon.left + icon.width / 2, icon.top + icon.height / 2);
        return {
          cell: { left: cell.left, right: cell.right, top: cell.top, bottom: cell.bottom },
          icon: { left: icon.left, right: icon.right, width: icon.width },
          iconShown: hit !== null && td.contains(hit),
          words: td.querySelector('.stance__label')!.textContent.replace(/\s+/g, ' ').trim(),
        };
      });
  });
}

describeInBrowser('the scoreboard on a phone (Chromium)', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer({ DEMO: '1' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const viewport of PHONES) {
    for (const locale of ['nl', 'en'] as const) {
      describe(`${viewport.width}×${viewport.height}, ${locale}`, () => {
        it('shows stances in the first screen, every goal of the first party, without sideways scrolling', async () => {
          const context = await browser.newContext({ viewport, javaScriptEnabled: false });
          const page = await context.newPage();
          await page.goto(new URL(locale === 'nl' ? '/' : '/en', server.url).href);
          const { scrollWidth, innerWidth, innerHeight, goals } = await page.evaluate(() => ({
            scrollWidth: document.documentElement.scrollWidth,
            innerWidth: window.innerWidth,
            innerHeight: window.innerHeight,
            goals: document.querySelectorAll('table.board thead a .goal-number').length,
          }));
          expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
          const cells = await firstRow(page);
          expect(cells).toHaveLength(goals);
          expect(goals).toBe(4);
          for (const cell of cells) {
            // In the first screen, whole: no sideways scroll, nothing cut off at the bottom.
            expect(cell.cell.left).toBeGreaterThanOrEqual(0);
            expect(cell.cell.right).toBeLessThanOrEqual(innerWidth);
            expect(cell.cell.bottom).toBeLessThanOrEqual(innerHeight);
            // The icon fits its cell, and nothing covers it.
            expect(cell.icon.width).toBeGreaterThanOrEqual(16);
            expect(cell.icon.left).toBeGreaterThanOrEqual(cell.cell.left);
            expect(cell.icon.right).toBeLessThanOrEqual(cell.cell.right);
            expect(cell.iconShown).toBe(true);
          }
          // Icon + words: the words are in each cell for a screen reader, and in the key for the eye.
          const words =
            locale === 'nl' ? ['Toegezegd', 'Gedeeltelijk', 'Niet toegezegd', 'Geen reactie'] : ['Committed', 'Partly committed', 'Declined', 'No response'];
          for (const cell of cells) expect(words).toContain(cell.words);
          const key = page.locator('.board-key');
          expect(await key.isVisible()).toBe(true);
          for (const word of words) expect(await key.getByText(word, { exact: true }).isVisible()).toBe(true);
          // The party column shows the abbreviation; the full name is the link's name.
          expect(await page.getByRole('link', { name: 'Polderpartij PP' }).isVisible()).toBe(true);
          const partyCell = page.locator('tbody tr').first().locator('th');
          expect(await partyCell.locator('.board__abbr').isVisible()).toBe(true);
          expect((await partyCell.locator('.board__name').boundingBox())!.width).toBeLessThanOrEqual(1);
          await context.close();
        });

        it('puts the words one tap away: each stance links to its statement, named by stance, party and goal', async () => {
          const context = await browser.newContext({ viewport, javaScriptEnabled: false });
          const page = await context.newPage();
          await page.goto(new URL(locale === 'nl' ? '/' : '/en', server.url).href);
          const row = page.locator('table.board tbody tr').first();
          const links = row.locator('td a.board__cell-link');
          const goals = await page.locator('table.board thead .board__goal-title').allTextContents();
          expect(await links.count()).toBe(goals.length);
          for (let i = 0; i < goals.length; i++) {
            const link = links.nth(i);
            const words = (await link.locator('.stance__label').textContent())!.trim();
            // Its name says it all, though only the icon shows: "Toegezegd (Polderpartij, doel 1: …)".
            const name = locale === 'nl' ? `${words} (Polderpartij, doel ${i + 1}: ${goals[i]})` : `${words} (Polderpartij, goal ${i + 1}: ${goals[i]})`;
            expect(await row.getByRole('link', { name, exact: true }).count(), name).toBe(1);
            expect(await link.getAttribute('href')).toMatch(
              locale === 'nl' ? /^\/partijen\/polderpartij\/doelen\/[a-z-]+$/ : /^\/en\/parties\/polderpartij\/goals\/[a-z-]+$/,
            );
            // A target a thumb can hit (WCAG 2.5.8: at least 24 × 24 px).
            const box = (await link.boundingBox())!;
            expect(box.width).toBeGreaterThanOrEqual(24);
            expect(box.height).toBeGreaterThanOrEqual(24);
          }
          // Visible focus for a keyboard.
          await links.first().focus();
          expect(await links.first().evaluate((a) => getComputedStyle(a).outlineStyle)).toBe('solid');
          // The tap leads to the statement's page, which says the stance in words.
          const words = (await links.first().locator('.stance__label').textContent())!.trim();
          await links.first().click();
          await page.waitForURL(locale === 'nl' ? /\/partijen\/polderpartij\/doelen\// : /\/en\/parties\/polderpartij\/goals\//);
          expect(await page.locator('main').getByText(words, { exact: true }).first().isVisible()).toBe(true);
          await context.close();
        });

        it('keeps the goal headers in view while the reader scrolls down the board', async () => {
          const context = await browser.newContext({ viewport, javaScriptEnabled: false });
          const page = await context.newPage();
          await page.goto(new URL(locale === 'nl' ? '/' : '/en', server.url).href);
          const header = await page.evaluate(() => {
            // Down to the third party: the headers' own place is above the screen by now.
            const third = document.querySelector('table.board tbody tr:nth-child(3)')!;
            window.scrollTo({ top: third.getBoundingClientRect().top + window.scrollY - 60, behavior: 'instant' });
            const goal = document.querySelector('table.board thead th:nth-child(2)')!;
            const box = goal.getBoundingClientRect();
            const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
            return { top: box.top, scrolled: window.scrollY, shown: hit !== null && goal.contains(hit) };
          });
          expect(header.scrolled).toBeGreaterThan(0);
          expect(header.top).toBeGreaterThanOrEqual(0);
          expect(header.top).toBeLessThan(2);
          expect(header.shown).toBe(true);
          await context.close();
        });
      });
    }
  }

  it('on a phone, a goal page shows the parties\' answers in the first screen and the goal\'s long text after them; a party page its "n of 4"', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
    for (const address of ['/doelen/financiering', '/en/goals/financiering']) {
      await page.goto(new URL(address, server.url).href);
      const seen = await page.evaluate(() => ({
        firstAnswer: document.getElementById('parties')!.parentElement!.querySelector('.stance')!.getBoundingClientRect().top,
        about: document.getElementById('about')!.getBoundingClientRect().top,
        answers: document.getElementById('parties')!.getBoundingClientRect().top,
      }));
      expect(seen.firstAnswer, address).toBeLessThan(844);
      expect(seen.answers, address).toBeLessThan(seen.about);
    }
    for (const address of ['/partijen/zeewind', '/en/parties/zeewind']) {
      await page.goto(new URL(address, server.url).href);
      const glance = page.locator('.party-glance');
      expect(await glance.count(), address).toBe(1);
      expect((await glance.boundingBox())!.y, address).toBeLessThan(844);
    }
    await page.close();
  });

  it('folds the filters away on a phone and opens them with a tap; shows them on a desktop', async () => {
    const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false })).newPage();
    await phone.goto(server.url);
    expect(await phone.getByLabel('Sorteer op').isVisible()).toBe(false);
    await phone.getByText('Filter en sorteer').click();
    expect(await phone.getByLabel('Sorteer op').isVisible()).toBe(true);
    await phone.context().close();

    const desktop = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await desktop.goto(server.url);
    expect(await desktop.getByLabel('Sorteer op').isVisible()).toBe(true);
    expect(await desktop.getByText('Filter en sorteer').isVisible()).toBe(false);
    // Every word on a desktop: no key needed, no abbreviation in place of a name.
    expect(await desktop.locator('.board-key').isVisible()).toBe(false);
    expect(await desktop.locator('tbody td .stance__label').first().isVisible()).toBe(true);
    await desktop.context().close();
  });

  it('keeps every word at 768 px, without scrolling the board sideways', async () => {
    const page = await (await browser.newContext({ viewport: { width: 768, height: 1024 } })).newPage();
    for (const address of ['/', '/en']) {
      await page.goto(new URL(address, server.url).href);
      const sizes = await page.evaluate(() => {
        const region = document.querySelector('.board-region')!;
        return { region: region.clientWidth, table: region.scrollWidth, page: document.documentElement.scrollWidth };
      });
      expect(sizes.table, address).toBeLessThanOrEqual(sizes.region);
      expect(sizes.page, address).toBeLessThanOrEqual(768);
      expect(await page.locator('tbody td .stance__label').first().isVisible()).toBe(true);
      expect(await page.locator('thead .board__goal-title').first().isVisible()).toBe(true);
    }
    await page.context().close();
  });

  it('compares the parties a voter ticks on the board, without JavaScript', async () => {
    const page = await (await browser.newContext({ viewport: { width: 320, height: 568 }, javaScriptEnabled: false })).newPage();
    await page.goto(server.url);
    await page.getByRole('checkbox', { name: 'Zeewind vergelijken' }).check();
    await page.getByRole('checkbox', { name: 'Kompas vergelijken' }).check();
    await page.getByRole('button', { name: 'Vergelijk de gekozen partijen' }).click();
    await page.waitForURL(/\/vergelijk\?partijen=zeewind,kompas$/);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Vergelijking van Zeewind, Kompas');

    await page.goto(new URL('/en', server.url).href);
    await page.getByRole('checkbox', { name: 'Compare Morgenrood' }).check();
    await page.getByRole('checkbox', { name: 'Compare Polderpartij' }).check();
    await page.getByRole('button', { name: 'Compare the chosen parties' }).click();
    await page.waitForURL(/\/en\/compare\?parties=polderpartij,morgenrood$/);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Comparison of Polderpartij, Morgenrood');
    await page.context().close();
  });
});
