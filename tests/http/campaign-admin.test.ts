/**
 * Campaigns in Beheer over HTTP (issue 14): the list of campaigns with their steps behind a
 * confirm step, a new campaign as a draft (goals and parties copied), its texts and goals
 * edited in both languages, an archived campaign refusing every edit, a party's history across
 * campaigns on its page, and nobody but a full admin reaching any of it. Bad input answers 4xx
 * and writes nothing. Fictional campaigns and parties only.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, campaignGoals, campaignParties, campaigns } from '../../src/db/schema.ts';
import { SYSTEM_ACTOR } from '../../src/domain/actors.ts';
import { savePledge } from '../../src/domain/pledges.ts';
import { readGoals } from '../../src/content-files.ts';
import { createAccount, signInOverHttp } from '../helpers/accounts.ts';
import { ENGINES } from '../helpers/engines.ts';
import { databaseFingerprint } from '../helpers/fingerprint.ts';
import { FormClient } from '../helpers/form-client.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';
import { addTestParties, TEST_CAMPAIGN_ID, TEST_PARTIES } from '../fixtures/board.ts';
import { newCampaignForm } from '../fixtures/campaigns.ts';

const FIRST = 'tweede-kamer-2025';
const NEW = 'provincie-test-2035';
const firstGoals = await readGoals('nl');

/** Form fields as a browser sends them: an empty field is sent empty. */
const fieldsOf = (form: Record<string, string | undefined>) => Object.fromEntries(Object.entries(form).map(([k, v]) => [k, v ?? '']));

/** A goal's form with every text filled in, both languages. */
function goalForm(tag: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const suffix of ['Nl', 'En']) {
    fields[`title${suffix}`] = `${tag} titel ${suffix}`;
    fields[`shortTitle${suffix}`] = `${tag} kort ${suffix}`;
    fields[`summary${suffix}`] = `${tag} samenvatting ${suffix}`;
    fields[`measures${suffix}`] = `${tag} maatregel een\r\n${tag} maatregel twee`;
    fields[`manifestoText${suffix}`] = `${tag} modeltekst ${suffix}`;
  }
  return fields;
}

