/**
 * Beheer → Follow-up without JavaScript (issue 15): an admin rates a pair (a refused form says
 * which field, and writes nothing), uploads a saved Tweede Kamer response (a broken one is
 * refused naming the field's path, nothing written; a good one is linked), and maps a fraction
 * that matches no party; imports a linked item again with its effect chosen, and unlinks one
 * after a confirm step with a reason (frozen views before it still show it). Import errors in
 * the admin's language. In both languages. Fictional parties only.
 */
import { readFile } from 'node:fs/promises';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, fractionMappings, followUpRatings, parliamentItems, parliamentItemUnlinks } from '../../src/db/schema.ts';
import { createAccount, signInOverHttp } from '../helpers/accounts.ts';
import { ENGINES } from '../helpers/engines.ts';
import { databaseFingerprint } from '../helpers/fingerprint.ts';
import { FormClient } from '../helpers/form-client.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';
import { addTestParties } from '../fixtures/board.ts';
import { addTestCampaign } from '../fixtures/campaigns.ts';

const SLUG = 'opvolging-beheer-2030';
const PAGE = `/campagnes/${SLUG}/beheer/opvolging`;
const EN_PAGE = `/en/campaigns/${SLUG}/admin/follow-up`;
const tk = async (name: string) => new File([new Uint8Array(await readFile(new URL(`../fixtures/tk/${name}`, import.meta.url)))], name);

