/**
 * Embeds on another site, in Chromium: a host page on another origin with two embeds and the
 * loader sees both grow to their content's height; a host page without the loader still shows
 * the embed's content, at the snippet's default height, scrolling.
 */
import http from 'node:http';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, launchBrowser } from '../helpers/browser.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

describeInBrowser('embeds on another site (Chromium)', () => {
  let board: RunningServer;
  let host: http.Server;
  let hostUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    board = await startServer({ DEMO: '1' });
    const site = board.url;
    const pages: Record<string, string> = {
      '/with-loader': `<!doctype html><html lang="en"><head><title>Krant</title></head><body><h1>Article</h1>
        <iframe id="one" src="${site}/embed/scoreboard" title="Scoreboard" style="border:0;width:100%" height="150"></iframe>
        <p>Between the embeds.</p>
        <iframe id="two" src="${site}/embed/partij/zeewind" title="Zeewind" style="border:0;width:100%" height="150"></iframe>
        <script src="${site}/embed.js" async></script></body></html>`,
      // Two snippets as the builder makes them, each with its own loader tag: one loader runs.
      '/two-snippets': `<!doctype html><html lang="en"><head><title>Krant</title>
        <script>window.messageListeners = 0; const add = window.addEventListener; window.addEventListener = function (type, ...rest) { if (type === 'message') window.messageListeners++; return add.call(this, type, ...rest); };</script></head><body>
        <iframe id="four" src="${site}/embed/doel/financiering" title="Financiering" style="border:0;width:100%" height="150"></iframe><script src="${site}/embed.js" async></script>
        <p>Between the embeds.</p>
        <iframe id="five" src="${site}/en/embed/party/kompas" title="Kompas" style="border:0;width:100%" height="150"></iframe><script src="${site}/embed.js" async></script></body></html>`,
      // An article column and a phone, as a journalist's page gives them.
      '/columns': `<!doctype html><html lang="en"><head><title>Krant</title><style>body{margin:0}</style></head><body>
        <iframe id="w680" src="${site}/embed/scoreboard" title="Scoreboard" style="border:0;width:680px" height="900"></iframe>
        <iframe id="w360" src="${site}/en/embed/scoreboard" title="Scoreboard" style="border:0;width:360px" height="900"></iframe></body></html>`,
      '/spoofed': `<!doctype html><html lang="en"><head><title>Krant</title></head><body>
        <iframe id="six" src="${site}/embed/scoreboard" title="Scoreboard" style="border:0;width:100%" height="150"></iframe>
        <script src="${site}/embed.js" async></script></body></html>`,
      '/blank': `<!doctype html><html lang="en"><head><title>Other</title></head><body></body></html>`,
    };
    host = http.createServer((req, res) => {
      // /column?width=W&snippet=S: a blog's column of that width holding the snippet as pasted.
      const asked = new URL(req.url ?? '/', 'http://host');
      const column =
        asked.pathname === '/column'
          ? `<!doctype html><html lang="en"><head><title>Blog</title></head><body style="margin:0;width:${Number(asked.searchParams.get('width'))}px">${asked.searchParams.get('snippet')}</body></html>`
          : undefined;
      const body = column ?? pages[req.url ?? ''];
      res.writeHead(body ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
      res.end(body ?? 'not found');
    });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    // localhost and 127.0.0.1 are different origins: the host page is on another site.
    hostUrl = `http://localhost:${(host.address() as { port: number }).port}`;
    expect(new URL(hostUrl).origin).not.toBe(new URL(site).origin);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await board?.stop();
    await new Promise((resolve) => host?.close(resolve));
  });

  async function heights(page: Page, id: string): Promise<{ frame: number; content: number; scrollable: boolean }> {
    const element = page.locator(`iframe#${id}`);
    const frame = (await (await element.elementHandle()).contentFrame()) as Frame;
    await frame.waitForLoadState();
    const content = await frame.evaluate(() => Math.ceil(document.body.getBoundingClientRect().height));
    const scrollable = await frame.evaluate(() => document.documentElement.scrollHeight > document.documentElement.clientHeight);
    return { frame: Math.round((await element.boundingBox())!.height), content, scrollable };
  }

  /** Waits for the loader to size an embed, checks it fits its content exactly; its height. */
  async function expectFitted(page: Page, id: string): Promise<number> {
    await page.waitForFunction((frameId) => document.getElementById(frameId)!.style.height !== '', id, { timeout: 10_000 });
    const { frame, content, scrollable } = await heights(page, id);
    expect(Math.abs(frame - content), `${id}: frame ${frame}px, content ${content}px`).toBeLessThanOrEqual(2);
    expect(scrollable, id).toBe(false);
    return frame;
  }

  it('with the loader, every embed grows to its content height', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    await page.goto(`${hostUrl}/with-loader`);
    for (const id of ['one', 'two']) expect(await expectFitted(page, id), id).toBeGreaterThan(150);
    // The content of the frames is there.
    const one = page.frameLocator('iframe#one');
    expect(await one.locator('tbody tr').count()).toBe(6);
    expect(
      await page
        .frameLocator('iframe#two')
        .getByRole('heading', { name: /Zeewind/ })
        .count(),
    ).toBe(1);
    await page.close();
  });

  it('with a loader tag per snippet, the loader still runs once and fits every embed', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    await page.goto(`${hostUrl}/two-snippets`);
    for (const id of ['four', 'five']) await expectFitted(page, id);
    expect(await page.evaluate(() => (window as unknown as { messageListeners: number }).messageListeners)).toBe(1);
    await page.close();
  });

  it('the embed builder copies its snippet with one click, in Dutch and in English', async () => {
    const context = await browser.newContext();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(board.url).origin });
    const page = await context.newPage();
    // The snippet names the campaign's own address (content/campaign.yaml).
    for (const [path, button, done, embed] of [
      ['/insluiten?what=party&party=zeewind&time=live', 'Kopieer de code', 'Gekopieerd', '/campagnes/tweede-kamer-2025/embed/partij/zeewind"'],
      ['/en/embedding?what=goal&goal=financiering&time=frozen', 'Copy the code', 'Copied', '/en/campaigns/tweede-kamer-2025/embed/goal/financiering?at='],
    ] as const) {
      await page.goto(new URL(path, board.url).href);
      await page.getByRole('button', { name: button }).click();
      await page.getByRole('status').filter({ hasText: done }).waitFor();
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      expect(copied).toBe(await page.locator('#snippet').inputValue());
      expect(copied.startsWith(`<iframe src="${new URL(board.url).origin}${embed}`), copied).toBe(true);
      expect(copied).toMatch(/<script src="http:\/\/127\.0\.0\.1:\d+\/embed\.js" async><\/script>$/);
    }
    await context.close();
  });

  it('the builder, without JavaScript, lands on the new code after every choice; the preview sits beside the options on a wide screen', async () => {
    for (const width of [390, 1280]) {
      const context = await browser.newContext({ viewport: { width, height: 800 }, javaScriptEnabled: false });
      const page = await context.newPage();
      const codeInView = () =>
        page.evaluate(() => {
          const box = document.getElementById('snippet')!.getBoundingClientRect();
          return box.top >= 0 && box.bottom <= window.innerHeight;
        });
      await page.goto(new URL('/insluiten', board.url).href);
      expect(await codeInView(), `${width}: code in the first screen`).toBe(true);
      expect(await page.getByRole('button', { name: 'Kopieer de code' }).isVisible(), 'no copy button that cannot copy').toBe(false);
      expect(await page.locator('select[name="party"]').count()).toBe(0);
      // Choose the kind: a link; the page lands on the code, and now offers the party.
      await page.getByRole('link', { name: 'Eén partij' }).click();
      expect(new URL(page.url()).hash).toBe('#code');
      expect(await page.locator('select[name="party"]').count()).toBe(1);
      expect(await page.locator('input[name="parties"]').count(), 'a party embed is not narrowed by parties').toBe(0);
      // Pick a party far down the form and send: back on the code, which is for that party.
      await page.locator('select[name="party"]').selectOption('kompas');
      await page.getByRole('button', { name: 'Code en voorbeeld bijwerken' }).click();
      await page.waitForURL(/party=kompas.*#code$/);
      expect(await codeInView(), `${width}: code in view after sending`).toBe(true);
      expect(await page.locator('#snippet').inputValue()).toContain('/embed/partij/kompas');
      // Both boxes in one step: the page may still scroll (to #code) between two separate reads.
      const [form, preview] = await page.evaluate(() =>
        ['#options', 'iframe.preview'].map((selector) => {
          const { x, y, width, height } = document.querySelector(selector)!.getBoundingClientRect();
          return { x, y, width, height };
        }),
      );
      if (width === 1280) {
        expect(preview!.x, 'preview beside the options').toBeGreaterThan(form!.x + form!.width);
        expect(preview!.y).toBeLessThan(form!.y + 200);
      } else {
        expect(preview!.y, 'preview under the options').toBeGreaterThan(form!.y + form!.height - 1);
      }
      await context.close();
    }
  });

  it('in a 680 px column and a 360 px phone, the scoreboard embed shows every goal and the total, not scrolling sideways', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 1000 } });
    await page.goto(`${hostUrl}/columns`);
    for (const id of ['w680', 'w360']) {
      const frame = (await (await page.locator(`iframe#${id}`).elementHandle()).contentFrame())!;
      await frame.waitForLoadState();
      const seen = await frame.evaluate(() => {
        const width = document.documentElement.clientWidth;
        const outside = [...document.querySelectorAll('.board th, .board td')]
          .filter((cell) => {
            const box = cell.getBoundingClientRect();
            return box.left < 0 || box.right > width;
          })
          .map((cell) => cell.textContent.trim().slice(0, 30));
        return {
          width,
          scrollWidth: document.documentElement.scrollWidth,
          regionScrolls: [...document.querySelectorAll('.board-region')].some((r) => r.scrollWidth > r.clientWidth),
          outside,
          goalHeaders: document.querySelectorAll('.board thead th').length,
          // Every cell still says its stance in words, for a screen reader.
          wordless: [...document.querySelectorAll('.board tbody td .stance')].filter((s) => s.textContent.trim() === '').length,
          cells: document.querySelectorAll('.board tbody td').length,
        };
      });
      expect(seen.goalHeaders, id).toBe(6); // party, four goals, committed total
      expect(seen.cells, id).toBe(6 * 5);
      expect(seen.outside, `${id} at ${seen.width}px`).toEqual([]);
      expect(seen.scrollWidth, id).toBeLessThanOrEqual(seen.width);
      expect(seen.regionScrolls, id).toBe(false);
      expect(seen.wordless, id).toBe(0);
    }
    // The goal titles and the stance words are in a visible key.
    const key = page.frameLocator('iframe#w360').locator('.embed-key');
    for (const words of ['Servers and tech companies', 'Digital resilience', 'Committed', 'Partly', 'No response']) {
      expect(await key.getByText(words, { exact: false }).first().isVisible(), words).toBe(true);
    }
    await page.close();
  });

  it('the loader takes a size only from the embed site: a message from another origin does not resize', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    await page.goto(`${hostUrl}/spoofed`);
    const fitted = await expectFitted(page, 'six');
    // The frame (still the embed's iframe, its src unchanged) goes to another origin and sends a size.
    await page.evaluate(() => {
      (window as unknown as { seen: unknown[] }).seen = [];
      addEventListener('message', (e) => (window as unknown as { seen: unknown[] }).seen.push(e.origin));
    });
    await page.evaluate((url) => ((document.getElementById('six') as HTMLIFrameElement).contentWindow!.location.href = url), `${hostUrl}/blank`);
    await page.waitForFunction(() => {
      try {
        return (document.getElementById('six') as HTMLIFrameElement).contentDocument?.title === 'Other';
      } catch {
        return false; // still on the embed's origin
      }
    });
    const frame = page.frames().find((f) => f.url() === `${hostUrl}/blank`)!;
    await frame.evaluate(() => parent.postMessage({ type: 'pledgeboard:resize', height: 4321 }, '*'));
    // The page's own listener runs after the loader's: once it saw the message, the loader had it too.
    await page.waitForFunction((origin) => (window as unknown as { seen: string[] }).seen.includes(origin), hostUrl);
    expect(await page.locator('iframe#six').evaluate((f) => (f as HTMLIFrameElement).style.height)).toBe(`${fitted}px`);
    await page.close();
  });

  it("without the loader (a page that strips scripts), the builder's snippet is tall enough to show the whole embed at 300, 360 and 680 px", async () => {
    const builder = await browser.newPage();
    const snippets: [string, string][] = [];
    for (const query of ['what=scoreboard', 'what=party&party=polderpartij', 'what=goal&goal=financiering', 'what=scoreboard&lang=en']) {
      await builder.goto(new URL(`/insluiten?${query}&time=live`, board.url).href);
      // The snippet as the journalist copies it, with the loader script left out.
      snippets.push([query, (await builder.locator('#snippet').inputValue()).replace(/<script[^>]*><\/script>/, '')]);
    }
    await builder.close();
    for (const width of [300, 360, 680]) {
      const page = await browser.newPage({ viewport: { width: width + 40, height: 900 } });
      for (const [query, snippet] of snippets) {
        await page.goto(`${hostUrl}/column?${new URLSearchParams({ width: String(width), snippet })}`);
        const frame = (await (await page.locator('iframe').elementHandle()).contentFrame())!;
        await frame.waitForSelector('footer'); // the embed, not the frame's first about:blank
        const fits = await frame.evaluate(() => ({
          scrollHeight: document.documentElement.scrollHeight,
          clientHeight: document.documentElement.clientHeight,
          // The last thing in the embed, its source line, is on screen.
          footerBottom: Math.ceil(document.querySelector('footer')!.getBoundingClientRect().bottom),
        }));
        expect(fits.scrollHeight, `${query} at ${width} px`).toBeLessThanOrEqual(fits.clientHeight);
        expect(fits.footerBottom, `${query} at ${width} px`).toBeLessThanOrEqual(fits.clientHeight);
      }
      await page.close();
    }
  });
});
