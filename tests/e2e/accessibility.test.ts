/**
 * axe-core in Chromium on every page type, in Dutch and English, light and dark: zero
 * violations of WCAG 2.0/2.1/2.2 A and AA. Signed-in pages are checked as a representative
 * and as an admin; a form's error state is checked too.
 */
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSession } from '../../src/credentials/sessions.ts';
import { SESSION_COOKIE } from '../../src/credentials/sessions.ts';
import { SYSTEM_ACTOR } from '../../src/domain/actors.ts';
import { createInvite } from '../../src/domain/invites.ts';
import { createPasswordResetLink } from '../../src/domain/password-resets.ts';
import type { Locale } from '../../src/domain/campaign.ts';
import { pathTo, type RouteName, type RouteParams } from '../../src/i18n/routes.ts';
import { createAccount } from '../helpers/accounts.ts';
import { describeInBrowser, launchBrowser } from '../helpers/browser.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';
import { TEST_CAMPAIGN_ID } from '../fixtures/board.ts';

const AXE_SOURCE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

type Who = 'anonymous' | 'rep' | 'admin' | 'adminPending';

interface PageCase {
  name: string;
  who: Who;
  route: RouteName;
  params?: RouteParams | ((ids: Ids) => RouteParams);
  query?: Record<Locale, string>;
  /** Optional interaction before the check, e.g. sending a form with mistakes. */
  act?: (page: Page, locale: Locale) => Promise<void>;
}

interface Ids {
  inviteToken: string;
  resetToken: string;
}

