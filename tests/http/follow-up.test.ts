/**
 * The follow-up after the election in public (issue 15): the follow-up view and a page per
 * linked item in both languages, the open data (JSON against OpenAPI, CSV, Atom), the embed,
 * frozen views, the party's reply to a rating (from Mijn partij to the page and the open data),
 * and 404 where there is nothing to show. Fictional campaign and parties.
 */
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse as parseCsv } from 'csv-parse/sync';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaigns, evidenceSnapshots, pledgeChecks, pledges } from '../../src/db/schema.ts';
import type { Actor } from '../../src/domain/actors.ts';
import { FOLLOW_UP_CSV_COLUMNS } from '../../src/domain/follow-up-board.ts';
import { rateFollowUp } from '../../src/domain/follow-up.ts';
import { linkZaak, setFractionMapping } from '../../src/domain/parliament/items.ts';
import { savePledge } from '../../src/domain/pledges.ts';
import { listReplyEvents, moderateReply } from '../../src/domain/replies.ts';
import { addTestParties, testRep } from '../fixtures/board.ts';
import { createAccount, signInOverHttp } from '../helpers/accounts.ts';
import { FormClient } from '../helpers/form-client.ts';
import { addTestCampaign, SECOND_GOALS } from '../fixtures/campaigns.ts';
import { readMotion } from '../fixtures/follow-up.ts';
import { ENGINES } from '../helpers/engines.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';
import { strictXmlErrors } from '../helpers/strict-xml.ts';

const SLUG = 'opvolging-2030';
type CampaignsJson = { campaigns: { slug: string; links: Record<string, string> }[] };
const OPEN = 'nog-open-2030';
const ADMIN: Actor = { userId: null, name: 'Beheer Test', role: 'admin', partyId: null, label: 'beheer@example.org' };
const motion = readMotion();
const [apps, school] = SECOND_GOALS.map((g) => g.slug) as [string, string];
const BEFORE_RATING = new Date('2026-03-01T00:00:00Z');
const BEFORE_CHECK = new Date('2026-02-05T00:00:00Z');
const CHECKED_AT = new Date('2026-02-10T00:00:00Z');
const GONE_AT = new Date('2026-03-20T00:00:00Z');
const SOURCE = 'https://example.org/p.pdf';
const KEPT_HASH = 'a'.repeat(64);
const PARTIES = [
  { slug: 'kustpartij', name: 'Kustpartij', abbreviation: 'KP', seats: 31, website: null, createdAt: new Date('2026-01-01T00:00:00Z') },
  { slug: 'vrije-burgers', name: 'Vrije Burgers', abbreviation: 'VB', seats: 17, website: null, createdAt: new Date('2026-01-01T00:00:00Z') },
];