describe.each(ENGINES)('follow-up in Beheer on %s', (engine) => {
  let site: TestSite;
  let admin: FormClient;
  const unchanged = async (run: () => Promise<void>) => {
    const before = await databaseFingerprint(site.db);
    await run();
    expect(await databaseFingerprint(site.db)).toEqual(before);
  };

  beforeAll(async () => {
    site = await startTestSite(engine);
    const campaignId = await addTestCampaign(site.db, { slug: SLUG, state: 'follow-up' });
    await addTestParties(
      site.db,
      [
        { slug: 'kustpartij', name: 'Kustpartij', abbreviation: 'KP', seats: 31, website: null },
        { slug: 'vrije-burgers', name: 'Vrije Burgers', abbreviation: 'VB', seats: 17, website: null },
      ],
      campaignId,
    );
    admin = new FormClient(site.url);
    await signInOverHttp(admin, await createAccount(site.db, { email: 'beheer@campagne.example', totp: true }));
  });
  afterAll(() => site?.close());

  it('shows every party × goal as not yet rated, with the forms, in both languages', async () => {
    const html = await (await admin.get(PAGE)).text();
    expect(html).toMatch(/data-party="kustpartij"[\s\S]*?Nog niet beoordeeld/);
    expect(html).toContain('enctype="multipart/form-data"');
    const en = await admin.get(`/en/campaigns/${SLUG}/admin/follow-up`);
    expect(en.status).toBe(200);
    expect(await en.text()).toContain('Link a parliamentary item');
  });

  it('refuses a rating naming its fields, writing nothing; saves a good one and shows it', async () => {
    await unchanged(async () => {
      const refused = await admin.submit(PAGE, 'rateFollowUp', {
        party: 'kustpartij',
        goal: 'veilige-apps',
        status: 'broken',
        citationUrl: 'geen adres',
        explanation: 'Uitleg.',
      });
      expect(refused.status).toBe(400);
      const html = await refused.text();
      expect(html).toContain('Reden (alleen bij gebroken): Kies waarom de toezegging gebroken is.');
      expect(html).toContain('Bron (https://-adres): Geef een volledig https://-adres als bron.');
      expect(html).toContain('value="geen adres"');
    });
    const saved = await admin.submit(PAGE, 'rateFollowUp', {
      party: 'kustpartij',
      goal: 'veilige-apps',
      status: 'kept',
      citationUrl: 'https://example.org/uitvoering',
      explanation: 'Uitgevoerd.',
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toContain('#beoordelen');
    expect(await site.db.select().from(followUpRatings).where(eq(followUpRatings.explanation, 'Uitgevoerd.'))).toHaveLength(1);
    expect(await (await admin.get(PAGE)).text()).toMatch(/data-party="kustpartij"[\s\S]*?Nagekomen/);
  });

  it('refuses a broken saved response naming the field, writing nothing; links a good one and maps its fraction', async () => {
    await unchanged(async () => {
      const refused = await admin.submit(
        PAGE,
        'importZaak',
        { goal: 'veilige-apps', effect: 'advances', file: await tk('broken-soort.json') },
        { encoding: 'multipart' },
      );
      expect(refused.status).toBe(400);
      const html = await refused.text();
      expect(html).toContain('Het antwoord heeft niet de vorm van een zaak uit de open data van de Tweede Kamer.');
      expect(html).toContain('href="#field-file"');
      expect(html).toMatch(/value\[0\]\.Besluit\[\d+\]\.Stemming\[\d+\]\.Soort/);
    });
    await unchanged(async () => {
      const none = await admin.submit(PAGE, 'importZaak', { goal: 'veilige-apps', effect: 'advances', number: '' }, { encoding: 'multipart' });
      expect(none.status).toBe(400);
      expect(await none.text()).toContain('Geef een zaaknummer of een bestand.');
    });
    const linked = await admin.submit(
      PAGE,
      'importZaak',
      { goal: 'veilige-apps', effect: 'advances', file: await tk('motion.json') },
      { encoding: 'multipart' },
    );
    expect(linked.status).toBe(200);
    expect(await linked.text()).toContain('Kamerstuk 2031Z01234 gekoppeld.');
    expect(await site.db.select().from(parliamentItems)).toHaveLength(1);
    const page = await (await admin.get(PAGE)).text();
    expect(page).toContain('data-fraction="Polderunie"');
    const mapped = await admin.submit(PAGE, 'mapFraction', { fraction: 'Polderunie', party: '' });
    expect(mapped.status).toBe(200);
    expect(await site.db.select().from(fractionMappings)).toEqual([expect.objectContaining({ fraction: 'Polderunie', partyId: null })]);
    expect(await (await admin.get(PAGE)).text()).not.toContain('data-fraction="Polderunie"');
  });

  it('says why a Zaak could not be read in the admin’s language, naming the field, writing nothing', async () => {
    await unchanged(async () => {
      const english = await admin.submit(
        EN_PAGE,
        'importZaak',
        { goal: 'veilige-apps', effect: 'advances', file: await tk('broken-soort.json') },
        { encoding: 'multipart' },
      );
      expect(english.status).toBe(400);
      const html = await english.text();
      expect(html).toContain("The response does not have the shape of a zaak from the Tweede Kamer's open data.".replace("'", '&#39;'));
      expect(html).not.toContain('Het antwoord heeft niet de vorm');
      const number = await admin.submit(EN_PAGE, 'importZaak', { goal: 'veilige-apps', effect: 'advances', number: '2031-1234' }, { encoding: 'multipart' });
      expect(number.status).toBe(400);
      const numberHtml = await number.text();
      expect(numberHtml).toContain('That is not an item number: it looks like 2025Z19039 (year, Z, five digits).');
      expect(numberHtml).toContain('href="#field-number"');
      expect(numberHtml).toContain('value="2031-1234"');
      const dutch = await admin.submit(
        PAGE,
        'importZaak',
        { goal: 'veilige-apps', effect: 'advances', file: await tk('truncated.txt') },
        { encoding: 'multipart' },
      );
      expect(dutch.status).toBe(400);
      expect(await dutch.text()).toContain('Het bestand of antwoord is geen JSON.');
    });
  });

  it('imports a linked item again with its own effect preselected', async () => {
    const undermines = await admin.submit(
      PAGE,
      'importZaak',
      { goal: 'veilige-apps', effect: 'undermines', file: await tk('motion.json') },
      { encoding: 'multipart' },
    );
    expect(undermines.status).toBe(200);
    const page = await (await admin.get(PAGE)).text();
    const again = /href="([^"]*kamerstuk=2031Z01234[^"]*)"/.exec(page)?.[1]?.replaceAll('&amp;', '&');
    expect(again).toBe(`${PAGE}?kamerstuk=2031Z01234&doel=veilige-apps#kamerstuk`);
    const form = await (await admin.get(again!)).text();
    expect(form).toMatch(/<option value="undermines" selected[^>]*>/);
    expect(form).not.toMatch(/<option value="advances" selected[^>]*>/);
    expect(form).toMatch(/<option value="veilige-apps" selected[^>]*>/);
    expect(form).toContain('value="2031Z01234"');
    // In English too; a new item's form starts at "advances".
    expect(await (await admin.get(`${EN_PAGE}?item=2031Z01234&goal=veilige-apps`)).text()).toMatch(/<option value="undermines" selected[^>]*>/);
    expect(await (await admin.get(PAGE)).text()).toMatch(/<option value="advances" selected[^>]*>/);
  });

  it('unlinks an item after a confirm step with a reason; frozen views before it still show it', async () => {
    const before = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const itemPage = `/campagnes/${SLUG}/opvolging/kamerstukken/2031Z01234`;
    expect((await admin.get(itemPage)).status).toBe(200);
    // A reader without a session (served from the front cache): the page is there before.
    expect((await fetch(new URL(itemPage, site.url))).status).toBe(200);
    const page = await (await admin.get(PAGE)).text();
    const confirmHref = /href="([^"]*ontkoppel=2031Z01234[^"]*)"/.exec(page)?.[1]?.replaceAll('&amp;', '&');
    expect(confirmHref).toBe(`${PAGE}?ontkoppel=2031Z01234&doel=veilige-apps#bevestig`);
    const confirm = await (await admin.get(confirmHref!)).text();
    expect(confirm).toContain('data-confirm-step');
    expect(confirm).toContain('Ja, ontkoppel 2031Z01234');
    expect(confirm).toMatch(/<textarea[^>]*name="reason"/);
    expect(confirm).toContain('name="confirm" value="ja"');
    await unchanged(async () => {
      // Without the confirmation (a forged or stale POST): refused, asked again.
      const skipped = await admin.submit(PAGE, 'unlinkItem', { goal: 'veilige-apps', number: '2031Z01234', reason: 'Fout doel.' });
      expect(skipped.status).toBe(409);
      expect(await skipped.text()).toContain('Dit vraagt eerst een bevestiging.');
      // Without a reason: the step again, naming the field.
      const noReason = await admin.submit(PAGE, 'unlinkItem', { goal: 'veilige-apps', number: '2031Z01234', reason: '', confirm: 'ja' });
      expect(noReason.status).toBe(400);
      const html = await noReason.text();
      expect(html).toContain('data-confirm-step');
      expect(html).toContain('Reden (wordt openbaar getoond op de pagina van het Kamerstuk, tot 300 tekens)');
    });
    const done = await admin.submit(PAGE, 'unlinkItem', { goal: 'veilige-apps', number: '2031Z01234', reason: 'Fout doel.', confirm: 'ja' });
    expect(done.status).toBe(303);
    const after = await (await admin.get(done.headers.get('location')!)).text();
    expect(after).toContain('Kamerstuk 2031Z01234 ontkoppeld.');
    // The notice names only an item number, never other text from the address.
    expect(await (await admin.get(`${PAGE}?ontkoppeld=${encodeURIComponent('alles, door de partij')}`)).text()).not.toContain('ontkoppeld.');
    expect(after).not.toContain('data-item="2031Z01234"');
    expect(await site.db.select().from(parliamentItemUnlinks)).toEqual([expect.objectContaining({ reason: 'Fout doel.' })]);
    expect(await site.db.select().from(auditLog).where(eq(auditLog.action, 'parliament.item-unlinked'))).toHaveLength(1);
    // Gone from the view now, its page says so with the public reason; the view of a moment before still shows it.
    const unlinkedPage = await fetch(new URL(itemPage, site.url));
    expect(unlinkedPage.status).toBe(200);
    expect(await unlinkedPage.text()).toMatch(/data-unlinked="veilige-apps"[^>]*>\s*Ontkoppeld op [^<]*: Fout doel\./);
    expect((await fetch(new URL(`/campagnes/${SLUG}/opvolging`, site.url))).status).toBe(200);
    const json = (await (await fetch(new URL(`/api/v1/campaigns/${SLUG}/follow-up.json`, site.url))).json()) as { items: { number: string; goal: string }[] };
    expect(json.items.map((i) => `${i.number} ${i.goal}`)).not.toContain('2031Z01234 veilige-apps');
    const frozen = (await (await fetch(new URL(`/api/v1/campaigns/${SLUG}/follow-up.json?at=${encodeURIComponent(before)}`, site.url))).json()) as {
      items: { number: string; goal: string; effect: string }[];
    };
    expect(frozen.items).toEqual([expect.objectContaining({ number: '2031Z01234', goal: 'veilige-apps', effect: 'undermines' })]);
    expect((await admin.get(`${itemPage}?at=${encodeURIComponent(before)}`)).status).toBe(200);
    // Unlinking it again: not linked any more.
    const twice = await admin.submit(PAGE, 'unlinkItem', { goal: 'veilige-apps', number: '2031Z01234', reason: 'Nog eens.', confirm: 'ja' });
    expect(twice.status).toBe(404);
    // Said on the page (a second click, or a confirm page left open while another admin unlinked it).
    expect(await twice.text()).toMatch(/data-error-summary[\s\S]*Dit kamerstuk is niet \(meer\) aan dit doel gekoppeld\./);
    const english = await admin.submit(EN_PAGE, 'unlinkItem', { goal: 'veilige-apps', number: '2031Z01234', reason: 'Again.', confirm: 'ja' });
    expect(english.status).toBe(404);
    expect(await english.text()).toMatch(/data-error-summary[\s\S]*This item is not \(or no longer\) linked to this goal\./);
  });
});
