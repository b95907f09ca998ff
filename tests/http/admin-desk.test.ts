/**
 * Beheer as an admin uses it (issue 12, "Admin"): the pledging controls follow the state; closing
 * pledging, taking a party off the board and disabling an account ask "are you sure?" in a step
 * that needs no JavaScript, and a single POST without that step changes nothing; the audit log
 * reads as sentences, filters, pages and exports CSV, and answers bad addresses with a 400.
 */
import { parse } from 'csv-parse/sync';
import { and, eq, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, campaignParties, campaigns, parties, users } from '../../src/db/schema.ts';
import { recordAudit } from '../../src/domain/audit.ts';
import { createAccount, signInOverHttp, type TestAccount } from '../helpers/accounts.ts';
import { ENGINES } from '../helpers/engines.ts';
import { FormClient } from '../helpers/form-client.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';
import { TEST_PARTIES, addTestParties, TEST_CAMPAIGN_ID } from '../fixtures/board.ts';

/** The page's words as a reader sees them: no tags, whitespace collapsed. */
const textOf = (html: string) =>
  html
    .replace(/<(style|script)\b[\s\S]*?<\/\1>/g, '')
    .replace(/<[^>]*>/g, '')
    .replace(/\s+/g, ' ')
    .trim();

/** The same, with a space where a block ends (a heading and the paragraph after it). */
const wordsOf = (html: string) => textOf(html.replace(/<\/(p|h\d|li|div|section|option|legend|label)>/g, ' $&'));

/** The submit buttons' words in the page's main part (not the header's sign-out), in order. */
const buttonsOf = (html: string) => [...html.slice(html.indexOf('<main')).matchAll(/<button\b[^>]*>([\s\S]*?)<\/button>/g)].map((m) => textOf(m[1]!));