const PAGES: PageCase[] = [
  { name: 'scoreboard', who: 'anonymous', route: 'scoreboard' },
  {
    name: 'scoreboard, filtered',
    who: 'anonymous',
    route: 'scoreboard',
    query: { nl: '?standpunt=niet-toegezegd&sorteer=naam', en: '?stance=declined&sort=name' },
  },
  { name: 'goal', who: 'anonymous', route: 'goal', params: { slug: 'servers-en-techbedrijven' } },
  { name: 'party', who: 'anonymous', route: 'party', params: { slug: 'zeewind' } },
  { name: 'party without any response', who: 'anonymous', route: 'party', params: { slug: 'morgenrood' } },
  { name: 'compare', who: 'anonymous', route: 'compare', query: { nl: '?partijen=zeewind,kompas,lindeboom', en: '?parties=zeewind,kompas,lindeboom' } },
  {
    name: 'compare, one party and an unknown one',
    who: 'anonymous',
    route: 'compare',
    query: { nl: '?partijen=zeewind,verzonnen', en: '?parties=zeewind,verzonnen' },
  },
  {
    name: 'compare, six parties (the matrix scrolls in its region)',
    who: 'anonymous',
    route: 'compare',
    query: {
      nl: '?partijen=zeewind,kompas,lindeboom,polderpartij,brugpartij,morgenrood',
      en: '?parties=zeewind,kompas,lindeboom,polderpartij,brugpartij,morgenrood',
    },
  },
  // The demo's one correction by the campaign: the stance, the statement and the correction note.
  { name: 'one stance (permalink), corrected', who: 'anonymous', route: 'statement', params: { slug: 'kompas', goal: 'steun-voor-kinderen' } },
  { name: 'one stance (permalink), no response', who: 'anonymous', route: 'statement', params: { slug: 'morgenrood', goal: 'financiering' } },
  { name: 'about', who: 'anonymous', route: 'about' },
  {
    name: 'embed builder, with a result',
    who: 'anonymous',
    route: 'embedBuilder',
    query: { nl: '?what=scoreboard&time=frozen', en: '?what=goal&goal=financiering' },
  },
  { name: 'embed builder, first visit', who: 'anonymous', route: 'embedBuilder' },
  {
    name: 'embed builder, one party with chosen goals',
    who: 'anonymous',
    route: 'embedBuilder',
    query: { nl: '?what=party&party=zeewind&goals=financiering&theme=dark', en: '?what=scoreboard&parties=zeewind&parties=kompas&plain=1' },
  },
  { name: 'press and data', who: 'anonymous', route: 'pressData' },
  { name: 'press and data, as of a moment', who: 'anonymous', route: 'pressData', query: { nl: '?at=2026-01-01T00:00:00Z', en: '?at=gisteren' } },
  { name: 'embed: scoreboard', who: 'anonymous', route: 'embedScoreboard' },
  {
    name: 'embed: party, dark, frozen',
    who: 'anonymous',
    route: 'embedParty',
    params: { slug: 'zeewind' },
    query: { nl: '?theme=dark&at=2026-01-01T00:00:00Z', en: '?theme=dark&plain=1' },
  },
  { name: 'embed: goal', who: 'anonymous', route: 'embedGoal', params: { slug: 'financiering' } },
  { name: 'scoreboard as of a moment', who: 'anonymous', route: 'scoreboard', query: { nl: '?at=2026-01-01T00:00:00Z', en: '?at=2026-01-01T00:00:00Z' } },
  { name: 'sign in', who: 'anonymous', route: 'signIn' },
  {
    name: 'sign in, with errors',
    who: 'anonymous',
    route: 'signIn',
    act: async (page, locale) => {
      await page.getByLabel(locale === 'nl' ? 'E-mailadres' : 'Email address').fill('niemand@nergens.example');
      await page
        .getByRole('button', { name: locale === 'nl' ? 'Inloggen' : 'Sign in' })
        .last()
        .click();
      await page.waitForLoadState();
    },
  },
  { name: 'invitation', who: 'anonymous', route: 'invitation', params: (ids) => ({ token: ids.inviteToken }) },
  {
    name: 'invitation, with errors',
    who: 'anonymous',
    route: 'invitation',
    params: (ids) => ({ token: ids.inviteToken }),
    act: async (page) => {
      await page.locator('#field-displayName').fill('Eva (campagneteam)');
      await page.locator('#field-password').fill('wachtwoord123');
      await Promise.all([page.waitForURL(/_action=acceptLink/), page.locator('main form button[type="submit"]').click()]);
      await page.locator('.form-message--error a').first().waitFor();
    },
  },
  { name: 'password reset', who: 'anonymous', route: 'passwordReset', params: (ids) => ({ token: ids.resetToken }) },
  { name: 'not found', who: 'anonymous', route: 'party', params: { slug: 'bestaat-niet' } },
  { name: 'my party', who: 'rep', route: 'myParty' },
  {
    name: 'my party, with errors',
    who: 'rep',
    route: 'myParty',
    act: async (page) => {
      // Several problems in several goals at once: the error summary and the inline messages.
      await page.locator('#goal-1-evidenceUrl').fill('geen link');
      await page.locator('#goal-2-statement').fill('x'.repeat(1100));
      await page.locator('#goal-3-evidencePage').fill('nul');
      await Promise.all([page.waitForURL(/_action=savePledges/), page.locator('form.pledges-form button[type="submit"]').click()]);
      await page.locator('[data-error-summary]').waitFor();
    },
  },
  { name: 'account', who: 'rep', route: 'account' },
  { name: 'no access', who: 'rep', route: 'admin' },
  { name: 'second step', who: 'adminPending', route: 'signInCode' },
  {
    name: 'second step, a wrong recovery code',
    who: 'adminPending',
    route: 'signInCode',
    act: async (page) => {
      await page.locator('.recovery-signin summary').click();
      await page.locator('#field-recoveryCode').fill('abcd-efgh-jkmn');
      await Promise.all([page.waitForURL(/_action=verifySecondFactor/), page.locator('.recovery-signin button[type="submit"]').click()]);
      await page.locator('#field-recoveryCode-error').waitFor();
    },
  },
  { name: 'recovery codes', who: 'admin', route: 'recoveryCodes' },
  { name: 'account, recovery codes left', who: 'admin', route: 'account' },
  { name: 'two-step set-up', who: 'rep', route: 'totpSetup' },
  {
    name: 'two-step set-up, with errors',
    who: 'rep',
    route: 'totpSetup',
    act: async (page) => {
      await page.locator('#field-code').fill('123456');
      await page.locator('#field-password').fill('niet het wachtwoord');
      await Promise.all([page.waitForURL(/_action=enrolSecondFactor/), page.locator('main form button[type="submit"]').click()]);
      await page.locator('.form-message--error').waitFor();
    },
  },
  { name: 'admin', who: 'admin', route: 'admin' },
  { name: 'admin: parties', who: 'admin', route: 'adminParties' },
  { name: 'admin: one party', who: 'admin', route: 'adminParty', params: { slug: 'zeewind' } },
  { name: 'admin: invitations', who: 'admin', route: 'adminInvitations' },
  { name: 'admin: accounts', who: 'admin', route: 'adminAccounts' },
  {
    name: 'admin: accounts, a reset link made that clears two-step',
    who: 'admin',
    route: 'adminAccounts',
    act: async (page) => {
      const row = page.locator('tr', { hasText: 'rep@zeewind.example' });
      await row.locator('input[name="clearSecondFactor"]').check();
      await Promise.all([page.waitForURL(/_action=createResetLink/), row.locator('button', { hasText: /Herstellink|reset link/ }).click()]);
      await page.locator('[data-reset-link]').waitFor();
    },
  },
  { name: 'admin: audit log', who: 'admin', route: 'adminAudit' },
  { name: 'admin: audit log, filtered', who: 'admin', route: 'adminAudit', query: { nl: '?actie=account.created', en: '?actie=account.created' } },
  { name: 'admin: audit log, a bad filter', who: 'admin', route: 'adminAudit', query: { nl: '?actie=verzonnen', en: '?actie=verzonnen' } },
  { name: 'admin: confirm closing pledging', who: 'admin', route: 'admin', query: { nl: '?bevestig=sluiten', en: '?bevestig=sluiten' } },
  {
    name: 'admin: confirm taking a party off the board',
    who: 'admin',
    route: 'adminParty',
    params: { slug: 'zeewind' },
    query: { nl: '?bevestig=weghalen', en: '?bevestig=weghalen' },
  },
  {
    name: 'admin: confirm disabling an account',
    who: 'admin',
    route: 'adminAccounts',
    act: async (page) => {
      const row = page.locator('tr', { hasText: 'rep@zeewind.example' });
      await Promise.all([page.waitForURL(/uitschakelen=/), row.locator('button', { hasText: /Uitschakelen|Disable/ }).click()]);
      await page.locator('[data-confirm-step]').waitFor();
    },
  },
];