describe.each(ENGINES)('campaigns in Beheer on %s', (engine) => {
  let site: TestSite;
  let admin: FormClient;
  let rep: FormClient;
  let anonymous: FormClient;

  const campaignRow = async (slug: string) => (await site.db.select().from(campaigns).where(eq(campaigns.slug, slug)))[0];
  const auditLines = async (action: string, subject?: string) =>
    (
      await site.db
        .select()
        .from(auditLog)
        .where(subject ? and(eq(auditLog.action, action), eq(auditLog.subject, subject)) : eq(auditLog.action, action))
    ).length;
  const unchanged = async (run: () => Promise<void>) => {
    const before = await databaseFingerprint(site.db);
    await run();
    expect(await databaseFingerprint(site.db)).toEqual(before);
  };
  const editPage = (slug: string) => `/campagnes/${slug}/beheer/campagne`;

  beforeAll(async () => {
    site = await startTestSite(engine);
    await addTestParties(site.db, TEST_PARTIES);
    const saved = await savePledge(site.db, {
      campaignId: TEST_CAMPAIGN_ID,
      partySlug: 'testpartij-a',
      goalSlug: firstGoals[0]!.slug,
      goalSlugs: firstGoals.map((g) => g.slug),
      baseVersion: 0,
      input: { stance: 'committed', statement: 'Ja, landelijk.' },
      actor: SYSTEM_ACTOR,
    });
    expect(saved.status).toBe('saved');
    await site.app.boardVersion.refresh();
    admin = new FormClient(site.url);
    rep = new FormClient(site.url);
    anonymous = new FormClient(site.url);
    await signInOverHttp(admin, await createAccount(site.db, { email: 'beheer@campagne.example', totp: true }));
    await signInOverHttp(rep, await createAccount(site.db, { email: 'rep@partij-a.example', party: 'testpartij-a', totp: true }));
  });
  afterAll(() => site?.close());

  it('lists every campaign with its state, election and links, in both languages; admins only', async () => {
    const page = await admin.get('/beheer/campagnes');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Huidige campagne');
    expect(html).toContain(`<code>${FIRST}</code>`);
    expect(html).toContain(`href="/campagnes/${FIRST}/beheer"`);
    expect(html).toContain(`href="/campagnes/${FIRST}/beheer/campagne"`);
    expect(html).toContain('href="/beheer/campagnes/nieuw"');
    expect((await admin.get('/en/admin/campaigns/new')).status).toBe(200);
    expect((await admin.get(`/en/campaigns/${FIRST}/admin/campaign`)).status).toBe(200);
    const en = await (await admin.get('/en/admin/campaigns')).text();
    expect(en).toContain('Current campaign');
    expect(en).toContain(`href="/en/campaigns/${FIRST}/admin"`);
    // In the admin menu of every Beheer page.
    expect(await (await admin.get('/beheer')).text()).toContain('href="/beheer/campagnes"');
    for (const path of ['/beheer/campagnes', '/beheer/campagnes/nieuw', '/beheer/campagne', `${editPage(FIRST)}`]) {
      expect((await anonymous.get(path)).status, path).toBe(303);
      const byRep = await rep.get(path);
      expect(byRep.status, path).toBe(403);
      expect(await byRep.text()).not.toContain('campaign.field');
    }
  });

  it('refuses a new campaign from a representative or anonymously, writing nothing', async () => {
    await unchanged(async () => {
      for (const client of [anonymous, rep]) {
        const response = await client.submit('/beheer/campagnes/nieuw', 'createCampaign', fieldsOf(newCampaignForm(FIRST, 'van-een-rep')));
        expect([401, 403]).toContain(response.status);
        expect([401, 403]).toContain((await client.callAction('createCampaign', fieldsOf(newCampaignForm(FIRST, 'van-een-rep')))).status);
      }
    });
  });

  it('refuses every campaign action from a representative or anonymously, at the page and at /_actions', async () => {
    const calls: [string, string, Record<string, string>][] = [
      ['/beheer/campagnes', 'setCampaignState', { campaign: FIRST, step: 'close', confirm: 'ja' }],
      ['/beheer/campagnes', 'makeCampaignCurrent', { campaign: FIRST, confirm: 'ja' }],
      [editPage(FIRST), 'updateCampaign', { nameNl: 'Gekaapt' }],
      [editPage(FIRST), 'updateGoal', { goal: firstGoals[0]!.slug, ...goalForm('Gekaapt') }],
      [editPage(FIRST), 'addGoal', { slug: 'gekaapt', number: '9', ...goalForm('Gekaapt') }],
      [editPage(FIRST), 'deleteGoal', { goal: firstGoals[0]!.slug, confirm: 'ja' }],
    ];
    await unchanged(async () => {
      for (const client of [anonymous, rep]) {
        for (const [page, action, fields] of calls) {
          expect([401, 403], action).toContain((await client.submit(page, action, fields)).status);
          expect([401, 403], action).toContain((await client.callAction(action, fields)).status);
        }
      }
    });
  });

  it('refuses a bad new campaign with every field’s message, writing nothing', async () => {
    await unchanged(async () => {
      const bad = fieldsOf({
        ...newCampaignForm(FIRST, 'nieuw'),
        nameNl: '',
        organiserWebsite: 'http://example.org',
        taglineEn: 'a\u0001b',
        deadlineDate: '2020-01-01',
        deadlineTime: '12:00',
      });
      const response = await admin.submit('/beheer/campagnes/nieuw', 'createCampaign', bad);
      expect(response.status).toBe(400);
      const html = await response.text();
      // GOV.UK's summary at the top, linking each field; each message next to its field too.
      expect(html).toContain('href="#field-slug"');
      expect(html).toContain('Dit woord is een deel van de adressen van de site; kies een ander.');
      expect(html).toContain('href="#field-nameNl"');
      expect(html).toContain('id="field-organiserWebsite-error"');
      expect(html).toContain('id="field-taglineEn-error"');
      expect(html).toContain('id="field-deadlineDate-error"');
      // What was typed stays.
      expect(html).toContain('value="http://example.org"');
      for (const [field, value] of [
        ['slug', FIRST],
        ['slug', 'Hoofd Letters'],
        ['corrections', 'ftp://example.org'],
        ['electionDate', '2035-13-01'],
        ['copyGoalsFrom', 'bestaat-niet'],
        ['partiesFrom', 'bestaat-niet'],
        ['nameEn', 'x'.repeat(121)],
        ['nameNl', 'twee\nregels'],
        ['organiserName', 'nul\u0000teken'],
      ]) {
        const one = await admin.submit('/beheer/campagnes/nieuw', 'createCampaign', fieldsOf({ ...newCampaignForm(FIRST, 'goed-2035'), [field!]: value }));
        expect(one.status, `${field}=${value}`).toBe(400);
        expect(await one.text()).toContain(`id="field-${field}-error"`);
      }
    });
    // A field sent twice is refused, not taken once.
    await unchanged(async () => {
      const form = new URLSearchParams(fieldsOf(newCampaignForm(FIRST, 'dubbel-2035')));
      form.append('nameNl', 'Andere naam');
      const response = await fetch(new URL('/beheer/campagnes/nieuw?_action=createCampaign', site.url), {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin: site.origin,
          cookie: [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        },
        body: form.toString(),
        redirect: 'manual',
      });
      expect(response.status).toBe(400);
    });
  });

  it('makes a new campaign as a draft, with the goals and parties of the current one', async () => {
    const page = await (await admin.get('/beheer/campagnes/nieuw')).text();
    // The defaults: copy from the current campaign, its call on the choice of words.
    expect(page).toMatch(new RegExp(`<option value="${FIRST}" selected`));
    const response = await admin.submit(
      '/beheer/campagnes/nieuw',
      'createCampaign',
      fieldsOf(newCampaignForm(FIRST, NEW, { terminologyNl: '', terminologyEn: '' })),
    );
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/beheer/campagnes?nieuw=${NEW}`);
    const row = (await campaignRow(NEW))!;
    expect(row.state).toBe('draft');
    const goals = await site.db.select().from(campaignGoals).where(eq(campaignGoals.campaignId, row.id));
    expect(goals.map((g) => g.slug).sort()).toEqual(firstGoals.map((g) => g.slug).sort());
    const taking = await site.db.select().from(campaignParties).where(eq(campaignParties.campaignId, row.id));
    const first = await site.db.select().from(campaignParties).where(eq(campaignParties.campaignId, TEST_CAMPAIGN_ID));
    expect(taking.map((p) => p.partyId).sort()).toEqual(
      first
        .filter((p) => p.retiredAt === null)
        .map((p) => p.partyId)
        .sort(),
    );
    expect(taking.length).toBeGreaterThanOrEqual(TEST_PARTIES.length);
    expect(taking.every((p) => p.seats === 0)).toBe(true);
    expect(await auditLines('campaign.created', NEW)).toBe(1);
    // A draft: admins see it at its address, nobody else does.
    expect((await admin.get(`/campagnes/${NEW}`)).status).toBe(200);
    expect((await anonymous.get(`/campagnes/${NEW}`)).status).toBe(404);
    const list = await (await admin.get(`/beheer/campagnes?nieuw=${NEW}`)).text();
    expect(list).toContain('Campagne aangemaakt, als concept.');
    expect(list).toContain('Concept');
  });

  it('edits a draft’s texts and goals in both languages; a draft can rename and delete a goal', async () => {
    const page = await admin.get(editPage(NEW));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('name="newSlug"');
    const profile = fieldsOf({
      ...newCampaignForm(FIRST, NEW),
      nameNl: 'Provinciale Staten (test)',
      nameEn: 'Provincial elections (test)',
      terminologyNl: 'Zeg CSAM.',
      terminologyEn: 'Say CSAM.',
    });
    for (const name of ['slug', 'copyGoalsFrom', 'partiesFrom']) delete profile[name];
    const saved = await admin.submit(editPage(NEW), 'updateCampaign', profile);
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`${editPage(NEW)}?opgeslagen=1`);
    expect(await (await admin.get(`/en/campaigns/${NEW}`)).text()).toContain('Provincial elections (test)');
    expect(await auditLines('campaign.updated', NEW)).toBe(1);

    const goal = firstGoals[1]!.slug;
    expect((await admin.submit(editPage(NEW), 'updateGoal', { goal, newSlug: 'hernoemd', ...goalForm('Nieuw') })).status).toBe(303);
    const goalPage = await (await admin.get(`/en/campaigns/${NEW}/goals/hernoemd`)).text();
    expect(goalPage).toContain('Nieuw titel En');
    expect(goalPage).toContain('Nieuw maatregel twee');
    // Bad goal input: a message next to the field, nothing written.
    await unchanged(async () => {
      const bad = await admin.submit(editPage(NEW), 'updateGoal', { goal: 'hernoemd', ...goalForm('Fout'), titleEn: '', shortTitleNl: 'x'.repeat(61) });
      expect(bad.status).toBe(400);
      const html = await bad.text();
      expect(html).toContain('id="goal-hernoemd-titleEn-error"');
      expect(html).toContain('href="#goal-hernoemd-shortTitleNl"');
      expect((await admin.submit(editPage(NEW), 'updateGoal', { goal: 'bestaat-niet', ...goalForm('Fout') })).status).toBe(404);
      expect((await admin.submit(editPage(NEW), 'addGoal', { slug: 'hernoemd', number: '1', ...goalForm('Fout') })).status).toBe(400);
      expect((await admin.submit(editPage(NEW), 'addGoal', { slug: 'nog-een', number: '21', ...goalForm('Fout') })).status).toBe(400);
      // Deleting asks first: without the confirm step nothing happens.
      expect((await admin.submit(editPage(NEW), 'deleteGoal', { goal: 'hernoemd' })).status).toBe(409);
    });
    expect((await admin.submit(editPage(NEW), 'addGoal', { slug: 'vijfde', number: '5', ...goalForm('Vijf') })).status).toBe(303);
    const confirm = await (await admin.get(`${editPage(NEW)}?verwijder=vijfde`)).text();
    expect(confirm).toContain('name="confirm" value="ja"');
    expect((await admin.submit(editPage(NEW), 'deleteGoal', { goal: 'vijfde', confirm: 'ja' })).status).toBe(303);
    const row = (await campaignRow(NEW))!;
    const slugs = (await site.db.select().from(campaignGoals).where(eq(campaignGoals.campaignId, row.id))).map((g) => g.slug);
    expect(slugs).toContain('hernoemd');
    expect(slugs).not.toContain('vijfde');
    expect(await auditLines('campaign.goal-deleted')).toBe(1);
  });

  it('publishes, closes, follows up, archives and un-archives, each after "are you sure?"', async () => {
    const confirm = await admin.get(`/beheer/campagnes?bevestig=publish&campagne=${NEW}`);
    const html = await confirm.text();
    expect(html).toContain('data-confirm-step');
    expect(html).toContain(`name="campaign" value="${NEW}"`);
    // A single POST without the confirmation, and a step the state does not allow: 409, nothing changed.
    await unchanged(async () => {
      expect((await admin.submit('/beheer/campagnes', 'setCampaignState', { campaign: NEW, step: 'publish' })).status).toBe(409);
      expect((await admin.submit('/beheer/campagnes', 'setCampaignState', { campaign: NEW, step: 'close', confirm: 'ja' })).status).toBe(409);
      expect((await admin.submit('/beheer/campagnes', 'setCampaignState', { campaign: NEW, step: 'verwijderen', confirm: 'ja' })).status).toBe(400);
      expect((await admin.submit('/beheer/campagnes', 'setCampaignState', { campaign: 'bestaat-niet', step: 'publish', confirm: 'ja' })).status).toBe(404);
      // A draft cannot be current.
      expect((await admin.submit('/beheer/campagnes', 'makeCampaignCurrent', { campaign: NEW, confirm: 'ja' })).status).toBe(409);
    });
    const step = (name: string) => admin.submit('/beheer/campagnes', 'setCampaignState', { campaign: NEW, step: name, confirm: 'ja' });
    expect((await step('publish')).status).toBe(303);
    expect((await campaignRow(NEW))!.state).toBe('open');
    expect((await anonymous.get(`/campagnes/${NEW}`)).status).toBe(200);
    expect(await auditLines('campaign.published', NEW)).toBe(1);
    // Published: a goal's slug stays, and no goal is deleted.
    await unchanged(async () => {
      expect((await admin.submit(editPage(NEW), 'updateGoal', { goal: 'hernoemd', newSlug: 'anders', ...goalForm('Nieuw') })).status).toBe(409);
      expect((await admin.submit(editPage(NEW), 'deleteGoal', { goal: 'hernoemd', confirm: 'ja' })).status).toBe(409);
    });
    expect(await (await admin.get(editPage(NEW))).text()).not.toContain('name="newSlug"');
    expect((await admin.submit(editPage(NEW), 'updateGoal', { goal: 'hernoemd', ...goalForm('Later') })).status).toBe(303);

    // Make it current, and back.
    expect((await admin.submit('/beheer/campagnes', 'makeCampaignCurrent', { campaign: NEW })).status).toBe(409);
    expect((await admin.submit('/beheer/campagnes', 'makeCampaignCurrent', { campaign: NEW, confirm: 'ja' })).status).toBe(303);
    expect(await (await anonymous.get('/')).text()).toContain(`/campagnes/${NEW}`);
    expect((await admin.submit('/beheer/campagnes', 'makeCampaignCurrent', { campaign: FIRST, confirm: 'ja' })).status).toBe(303);
    expect(await auditLines('campaign.made-current')).toBe(2);

    expect((await step('close')).status).toBe(303);
    expect((await step('follow-up')).status).toBe(303);
    expect((await step('archive')).status).toBe(303);
    expect((await campaignRow(NEW))!.state).toBe('archived');
    expect(await auditLines('campaign.archived', NEW)).toBe(1);
  });

  it('an archived campaign refuses every edit with 409, and shows its texts read-only', async () => {
    const page = await (await admin.get(editPage(NEW))).text();
    expect(page).toContain('Deze campagne is gearchiveerd: je kunt haar alleen lezen.');
    expect(page).not.toContain('?_action=addGoal');
    await unchanged(async () => {
      const profile = fieldsOf({ ...newCampaignForm(FIRST, NEW), terminologyNl: 'Zeg CSAM.', terminologyEn: 'Say CSAM.' });
      for (const name of ['slug', 'copyGoalsFrom', 'partiesFrom', 'deadlineDate', 'deadlineTime']) delete profile[name];
      expect((await admin.submit(editPage(NEW), 'updateCampaign', profile)).status).toBe(409);
      expect((await admin.submit(editPage(NEW), 'updateGoal', { goal: 'hernoemd', ...goalForm('Archief') })).status).toBe(409);
      expect((await admin.submit(editPage(NEW), 'addGoal', { slug: 'zesde', number: '6', ...goalForm('Zes') })).status).toBe(409);
      // Seats are the campaign's too: the database keeps an archived campaign as it was.
      expect(
        (
          await admin.submit(`/campagnes/${NEW}/beheer/partijen/testpartij-a`, 'updateParty', {
            slug: 'testpartij-a',
            name: 'Testpartij A',
            abbreviation: 'TPA',
            seats: '9',
            website: '',
          })
        ).status,
      ).toBe(409);
    });
    // Out of the archive it is closed, and can be edited again.
    expect((await admin.submit('/beheer/campagnes', 'setCampaignState', { campaign: NEW, step: 'unarchive', confirm: 'ja' })).status).toBe(303);
    expect((await campaignRow(NEW))!.state).toBe('closed');
    expect(await auditLines('campaign.unarchived', NEW)).toBe(1);
  });

  it('shows a party’s other campaigns on its page, with its committed goals there', async () => {
    // In the new campaign (published, closed) party A committed to nothing; in the first, to one goal.
    // A campaign still open for pledging is not yet part of a party's record elsewhere.
    expect(await (await anonymous.get(`/campagnes/${NEW}/partijen/testpartij-a`)).text()).not.toContain('In andere campagnes');
    expect((await admin.submit('/beheer/campagnes', 'setCampaignState', { campaign: FIRST, step: 'close', confirm: 'ja' })).status).toBe(303);
    const page = await (await anonymous.get(`/campagnes/${NEW}/partijen/testpartij-a`)).text();
    expect(page).toContain('In andere campagnes');
    expect(page).toContain(`href="/campagnes/${FIRST}/partijen/testpartij-a"`);
    expect(page).toContain(`1 van ${firstGoals.length} doelen toegezegd`);
    const en = await (await anonymous.get('/en/parties/testpartij-a')).text();
    expect(en).toContain('In other campaigns');
    expect(en).toContain(`href="/en/campaigns/${NEW}/parties/testpartij-a"`);
    expect(en).toContain(`0 of ${firstGoals.length} goals committed`);
  });
});