describe.each(ENGINES)('Beheer, the admin desk, on %s', (engine) => {
  let site: TestSite;
  let admin: FormClient;
  let adminAccount: TestAccount;
  let rep: TestAccount;

  beforeAll(async () => {
    site = await startTestSite(engine);
    await site.db.delete(campaignParties);
    await site.db.delete(parties);
    await addTestParties(site.db, TEST_PARTIES);
    await site.app.boardVersion.refresh();
    adminAccount = await createAccount(site.db, { email: 'beheer@campagne.example', name: 'Anna de Vries', totp: true });
    rep = await createAccount(site.db, { email: 'rep@partij-a.example', party: 'testpartij-a', name: 'Rita Rep' });
    admin = new FormClient(site.url);
    await signInOverHttp(admin, adminAccount);
  });
  afterAll(() => site?.close());

  const override = async () =>
    (await site.db.select({ override: campaigns.pledgingOverride }).from(campaigns).where(eq(campaigns.id, TEST_CAMPAIGN_ID)))[0]!.override;
  const auditCount = async (action: string) => (await site.db.select().from(auditLog).where(eq(auditLog.action, action))).length;

  describe('the pledging window', () => {
    it('shows one toggle that follows the state, and "follow the deadline" only while an admin’s choice holds', async () => {
      let page = await (await admin.get('/beheer')).text();
      expect(textOf(page)).toContain('Toezeggen is open (er is geen deadline ingesteld).');
      expect(textOf(page)).not.toMatch(/open\(/);
      expect(buttonsOf(page)).toEqual(['Toezeggen sluiten', 'Deadline opslaan']);
      const en = await (await admin.get('/en/admin')).text();
      expect(textOf(en)).toContain('Pledging is open (no deadline has been set).');
      expect(buttonsOf(en)).toEqual(['Close pledging', 'Save deadline']);

      await admin.submit('/beheer', 'setPledging', { state: 'closed', confirm: 'ja' });
      page = await (await admin.get('/beheer')).text();
      expect(textOf(page)).toContain('Toezeggen is gesloten (gesloten door een beheerder).');
      expect(buttonsOf(page)).toEqual(['Toezeggen heropenen', 'Deadline weer volgen', 'Deadline opslaan']);
      expect(textOf(page)).toContain('Volgens de deadline alleen is toezeggen nu open.');
      expect(buttonsOf(await (await admin.get('/en/admin')).text())).toEqual(['Reopen pledging', 'Follow the deadline again', 'Save deadline']);

      const reopened = await admin.submit('/beheer', 'setPledging', { state: 'open' }); // no confirm needed
      expect(reopened.status).toBe(303);
      page = await (await admin.get('/beheer')).text();
      expect(textOf(page)).toContain('Toezeggen is open (heropend door een beheerder).');
      expect(buttonsOf(page)).toEqual(['Toezeggen sluiten', 'Deadline weer volgen', 'Deadline opslaan']);

      expect((await admin.submit('/beheer', 'setPledging', { state: 'deadline' })).status).toBe(303);
      expect(await override()).toBeNull();
    });

    it('closing asks first: the GET step changes nothing, a POST without the confirmation is refused, only the confirmed POST closes', async () => {
      const closedBefore = await auditCount('pledging.closed');
      const step = await admin.get('/beheer?bevestig=sluiten');
      expect(step.status).toBe(200);
      const html = await step.text();
      expect(textOf(html)).toContain('Weet je het zeker?');
      expect(buttonsOf(html)).toEqual(['Ja, sluit het toezeggen']);
      expect(html).toMatch(/<input type="hidden" name="confirm" value="ja"/);
      expect(html).toContain('>Annuleren</a>');
      expect(await override()).toBeNull();

      // A forged or stale single POST, by the page and by Astro's own endpoint: refused, nothing written.
      const single = await admin.submit('/beheer', 'setPledging', { state: 'closed' });
      expect(single.status).toBe(409);
      const again = await single.text();
      expect(textOf(again)).toContain('Dit vraagt eerst een bevestiging.');
      expect(textOf(again)).toContain('Weet je het zeker?'); // the step is offered right there
      expect((await admin.callAction('setPledging', { state: 'closed' })).status).toBe(409);
      expect((await admin.submit('/beheer', 'setPledging', { state: 'closed', confirm: 'nee' })).status).toBe(400);
      expect(await override()).toBeNull();
      expect(await auditCount('pledging.closed')).toBe(closedBefore);

      const confirmed = await admin.submit('/beheer', 'setPledging', { state: 'closed', confirm: 'ja' });
      expect(confirmed.status).toBe(303);
      expect(await override()).toBe('closed');
      expect(await auditCount('pledging.closed')).toBe(closedBefore + 1);
      // Once closed, the step is not offered again.
      expect(textOf(await (await admin.get('/beheer?bevestig=sluiten')).text())).not.toContain('Weet je het zeker?');
      await admin.submit('/beheer', 'setPledging', { state: 'deadline' });
    });

    it('the confirm step keeps the origin check', async () => {
      expect((await admin.submit('/beheer', 'setPledging', { state: 'closed', confirm: 'ja' }, { origin: 'https://elders.example' })).status).toBe(403);
      expect(await override()).toBeNull();
    });
  });

  it('taking a party off the board asks first; putting it back does not', async () => {
    const retiredC = async () =>
      (
        await site.db
          .select()
          .from(parties)
          .innerJoin(campaignParties, eq(campaignParties.partyId, parties.id))
          .where(and(eq(parties.slug, 'testpartij-c'), eq(campaignParties.campaignId, TEST_CAMPAIGN_ID), isNotNull(campaignParties.retiredAt)))
      ).length === 1;
    const page = '/beheer/partijen/testpartij-c';
    expect(buttonsOf(await (await admin.get(page)).text())).toContain('Van het scorebord halen');
    const single = await admin.submit(page, 'setPartyRetired', { slug: 'testpartij-c', retired: 'true' });
    expect(single.status).toBe(409);
    expect(await retiredC()).toBe(false);
    const step = await (await admin.get(`${page}?bevestig=weghalen`)).text();
    expect(wordsOf(step)).toContain('Weet je het zeker? Testpartij C verdwijnt van het openbare scorebord');
    expect(buttonsOf(step)).toContain('Ja, haal Testpartij C van het scorebord');
    expect(await retiredC()).toBe(false);
    expect((await admin.submit(page, 'setPartyRetired', { slug: 'testpartij-c', retired: 'true', confirm: 'ja' })).status).toBe(303);
    expect(await retiredC()).toBe(true);
    const retired = await (await admin.get(page)).text();
    expect(buttonsOf(retired)).toContain('Terugzetten op het scorebord');
    expect((await admin.submit(page, 'setPartyRetired', { slug: 'testpartij-c', retired: 'false' })).status).toBe(303);
    expect(await retiredC()).toBe(false);
  });

  it('disabling an account asks first; enabling it again does not', async () => {
    const disabled = async () =>
      (
        await site.db
          .select()
          .from(users)
          .where(and(eq(users.id, rep.user.id), isNotNull(users.disabledAt)))
      ).length === 1;
    const userId = String(rep.user.id);
    const single = await admin.submit('/beheer/accounts', 'setUserDisabled', { userId, disabled: 'true' });
    expect(single.status).toBe(409);
    expect(textOf(await single.text())).toContain('Rita Rep (rep@partij-a.example) kan dan niet meer inloggen');
    expect(await disabled()).toBe(false);
    const step = await (await admin.get(`/beheer/accounts?uitschakelen=${userId}`)).text();
    expect(buttonsOf(step)).toContain('Ja, schakel Rita Rep uit');
    const en = await (await admin.get(`/en/admin/accounts?uitschakelen=${userId}`)).text();
    expect(textOf(en)).toContain('Are you sure?');
    expect(buttonsOf(en)).toContain('Yes, disable Rita Rep');
    // An unknown, bad or own id offers no step (and no 500).
    for (const asked of ['999999', 'abc', String(adminAccount.user.id), '']) {
      const response = await admin.get(`/beheer/accounts?uitschakelen=${asked}`);
      expect(response.status, asked).toBe(200);
      expect(textOf(await response.text()), asked).not.toContain('Weet je het zeker?');
    }
    expect(await disabled()).toBe(false);
    expect((await admin.submit('/beheer/accounts', 'setUserDisabled', { userId, disabled: 'true', confirm: 'ja' })).status).toBe(303);
    expect(await disabled()).toBe(true);
    expect((await admin.submit('/beheer/accounts', 'setUserDisabled', { userId, disabled: 'false' })).status).toBe(303);
    expect(await disabled()).toBe(false);
  });

  describe('the audit log', () => {
    it('reads as sentences, in Dutch and English', async () => {
      const nl = textOf(await (await admin.get('/beheer/audit?actie=pledging.closed')).text());
      expect(nl).toMatch(/Anna de Vries \(beheerder\) sloot het toezeggen op \d+ december \d{4} om \d\d:\d\d\./);
      const en = textOf(await (await admin.get('/en/admin/audit?actie=party.retired')).text());
      expect(en).toMatch(/Anna de Vries \(admin\) took Testpartij C off the scoreboard on \d+ December \d{4} at \d\d:\d\d\./);
    });

    it('filters by action and by person', async () => {
      const html = await (await admin.get(`/beheer/audit?actie=user.disabled&door=${adminAccount.user.id}`)).text();
      const actions = [...html.matchAll(/data-action="([^"]+)"/g)].map((m) => m[1]);
      expect(actions).toEqual(['user.disabled']);
      expect(html).toMatch(/<option value="user.disabled" selected>/);
      const byRep = await (await admin.get(`/beheer/audit?door=${rep.user.id}`)).text();
      expect([...byRep.matchAll(/data-action="([^"]+)"/g)].map((m) => m[1])).toEqual(['account.created']);
    });

    it('answers a bad filter with a 400 and a note, never a 500', async () => {
      for (const query of [
        'actie=verzonnen',
        'door=abc',
        'door=-1',
        'voor=0',
        'na=1e3',
        'actie=logout&actie=login.failed',
        'export=pdf',
        'door=99999999999999999999',
        // Past a 32-bit user id: refused before it reaches SQL (it made the query fail: a 500).
        'door=2147483648',
        'door=2147483648&export=csv',
      ]) {
        const response = await admin.get(`/beheer/audit?${query}`);
        expect(response.status, query).toBe(400);
        expect(textOf(await response.text()), query).toContain('Dit filter ken ik niet');
      }
      const csv = await admin.get('/beheer/audit?actie=verzonnen&export=csv');
      expect(csv.status).toBe(400);
      // The same value twice is one value; an empty one is no filter.
      expect((await admin.get('/beheer/audit?actie=logout&actie=logout&door=')).status).toBe(200);
    });

    it('never answers a 500 to odd addresses on any Beheer page', async () => {
      const odd = ['%00', 'x%0Ay', '%E2%80%AE', '1%00', '9'.repeat(400), '-0', '0x10', '1e3', '%ZZ'];
      for (const value of odd) {
        for (const path of [
          `/beheer?bevestig=${value}`,
          `/beheer/accounts?uitschakelen=${value}`,
          `/beheer/partijen/testpartij-a?bevestig=${value}`,
          `/beheer/audit?actie=${value}`,
          `/beheer/audit?door=${value}`,
          `/beheer/audit?voor=${value}&na=${value}`,
          `/beheer/audit?export=csv&door=${value}`,
        ]) {
          const response = await admin.get(path);
          expect(response.status, path).toBeLessThan(500);
          await response.arrayBuffer();
        }
      }
    });

    it('pages 50 at a time, with older and newer links that meet', async () => {
      const actor = { userId: adminAccount.user.id, label: adminAccount.email };
      for (let i = 0; i < 55; i++) await recordAudit(site.db, { action: 'invite.revoked', actor, subject: `p${i}@partij.example` });
      const idsOf = (html: string) => [...html.matchAll(/data-id="(\d+)"/g)].map((m) => Number(m[1]));
      const first = await (await admin.get('/beheer/audit?actie=invite.revoked')).text();
      expect(idsOf(first)).toHaveLength(50);
      expect(first).not.toContain('data-audit-newer');
      const older = /href="([^"]+)" rel="next"/.exec(first)![1]!.replaceAll('&amp;', '&');
      expect(older).toContain('actie=invite.revoked');
      const second = await (await admin.get(older)).text();
      expect(idsOf(second)).toHaveLength(5);
      expect(Math.max(...idsOf(second))).toBeLessThan(Math.min(...idsOf(first)));
      expect(second).not.toContain('data-audit-older');
      const newer = /href="([^"]+)" rel="prev"/.exec(second)![1]!.replaceAll('&amp;', '&');
      expect(idsOf(await (await admin.get(newer)).text())).toEqual(idsOf(first));
    });

    it('exports the filtered set as CSV', async () => {
      const response = await admin.get('/beheer/audit?actie=invite.revoked&export=csv');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/csv');
      expect(response.headers.get('cache-control')).toContain('no-store');
      const rows = parse<Record<string, string>>((await response.text()).replace(/^\uFEFF/, ''), { columns: true });
      expect(Object.keys(rows[0]!)).toEqual(['time', 'actor', 'role', 'action', 'subject', 'details']);
      expect(rows).toHaveLength(55);
      expect(new Set(rows.map((r) => r.action))).toEqual(new Set(['invite.revoked']));
      expect(rows[0]).toMatchObject({ actor: 'Anna de Vries <beheer@campagne.example>', role: 'admin' });
    });

    it('is for admins only: the CSV too', async () => {
      expect((await fetch(new URL('/beheer/audit?export=csv', site.url), { redirect: 'manual' })).status).toBe(303);
      const repClient = new FormClient(site.url);
      await signInOverHttp(repClient, rep);
      const asRep = await repClient.get('/beheer/audit?export=csv');
      expect(asRep.status).toBe(403);
      expect(asRep.headers.get('content-type')).not.toContain('csv');
    });
  });
});