interface AxeResult {
  violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
}

async function runAxe(page: Page): Promise<AxeResult> {
  return page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, options: object) => Promise<AxeResult> } }).axe;
    return axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
  }, WCAG_TAGS);
}

describeInBrowser('accessibility of every page type (axe-core, WCAG 2.2 A/AA)', () => {
  let site: TestSite;
  let browser: Browser;
  // One tab per visitor and colour scheme, reused: a new tab per check costs a second.
  const tabs = new Map<string, Page>();
  const ids = {} as Ids;
  const tokens = {} as Record<Exclude<Who, 'anonymous'>, string>;

  beforeAll(async () => {
    site = await startTestSite('pglite', { DEMO: '1' });
    const { db } = site;
    const rep = await createAccount(db, { email: 'rep@zeewind.example', party: 'zeewind', name: 'Rosa Rep' });
    const admin = await createAccount(db, { email: 'beheer@campagne.example', totp: true, name: 'Bas Bakker' });
    const pending = await createAccount(db, { email: 'nieuw@campagne.example', totp: true, name: 'Nina Nieuw' });
    tokens.rep = (await createSession(db, rep.user.id)).token;
    tokens.admin = (await createSession(db, admin.user.id, { twoFactorVerified: true })).token;
    tokens.adminPending = (await createSession(db, pending.user.id)).token;
    const invite = await createInvite(db, { campaignId: TEST_CAMPAIGN_ID, partySlug: 'kompas', email: 'nog@kompas.example' }, { actor: SYSTEM_ACTOR });
    ids.inviteToken = invite.status === 'created' ? invite.token : '';
    const reset = await createPasswordResetLink(db, rep.user.id, { actor: SYSTEM_ACTOR });
    ids.resetToken = reset.status === 'created' ? reset.token : '';
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  async function tabFor(who: Who, colorScheme: 'light' | 'dark', width = 1280): Promise<Page> {
    const key = `${who}-${colorScheme}-${width}`;
    let tab = tabs.get(key);
    if (!tab) {
      // bypassCSP only so that axe itself can be injected; the site's own pages load no script.
      const context: BrowserContext = await browser.newContext({ bypassCSP: true, colorScheme, viewport: { width, height: 900 } });
      await context.addInitScript({ path: AXE_SOURCE });
      if (who !== 'anonymous') await context.addCookies([{ name: SESSION_COOKIE, value: tokens[who], url: site.url }]);
      tab = await context.newPage();
      tabs.set(key, tab);
    }
    return tab;
  }

  it('would notice a violation (the check itself works)', async () => {
    const page = await tabFor('anonymous', 'light');
    await page.goto(new URL(pathTo('about', 'nl'), site.url).href);
    await page.evaluate(() => document.querySelector('main')!.insertAdjacentHTML('beforeend', '<img src="/favicon.svg"><a href="/x"></a>'));
    const { violations } = await runAxe(page);
    expect(violations.map((v) => v.id).sort()).toEqual(['image-alt', 'link-name']);
  });

  it('admin pages with tables do not scroll sideways on a 320 px phone (only the table region does)', async () => {
    const page = await tabFor('admin', 'light', 320);
    for (const route of ['adminAccounts', 'adminInvitations', 'adminParties', 'adminAudit'] as const) {
      await page.goto(new URL(pathTo(route, 'nl'), site.url).href);
      const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
      expect(scrollWidth, route).toBeLessThanOrEqual(innerWidth);
    }
  });

  // Every page at desktop width in both colour schemes; the public pages also on a phone,
  // where reflow, target sizes and the scrolling scoreboard region are different.
  const runs = [
    ...(['light', 'dark'] as const).map((colorScheme) => ({ colorScheme, width: 1280, label: colorScheme, cases: PAGES })),
    { colorScheme: 'light' as const, width: 390, label: 'phone 390 px', cases: PAGES.filter((p) => p.who === 'anonymous') },
  ];
  for (const locale of ['nl', 'en'] as const) {
    for (const { colorScheme, width, label, cases } of runs) {
      for (const pageCase of cases) {
        it(`${pageCase.name} (${locale}, ${label}) has no violations`, async () => {
          const params = typeof pageCase.params === 'function' ? pageCase.params(ids) : pageCase.params;
          const url = new URL(pathTo(pageCase.route, locale, params) + (pageCase.query?.[locale] ?? ''), site.url);
          const page = await tabFor(pageCase.who, colorScheme, width);
          await page.goto(url.href);
          await pageCase.act?.(page, locale);
          expect(await page.locator('html').getAttribute('lang')).toBe(locale);
          const { violations } = await runAxe(page);
          const report = violations.map(
            (v) =>
              `${v.id} (${v.impact}): ${v.help} — ${v.nodes
                .map((n) => n.target.join(' '))
                .slice(0, 5)
                .join(', ')}`,
          );
          expect(report, `${url.pathname}${url.search}`).toEqual([]);
        });
      }
    }
  }
});