describe.each(ENGINES)('the public follow-up on %s', (engine) => {
  let site: TestSite;
  const get = (p: string, init?: RequestInit) => fetch(new URL(p, site.url), init);
  let errorsOf: (p: string, status: number, data: unknown) => string[];

  beforeAll(async () => {
    site = await startTestSite(engine);
    const { db } = site;
    const campaignId = await addTestCampaign(db, { slug: SLUG, state: 'open', name: 'Opvolgingscampagne' });
    await addTestCampaign(db, { slug: OPEN, state: 'open', name: 'Open campagne' });
    const ids = await addTestParties(db, PARTIES, campaignId);
    const saved = await savePledge(db, {
      campaignId,
      partySlug: 'kustpartij',
      goalSlug: apps,
      goalSlugs: [apps, school],
      baseVersion: 0,
      input: { stance: 'committed', statement: 'Ja.', evidenceUrl: 'https://example.org/p.pdf', evidencePage: 1 },
      actor: testRep(ids.get('kustpartij')!),
      now: new Date('2026-02-01T00:00:00Z'),
    });
    expect(saved.status).toBe('saved');
    // The campaign checked Kustpartij's pledge and kept its source (a PDF); fetched again later, it was gone.
    const [pledge] = await db.select().from(pledges).where(eq(pledges.campaignId, campaignId));
    const [kept] = await db
      .insert(evidenceSnapshots)
      .values({
        campaignId,
        url: SOURCE,
        finalUrl: SOURCE,
        httpStatus: 200,
        contentType: 'application/pdf',
        size: 4321,
        sha256: KEPT_HASH,
        fetchedAt: CHECKED_AT,
      })
      .returning();
    await db.insert(pledgeChecks).values({
      campaignId,
      pledgeId: pledge!.id,
      pledgeVersion: pledge!.version,
      verdict: 'verified',
      quote: 'Wij maken apps veilig.',
      page: 3,
      checkedUrl: SOURCE,
      snapshotId: kept!.id,
      byName: 'Beheer Test',
      checkedAt: CHECKED_AT,
    });
    await db
      .insert(evidenceSnapshots)
      .values({ campaignId, url: SOURCE, finalUrl: SOURCE, httpStatus: 404, contentType: 'text/html', size: 9, sha256: 'b'.repeat(64), fetchedAt: GONE_AT });
    await db.update(campaigns).set({ state: 'follow-up' }).where(eq(campaigns.id, campaignId));
    expect(
      await linkZaak(db, campaignId, { goalSlug: apps, effect: 'advances', item: motion }, { actor: ADMIN, now: new Date('2026-03-12T00:00:00Z') }),
    ).toMatchObject({
      status: 'done',
    });
    expect(
      await linkZaak(db, campaignId, { goalSlug: school, effect: 'undermines', item: motion }, { actor: ADMIN, now: new Date('2026-03-12T00:00:00Z') }),
    ).toMatchObject({
      status: 'done',
    });
    await setFractionMapping(db, campaignId, { fraction: 'Groen-Dorp', partySlug: null }, { actor: ADMIN });
    const rated = await rateFollowUp(
      db,
      campaignId,
      {
        partySlug: 'vrije-burgers',
        goalSlug: apps,
        status: 'broken',
        brokenReason: 'changed-position',
        citationUrl: 'https://example.org/stemmingsuitslag',
        explanation: 'Stemde tegen de motie die het doel dichterbij brengt.',
      },
      { actor: ADMIN, now: new Date('2026-03-15T00:00:00Z') },
    );
    expect(rated.status).toBe('done');
    await site.app.boardVersion.refresh();
    const document = (await (await get('/api/v1/openapi.json')).json()) as {
      components: object;
      paths: Record<string, { get: { responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }> } }>;
    };
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ $id: 'openapi', components: document.components });
    errorsOf = (p, status, data) => {
      const schema = document.paths[p]?.get.responses[String(status)]?.content?.['application/json']?.schema;
      if (!schema) return [`the document describes no JSON for ${p} ${status}`];
      const validate = ajv.compile(schema.$ref ? { $ref: `openapi${schema.$ref}` } : schema);
      return validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
    };
  });
  afterAll(() => site?.close());

  it('shows per party × goal the pledge, the rating with its source, and the votes summary, in Dutch and English', async () => {
    const nl = await get(`/campagnes/${SLUG}/opvolging`);
    expect(nl.status).toBe(200);
    const html = await nl.text();
    expect(html).toContain('Gebroken: standpunt veranderd');
    expect(html).toContain('href="https://example.org/stemmingsuitslag"');
    expect(html).toContain('Nog niet beoordeeld');
    // Advances: Kustpartij voted for; undermines: Kustpartij for is not in line.
    expect(html).toMatch(/data-goal="veilige-apps"[\s\S]*data-party="kustpartij"[\s\S]*?data-votes="1\/1"/);
    expect(html).toMatch(/data-goal="hulp-op-school"[\s\S]*data-party="kustpartij"[\s\S]*?data-votes="0\/1"/);
    expect(html).toContain(`href="/campagnes/${SLUG}/opvolging/kamerstukken/2031Z01234"`);
    const en = await get(`/en/campaigns/${SLUG}/follow-up`);
    expect(en.status).toBe(200);
    const english = await en.text();
    expect(english).toContain('Broken: changed position');
    expect(english).toContain('voted in line with this goal on 1 of 1 items');
  });

  it('has a page per linked item with its number linking to the source, the decision, the votes per party and its goals', async () => {
    const page = await get(`/campagnes/${SLUG}/opvolging/kamerstukken/2031Z01234`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Bescherming van kinderen online');
    expect(html).toContain(`href="${motion.sourceUrl}"`);
    expect(html).toContain('Stemmen - aangenomen: Aangenomen.');
    expect(html).toMatch(/data-party="kustpartij" data-vote="for"/);
    expect(html).toMatch(/data-party="vrije-burgers" data-vote="against"/);
    expect(html).toContain('Groen-Dorp: Voor');
    expect(html).toMatch(/data-goal="veilige-apps"[\s\S]*brengt het doel dichterbij/);
    expect(html).toMatch(/data-goal="hulp-op-school"[\s\S]*ondermijnt het doel/);
    const en = await get(`/en/campaigns/${SLUG}/follow-up/parliament/2031Z01234`);
    expect(en.status).toBe(200);
    expect(await en.text()).toContain('undermines the goal');
  });

  it('answers 404 for an item not linked, a number that is none, and a campaign not in follow-up, oEmbed too', async () => {
    for (const p of [
      `/campagnes/${SLUG}/opvolging/kamerstukken/2031Z09999`,
      `/campagnes/${SLUG}/opvolging/kamerstukken/niets`,
      `/en/campaigns/${SLUG}/follow-up/parliament/2031Z09999`,
      `/campagnes/${OPEN}/opvolging`,
      `/campagnes/${OPEN}/embed/opvolging`,
      `/api/v1/campaigns/${OPEN}/follow-up.json`,
      `/api/v1/campaigns/${OPEN}/follow-up.csv`,
      '/opvolging',
    ]) {
      expect((await get(p)).status, p).toBe(404);
    }
    // oEmbed says the same of an item page: the follow-up's embed only for an item that is linked (then, for a frozen view).
    const oembed = (p: string) => get(`/oembed?url=${encodeURIComponent(new URL(p, site.url).toString())}`);
    expect((await oembed(`/campagnes/${SLUG}/opvolging/kamerstukken/2031Z01234`)).status).toBe(200);
    for (const p of [
      `/campagnes/${SLUG}/opvolging/kamerstukken/2031Z09999`,
      `/campagnes/${SLUG}/opvolging/kamerstukken/niets`,
      `/en/campaigns/${SLUG}/follow-up/parliament/2031Z09999`,
      `/campagnes/${SLUG}/opvolging/kamerstukken/2031Z01234?at=${encodeURIComponent(BEFORE_CHECK.toISOString())}`,
    ]) {
      expect((await oembed(p)).status, p).toBe(404);
    }
  });

  it('gives follow-up.json (valid against OpenAPI) with each item, its decision and votes per party, and the ratings', async () => {
    const p = `/api/v1/campaigns/${SLUG}/follow-up.json`;
    const response = await get(p);
    expect(response.status).toBe(200);
    const data = await response.json();
    expect(errorsOf('/api/v1/campaigns/{campaign}/follow-up.json', 200, data)).toEqual([]);
    expect(data.items.map((i: { number: string; goal: string }) => [i.number, i.goal])).toEqual([
      ['2031Z01234', 'hulp-op-school'],
      ['2031Z01234', 'veilige-apps'],
    ]);
    expect(data.items[1].decision.text).toBe('Aangenomen.');
    expect(data.items[1].votes).toContainEqual({ party: 'vrije-burgers', fraction: 'VB', vote: 'against', mistake: true });
    expect(data.ratings).toEqual([expect.objectContaining({ party: 'vrije-burgers', goal: apps, status: 'broken', brokenReason: 'changed-position' })]);
    // The pledge's check (added in 1.8), as scoreboard.json gives it: the kept copy's facts, and that the page is gone since.
    const check = {
      status: 'verified',
      checkedAt: CHECKED_AT.toISOString(),
      reason: null,
      quote: 'Wij maken apps veilig.',
      page: 3,
      url: SOURCE,
      reply: null,
      evidence: {
        url: SOURCE,
        finalUrl: SOURCE,
        fetchedAt: CHECKED_AT.toISOString(),
        httpStatus: 200,
        refusal: null,
        contentType: 'application/pdf',
        size: 4321,
        sha256: KEPT_HASH,
        truncated: false,
      },
      since: 'gone',
      sinceFetchedAt: GONE_AT.toISOString(),
    };
    expect(data.parties.find((x: { slug: string }) => x.slug === 'kustpartij').goals[apps]).toEqual({
      stance: 'committed',
      check,
      followUp: null,
      votes: { inLine: 1, counted: 1 },
    });
    expect(data.parties.find((x: { slug: string }) => x.slug === 'vrije-burgers').goals[apps].check).toMatchObject({ status: 'unchecked', evidence: null });
    // Frozen before the rating and the imports: nothing rated, no items; checked, but not yet fetched again.
    const frozen = await (await get(`${p}?at=${BEFORE_RATING.toISOString()}`)).json();
    expect(errorsOf('/api/v1/campaigns/{campaign}/follow-up.json', 200, frozen)).toEqual([]);
    expect(frozen.items).toEqual([]);
    expect(frozen.ratings).toEqual([]);
    expect(frozen.parties.find((x: { slug: string }) => x.slug === 'kustpartij').goals[apps].check).toEqual({ ...check, since: null, sinceFetchedAt: null });
    const beforeCheck = await (await get(`${p}?at=${BEFORE_CHECK.toISOString()}`)).json();
    expect(beforeCheck.parties.find((x: { slug: string }) => x.slug === 'kustpartij').goals[apps].check.status).toBe('unchecked');
    const missing = await get(`/api/v1/campaigns/${OPEN}/follow-up.json`);
    expect(errorsOf('/api/v1/campaigns/{campaign}/follow-up.json', 404, await missing.json())).toEqual([]);
  });

  it('gives follow-up.csv, one row per party × goal', async () => {
    const response = await get(`/api/v1/campaigns/${SLUG}/follow-up.csv`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toContain('pledgeboard-follow-up-live.csv');
    const rows = parseCsv<Record<string, string>>(await response.text(), { columns: true, bom: true });
    expect(Object.keys(rows[0]!)).toEqual([...FOLLOW_UP_CSV_COLUMNS]);
    expect(rows).toHaveLength(4);
    expect(rows.find((r) => r.party_slug === 'vrije-burgers' && r.goal_slug === apps)).toMatchObject({
      follow_up_status: 'broken',
      broken_reason: 'changed-position',
      votes_in_line: '0',
      votes_counted: '1',
      check_status: 'unchecked',
      evidence_sha256: '',
    });
    // Added in 1.8, after the columns there were: the pledge's check, as in pledges.csv.
    expect(Object.keys(rows[0]!).indexOf('check_status')).toBe(Object.keys(rows[0]!).indexOf('follow_up_reply_hidden_reason') + 1);
    expect(rows.find((r) => r.party_slug === 'kustpartij' && r.goal_slug === apps)).toMatchObject({
      check_status: 'verified',
      checked_at: CHECKED_AT.toISOString(),
      check_url: SOURCE,
      evidence_fetched_at: CHECKED_AT.toISOString(),
      evidence_http_status: '200',
      evidence_content_type: 'application/pdf',
      evidence_size: '4321',
      evidence_sha256: KEPT_HASH,
      evidence_since: 'gone',
    });
    const frozen = parseCsv<Record<string, string>>(await (await get(`/api/v1/campaigns/${SLUG}/follow-up.csv?at=${BEFORE_CHECK.toISOString()}`)).text(), {
      columns: true,
      bom: true,
    });
    expect(frozen.find((r) => r.party_slug === 'kustpartij' && r.goal_slug === apps)?.check_status).toBe('unchecked');
  });

  it("shows the campaign's check mark next to the pledged stance, with its words; frozen, as it was", async () => {
    const cardOf = (html: string, party: string) => new RegExp(`data-goal="${apps}"[\\s\\S]*?(data-party="${party}"[\\s\\S]*?</li>)`).exec(html)?.[1] ?? '';
    const html = await (await get(`/campagnes/${SLUG}/opvolging`)).text();
    expect(cardOf(html, 'kustpartij')).toContain('data-check-mark="verified"');
    expect(cardOf(html, 'kustpartij')).toContain('<span class="visually-hidden">, gecontroleerd door de campagne</span>');
    expect(cardOf(html, 'vrije-burgers')).not.toContain('data-check-mark');
    expect(cardOf(await (await get(`/en/campaigns/${SLUG}/follow-up`)).text(), 'kustpartij')).toContain(', checked by the campaign');
    expect(cardOf(await (await get(`/campagnes/${SLUG}/opvolging?at=${BEFORE_RATING.toISOString()}`)).text(), 'kustpartij')).toContain(
      'data-check-mark="verified"',
    );
    expect(cardOf(await (await get(`/campagnes/${SLUG}/opvolging?at=${BEFORE_CHECK.toISOString()}`)).text(), 'kustpartij')).not.toContain('data-check-mark');
  });

  it('campaigns.json names the follow-up files of a campaign that has a follow-up, and of no other (as its schema says)', async () => {
    const body = (await (await get('/api/v1/campaigns.json')).json()) as CampaignsJson;
    expect(errorsOf('/api/v1/campaigns.json', 200, body)).toEqual([]);
    const links = (slug: string) => body.campaigns.find((c) => c.slug === slug)!.links;
    expect(links(SLUG)).toMatchObject({
      followUp: `${site.origin}/api/v1/campaigns/${SLUG}/follow-up.json`,
      followUpCsv: `${site.origin}/api/v1/campaigns/${SLUG}/follow-up.csv`,
      followUpFeed: `${site.origin}/campagnes/${SLUG}/opvolging/feed.xml`,
    });
    for (const file of ['followUp', 'followUpCsv', 'followUpFeed'] as const) expect((await get(links(SLUG)[file]!)).status, file).toBe(200);
    expect(Object.keys(links(OPEN))).not.toContain('followUp');
    expect(Object.keys(links(OPEN)).filter((k) => k.startsWith('followUp'))).toEqual([]);
    const english = (await (await get('/api/v1/campaigns.json?lang=en')).json()) as CampaignsJson;
    expect(english.campaigns.find((c) => c.slug === SLUG)!.links).toMatchObject({
      followUp: `${site.origin}/api/v1/campaigns/${SLUG}/follow-up.json?lang=en`,
      followUpFeed: `${site.origin}/en/campaigns/${SLUG}/follow-up/feed.xml`,
    });
  });

  it('gives an Atom feed of ratings, a well-formed one, and the embed (frozen too)', async () => {
    const feed = await get(`/campagnes/${SLUG}/opvolging/feed.xml`);
    expect(feed.status).toBe(200);
    const xml = await feed.text();
    expect(strictXmlErrors(xml)).toEqual([]);
    expect(xml).toContain('Vrije Burgers op 1. Veilige apps voor kinderen: Gebroken: standpunt veranderd');
    expect(xml).toContain(`/campagnes/${SLUG}/opvolging#opvolging-veilige-apps`);
    const embed = await get(`/campagnes/${SLUG}/embed/opvolging?parties=kustpartij`);
    expect(embed.status).toBe(200);
    const html = await embed.text();
    expect(html).toContain('data-party="kustpartij"');
    expect(html).not.toContain('data-party="vrije-burgers"');
    const frozen = await (await get(`/en/campaigns/${SLUG}/embed/follow-up?at=${BEFORE_RATING.toISOString()}`)).text();
    expect(frozen).toContain('Not yet rated');
    expect(frozen).not.toContain('Broken');
  });

  it("lets the rated party's representative reply on Mijn partij; the reply shows on the page, in follow-up.json and the CSV", async () => {
    const myParty = `/campagnes/${SLUG}/mijn-partij`;
    // Test accounts are invited through the current campaign: its parties are these two as well.
    await addTestParties(site.db, PARTIES);
    const rep = new FormClient(site.url);
    await signInOverHttp(rep, await createAccount(site.db, { email: 'rep@vrije-burgers.example', party: 'vrije-burgers', name: 'Vera Burger' }));
    const other = new FormClient(site.url);
    await signInOverHttp(other, await createAccount(site.db, { email: 'rep@kustpartij.example', party: 'kustpartij', name: 'Kees Kust' }));
    const admin = new FormClient(site.url);
    await signInOverHttp(admin, await createAccount(site.db, { email: 'beheer@opvolging.example', name: 'Bea Bakker', totp: true }));
    const form = await (await rep.get(myParty)).text();
    expect(form).toContain('Opvolging door de campagne');
    expect(form).toContain('Stemde tegen de motie die het doel dichterbij brengt.');
    const ratingId = /name="rating" value="(\d+)"/.exec(form)?.[1];
    expect(ratingId).toBeDefined();
    // Kustpartij's page has no rating of its own to answer; its representative cannot answer Vrije Burgers'.
    expect(await (await other.get(myParty)).text()).toContain('De campagne heeft nog geen doel van uw partij beoordeeld.');
    const fields = { rating: ratingId!, text: 'Wij stemden tegen deze motie, niet tegen het doel.' };
    expect((await other.submit(myParty, 'replyToFollowUp', fields)).status).toBe(403);
    expect((await admin.submit(myParty, 'replyToFollowUp', fields)).status).toBe(403);
    expect((await rep.submit(myParty, 'replyToFollowUp', { ...fields, text: '' })).status).toBe(400);

    const response = await rep.submit(myParty, 'replyToFollowUp', fields);
    expect(response.status).toBe(303);
    expect(await (await rep.get(response.headers.get('location')!)).text()).toContain('Uw reactie staat nu bij de beoordeling.');
    await site.app.boardVersion.refresh();

    const html = await (await get(`/campagnes/${SLUG}/opvolging`)).text();
    expect(html).toMatch(
      /data-party="vrije-burgers"[\s\S]*?data-reply[\s\S]*?Reactie van de partij[\s\S]*?Wij stemden tegen deze motie, niet tegen het doel\./,
    );
    expect(await (await get(`/en/campaigns/${SLUG}/follow-up`)).text()).toContain('The party’s reply');
    // Frozen after the rating but before the reply: the rating without it.
    const frozenHtml = await (await get(`/campagnes/${SLUG}/opvolging?at=2026-03-16T00:00:00Z`)).text();
    expect(frozenHtml).toContain('Gebroken: standpunt veranderd');
    expect(frozenHtml).not.toContain(fields.text);

    const p = `/api/v1/campaigns/${SLUG}/follow-up.json`;
    const data = await (await get(p)).json();
    expect(errorsOf('/api/v1/campaigns/{campaign}/follow-up.json', 200, data)).toEqual([]);
    const reply = { text: fields.text, at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), hiddenReason: null };
    expect(data.ratings).toEqual([expect.objectContaining({ party: 'vrije-burgers', reply })]);
    expect(data.parties.find((x: { slug: string }) => x.slug === 'vrije-burgers').goals[apps].followUp.reply).toEqual(reply);
    const frozen = await (await get(`${p}?at=2026-03-16T00:00:00Z`)).json();
    expect(errorsOf('/api/v1/campaigns/{campaign}/follow-up.json', 200, frozen)).toEqual([]);
    expect(frozen.ratings).toEqual([expect.objectContaining({ party: 'vrije-burgers', reply: null })]);

    const rows = parseCsv<Record<string, string>>(await (await get(`/api/v1/campaigns/${SLUG}/follow-up.csv`)).text(), { columns: true, bom: true });
    expect(rows.find((r) => r.party_slug === 'vrije-burgers' && r.goal_slug === apps)?.follow_up_reply).toBe(fields.text);
    expect(rows.find((r) => r.party_slug === 'kustpartij' && r.goal_slug === apps)?.follow_up_reply).toBe('');

    // Hidden by the campaign: its reason, never the words, on the page, in follow-up.json and the CSV.
    const [campaign] = await site.db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.slug, SLUG));
    const [replyId] = (await listReplyEvents(site.db, campaign!.id)).map((r) => r.id);
    const hideReply = (hide: boolean) =>
      moderateReply(site.db, campaign!.id, { replyId: replyId!, hide, reason: 'Noemt een medewerker bij naam.' }, { actor: ADMIN });
    expect((await hideReply(true)).status).toBe('done');
    await site.app.boardVersion.refresh();
    const hiddenHtml = await (await get(`/campagnes/${SLUG}/opvolging`)).text();
    expect(hiddenHtml).not.toContain(fields.text);
    expect(hiddenHtml).toContain('Verborgen door de campagne: Noemt een medewerker bij naam.');
    const hiddenData = await (await get(p)).json();
    expect(errorsOf('/api/v1/campaigns/{campaign}/follow-up.json', 200, hiddenData)).toEqual([]);
    expect(hiddenData.ratings[0].reply).toMatchObject({ text: null, hiddenReason: 'Noemt een medewerker bij naam.' });
    const hiddenCsv = await (await get(`/api/v1/campaigns/${SLUG}/follow-up.csv`)).text();
    expect(hiddenCsv).not.toContain(fields.text);
    const hiddenRow = parseCsv<Record<string, string>>(hiddenCsv, { columns: true, bom: true }).find(
      (r) => r.party_slug === 'vrije-burgers' && r.goal_slug === apps,
    );
    expect(hiddenRow).toMatchObject({ follow_up_reply: '', follow_up_reply_hidden_reason: 'Noemt een medewerker bij naam.' });
    expect((await hideReply(false)).status).toBe('done');
    await site.app.boardVersion.refresh();
  });

  it('stays public once archived after its follow-up; an archived campaign that never had one shows none', async () => {
    await site.db.update(campaigns).set({ state: 'archived' }).where(eq(campaigns.slug, SLUG));
    await site.db.update(campaigns).set({ state: 'archived' }).where(eq(campaigns.slug, OPEN));
    await site.app.boardVersion.refresh();
    try {
      expect((await get(`/campagnes/${SLUG}/opvolging`)).status).toBe(200);
      expect((await get(`/api/v1/campaigns/${SLUG}/follow-up.json`)).status).toBe(200);
      expect((await get(`/campagnes/${OPEN}/opvolging`)).status).toBe(404);
      const listed = (await (await get('/api/v1/campaigns.json')).json()) as CampaignsJson;
      expect(errorsOf('/api/v1/campaigns.json', 200, listed)).toEqual([]);
      const links = (slug: string) => listed.campaigns.find((c) => c.slug === slug)!.links;
      expect(links(SLUG).followUp).toBe(`${site.origin}/api/v1/campaigns/${SLUG}/follow-up.json`);
      expect(links(OPEN).followUp).toBeUndefined();
    } finally {
      await site.db.update(campaigns).set({ state: 'follow-up' }).where(eq(campaigns.slug, SLUG));
      await site.db.update(campaigns).set({ state: 'open' }).where(eq(campaigns.slug, OPEN));
      await site.app.boardVersion.refresh();
    }
  });
});
