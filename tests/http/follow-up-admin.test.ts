/**
 * Beheer → Follow-up without JavaScript (issue 15): an admin rates a pair (a refused form says
 * which field, and writes nothing), uploads a saved Tweede Kamer response (a broken one is
 * refused naming the field's path, nothing written; a good one is linked), and maps a fraction
 * that matches no party. In both languages. Fictional parties only.
 */
import { readFile } from 'node:fs/promises';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fractionMappings, followUpRatings, parliamentItems } from '../../src/db/schema.ts';
import { createAccount, signInOverHttp } from '../helpers/accounts.ts';
import { ENGINES } from '../helpers/engines.ts';
import { databaseFingerprint } from '../helpers/fingerprint.ts';
import { FormClient } from '../helpers/form-client.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';
import { addTestParties } from '../fixtures/board.ts';
import { addTestCampaign } from '../fixtures/campaigns.ts';

const SLUG = 'opvolging-beheer-2030';
const PAGE = `/campagnes/${SLUG}/beheer/opvolging`;
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
      expect(await refused.text()).toMatch(/value\[0\]\.Besluit\[\d+\]\.Stemming\[\d+\]\.Soort/);
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
});
