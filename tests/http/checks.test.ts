/**
 * The campaign checks each pledge, over HTTP (issue 15): Beheer's check form refuses bad input
 * with a 400 and a message at the field (nothing written); a source that cannot be fetched is
 * kept as a refusal and said in plain words (the test site has no internet); a source that can
 * (a local https server, reached through the test-only AppContext.evidenceFetch) is kept with
 * its hash, size and type. The public pages, a frozen view and the open data show the check next
 * to the stance, and the party's representative replies on Mijn partij.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse as parseCsv } from 'csv-parse/sync';
import { count } from 'drizzle-orm';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGoals } from '../../src/content-files.ts';
import { auditLog, campaignParties, evidenceSnapshots, parties, partyReplies, pledgeChecks } from '../../src/db/schema.ts';
import { isPublicAddress } from '../../src/domain/evidence-fetch.ts';
import { savePledge } from '../../src/domain/pledges.ts';
import { createAccount, signInOverHttp } from '../helpers/accounts.ts';
import { ENGINES } from '../helpers/engines.ts';
import { FormClient } from '../helpers/form-client.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';
import { strictXmlErrors } from '../helpers/strict-xml.ts';
import { addTestParties, TEST_ACTOR, TEST_CAMPAIGN_ID, TEST_PARTIES } from '../fixtures/board.ts';

const goals = await readGoals('nl');
const [disputedGoal, verifiedGoal] = [goals[0]!.slug, goals[1]!.slug];
const PAGE = '/beheer/partijen/testpartij-a';
const MANIFESTO = Buffer.from('<!doctype html><title>Programma Testpartij A</title><p>Wij maken het internet veiliger voor kinderen.</p>');
const QUOTE = 'Wij maken het internet veiliger voor kinderen.';
const REASON = 'Het programma zegt op pagina 4 het omgekeerde.';

const textOf = (html: string) =>
  html
    .replace(/<(style|script)\b[\s\S]*?<\/\1>/g, '')
    .replace(/<[^>]*>/g, '')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();

let server: https.Server;
let port: number;
let cert: string;

beforeAll(async () => {
  const own = await generate([{ name: 'commonName', value: 'programma.test' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'programma.test' }] }],
  });
  cert = own.cert;
  server = https.createServer({ key: own.private, cert: own.cert }, (_: IncomingMessage, response: ServerResponse) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(MANIFESTO);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe.each(ENGINES)('checks of pledges over HTTP, on %s', (engine) => {
  let site: TestSite;
  let admin: FormClient;
  let repA: FormClient;
  let repB: FormClient;
  let beforeChecks: Date;
  const sourceUrl = () => `https://programma.test:${port}/programma`;
  const counts = async () => {
    const [c] = await site.db.select({ n: count() }).from(pledgeChecks);
    const [s] = await site.db.select({ n: count() }).from(evidenceSnapshots);
    const [r] = await site.db.select({ n: count() }).from(partyReplies);
    const [a] = await site.db.select({ n: count() }).from(auditLog);
    return { checks: c!.n, snapshots: s!.n, replies: r!.n, audit: a!.n };
  };
  const checkForm = (goal: string, extra: Record<string, string>) => ({
    party: 'testpartij-a',
    goal,
    verdict: '',
    quote: '',
    page: '',
    checkedUrl: '',
    reason: '',
    ...extra,
  });

  beforeAll(async () => {
    site = await startTestSite(engine);
    await site.db.delete(campaignParties);
    await site.db.delete(parties);
    await addTestParties(site.db, TEST_PARTIES);
    for (const [goal, evidenceUrl] of [
      [disputedGoal, 'https://bron.test/programma.pdf'],
      [verifiedGoal, ''],
    ] as const) {
      const saved = await savePledge(site.db, {
        campaignId: TEST_CAMPAIGN_ID,
        partySlug: 'testpartij-a',
        goalSlug: goal,
        goalSlugs: goals.map((g) => g.slug),
        baseVersion: 0,
        input: { stance: 'committed', statement: 'Ja, dat staat in ons programma.', evidenceUrl },
        actor: TEST_ACTOR,
      });
      expect(saved.status).toBe('saved');
    }
    await site.app.boardVersion.refresh();
    admin = new FormClient(site.url);
    await signInOverHttp(admin, await createAccount(site.db, { email: 'beheer@campagne.example', name: 'Bert Bakker', totp: true }));
    repA = new FormClient(site.url);
    await signInOverHttp(repA, await createAccount(site.db, { email: 'rep@partij-a.example', party: 'testpartij-a', name: 'Vera Vertegenwoordiger' }));
    repB = new FormClient(site.url);
    await signInOverHttp(repB, await createAccount(site.db, { email: 'rep@partij-b.example', party: 'testpartij-b', name: 'Bas Bedacht' }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    beforeChecks = new Date();
    await new Promise((resolve) => setTimeout(resolve, 20));
  });
  afterAll(() => site?.close());

  it('shows a check form per pledge, the address filled in from the pledge', async () => {
    const html = await (await admin.get(PAGE)).text();
    expect(html).toContain(`id="check-${disputedGoal}-section"`);
    expect(html).toMatch(new RegExp(`id="check-${disputedGoal}-checkedUrl"[^>]*value="https://bron.test/programma.pdf"`));
    expect(textOf(html)).toContain('Nog niet gecontroleerd door de campagne');
  });

  it('refuses bad input with a 400 and the message at the field, keeps what was typed, writes nothing', async () => {
    const before = await counts();
    const verified = await admin.submit(PAGE, 'checkPledge', checkForm(verifiedGoal, { verdict: 'verified', quote: 'Iets', page: 'twaalf' }));
    expect(verified.status).toBe(400);
    const html = await verified.text();
    expect(textOf(html)).toContain('Pagina: Vul het paginanummer in (een heel getal vanaf 1).');
    expect(textOf(html)).toContain('Gecontroleerd adres: Vul het gecontroleerde adres in, beginnend met https://.');
    expect(html).toContain(`href="#check-${verifiedGoal}-page"`);
    expect(html).toContain('value="twaalf"');
    const disputed = await admin.submit(PAGE, 'checkPledge', checkForm(disputedGoal, { verdict: 'disputed' }));
    expect(disputed.status).toBe(400);
    expect(textOf(await disputed.text())).toContain('Reden (openbaar): Schrijf waarom de campagne dit betwist (3 tot 500 tekens, openbaar).');
    expect((await admin.submit(PAGE, 'checkPledge', checkForm(disputedGoal, {}))).status).toBe(400);
    expect((await admin.submit(PAGE, 'checkPledge', checkForm(disputedGoal, { verdict: 'disputed', reason: 'Niet\u0000waar' }))).status).toBe(400);
    expect((await admin.submit(PAGE, 'checkPledge', checkForm(disputedGoal, { verdict: 'disputed', reason: 'Niet\u0007waar' }))).status).toBe(400);
    const english = await admin.submit('/en/admin/parties/testpartij-a', 'checkPledge', checkForm(disputedGoal, { verdict: 'disputed' }));
    expect(english.status).toBe(400);
    expect(textOf(await english.text())).toContain('Reason (public): Write why the campaign disputes this');
    // A party without a pledge on the goal: nothing to check.
    expect(
      (
        await admin.submit('/beheer/partijen/testpartij-b', 'checkPledge', {
          ...checkForm(disputedGoal, { verdict: 'disputed', reason: REASON }),
          party: 'testpartij-b',
        })
      ).status,
    ).toBe(404);
    expect(await counts()).toEqual(before);
  });

  it('a dispute asks first: the reason as it will be shown, publish or change; a post without confirm writes nothing', async () => {
    const before = await counts();
    const typed = checkForm(disputedGoal, { verdict: 'disputed', reason: `  ${REASON} `, version: '1' });
    const asked = await admin.submit(PAGE, 'checkPledge', typed);
    expect(asked.status).toBe(200);
    const html = await asked.text();
    const text = textOf(html);
    expect(text).toContain('Controleer je antwoord');
    expect(text).toContain(`Deze reden komt openbaar te staan naast het standpunt van Testpartij A op doel ‘1. ${goals[0]!.shortTitle}’`);
    expect(text).toMatch(new RegExp(`Betwist door de campagne op [^:]+: ${REASON}`));
    // Both buttons carry everything typed; only the publishing one says confirm=ja.
    const forms = [...html.matchAll(/<form method="post" action="([^"]+)">([\s\S]*?)<\/form>/g)];
    expect(forms.map((f) => f[1]!.replaceAll('&amp;', '&'))).toEqual([
      `${PAGE}?_action=checkPledge#check-${disputedGoal}-section`,
      `${PAGE}?_action=checkPledge#check-${disputedGoal}-section`,
    ]);
    expect(forms.map((f) => /name="confirm" value="([^"]+)"/.exec(f[2]!)![1])).toEqual(['ja', 'wijzigen']);
    for (const [, , body] of forms) {
      expect(body).toContain(`name="reason" value="  ${REASON} "`);
      expect(body).toContain('name="verdict" value="disputed"');
      expect(body).toContain('name="version" value="1"');
    }
    expect(html).not.toContain(`id="check-${disputedGoal}-reason"`);
    // A post straight to the action without the confirm step (or with another value): nothing written.
    expect((await admin.submit(PAGE, 'checkPledge', { ...typed, confirm: 'yes' })).status).toBe(200);
    expect((await admin.callAction('checkPledge', typed)).status).toBe(200);
    expect(await counts()).toEqual(before);
    // "Change the answer": the form again, with what was typed.
    const change = await admin.submit(PAGE, 'checkPledge', { ...typed, confirm: 'wijzigen' });
    expect(change.status).toBe(200);
    const again = await change.text();
    expect(again).not.toContain('Controleer je antwoord');
    expect(again).toMatch(new RegExp(`id="check-${disputedGoal}-verdict-disputed"[^>]*checked`));
    expect(again).toMatch(new RegExp(`<textarea[^>]*id="check-${disputedGoal}-reason"[^>]*>  ${REASON} </textarea>`));
    expect(await counts()).toEqual(before);
    // In English too.
    const english = textOf(await (await admin.submit('/en/admin/parties/testpartij-a', 'checkPledge', typed)).text());
    expect(english).toContain('Check your answer');
    expect(english).toContain('This reason will be shown publicly next to the pledge of Testpartij A');
    expect(await counts()).toEqual(before);
  });

  it('a source that cannot be fetched is kept as a refusal and said in plain words', async () => {
    const before = await counts();
    const response = await admin.submit(PAGE, 'checkPledge', checkForm(disputedGoal, { verdict: 'disputed', reason: REASON, confirm: 'ja' }));
    expect(response.status).toBe(303);
    expect(await counts()).toMatchObject({ checks: before.checks + 1, snapshots: before.snapshots + 1 });
    const [snapshot] = await site.db.select().from(evidenceSnapshots);
    expect(snapshot).toMatchObject({ url: 'https://bron.test/programma.pdf', refusal: 'dns-failed', sha256: null });
    const text = textOf(await (await admin.get(response.headers.get('location')!)).text());
    expect(text).toContain('De controle is vastgelegd.');
    expect(text).toContain('niet opgehaald');
    expect(text).toContain('de naam van de website bestaat niet of gaf geen antwoord.');
  });

  it('a source that can be fetched is kept with its hash, size and type', async () => {
    site.app.evidenceFetch = {
      resolve: async () => [{ address: '127.0.0.1', family: 4 }],
      ca: cert,
      ports: [port],
      allowAddress: (address) => address === '127.0.0.1' || isPublicAddress(address),
      timeoutMs: 3000,
    };
    try {
      const response = await admin.submit(
        PAGE,
        'checkPledge',
        checkForm(verifiedGoal, { verdict: 'verified', quote: QUOTE, page: '4', checkedUrl: sourceUrl() }),
      );
      expect(response.status).toBe(303);
      const hash = createHash('sha256').update(MANIFESTO).digest('hex');
      const text = textOf(await (await admin.get(response.headers.get('location')!)).text());
      expect(text).toContain(`HTTP 200, text/html; charset=utf-8, ${MANIFESTO.length} bytes`);
      expect(text).toContain(`SHA-256: ${hash}`);
      // A pledge whose check kept no copy has nothing to fetch again: a 409 with a message, nothing written.
      const before = await counts();
      const nothing = await admin.submit('/beheer/partijen/testpartij-b', 'refetchEvidence', { party: 'testpartij-b', goal: verifiedGoal });
      expect(nothing.status).toBe(409);
      expect(textOf(await nothing.text())).toContain('Dit standpunt heeft geen controle met een opgehaald adres.');
      expect(await counts()).toEqual(before);
      const refetch = await admin.submit(PAGE, 'refetchEvidence', { party: 'testpartij-a', goal: verifiedGoal });
      expect(refetch.status).toBe(303);
      expect(textOf(await (await admin.get(refetch.headers.get('location')!)).text())).toContain('De bron was op');
    } finally {
      delete site.app.evidenceFetch;
    }
  });

  it('the public sees the check next to the stance, in Dutch and English, and in a frozen view as it was', async () => {
    await site.app.boardVersion.refresh();
    const party = textOf(await (await fetch(new URL('/partijen/testpartij-a', site.url))).text());
    expect(party).toMatch(/Gecontroleerd door de campagne op \d/);
    expect(party).toContain(QUOTE);
    expect(party).toMatch(new RegExp(`Betwist door de campagne op [^:]+: ${REASON}`));
    expect(party).toContain('Betwist door de campagne: ' + REASON); // the history
    const english = textOf(await (await fetch(new URL('/en/parties/testpartij-a', site.url))).text());
    expect(english).toMatch(/Checked by the campaign on \d/);
    expect(english).toContain('Disputed by the campaign on');
    const goalPage = textOf(await (await fetch(new URL(`/doelen/${disputedGoal}`, site.url))).text());
    expect(goalPage).toContain(REASON);
    const compare = textOf(await (await fetch(new URL('/vergelijk?partijen=testpartij-a,testpartij-b', site.url))).text());
    expect(compare).toContain(REASON);
    expect(compare).toMatch(/Gecontroleerd door de campagne op \d/);
    const permalink = textOf(await (await fetch(new URL(`/partijen/testpartij-a/doelen/${verifiedGoal}`, site.url))).text());
    expect(permalink).toMatch(/Gecontroleerd door de campagne op \d/);
    // The scoreboard table: a mark with its words in the cell (live: one query; frozen: from the history).
    const board = await (await fetch(new URL('/', site.url))).text();
    expect(board).toContain('data-check-mark="verified"');
    expect(board).toContain('data-check-mark="disputed"');
    expect(textOf(board)).toContain(', betwist door de campagne');
    const frozenBoard = await (await fetch(new URL(`/?at=${encodeURIComponent(beforeChecks.toISOString())}`, site.url))).text();
    expect(frozenBoard).not.toContain('data-check-mark');
    const laterBoard = await (await fetch(new URL(`/?at=${encodeURIComponent(new Date().toISOString())}`, site.url))).text();
    expect(laterBoard).toContain('data-check-mark="disputed"');
    const partyEmbed = textOf(await (await fetch(new URL('/embed/partij/testpartij-a', site.url))).text());
    expect(partyEmbed).toMatch(/Gecontroleerd door de campagne op \d/);
    expect(partyEmbed).toContain(REASON);
    const goalEmbed = textOf(await (await fetch(new URL(`/embed/doel/${disputedGoal}`, site.url))).text());
    expect(goalEmbed).toContain('Testpartij A (betwist door de campagne)');
    const frozen = textOf(await (await fetch(new URL(`/partijen/testpartij-a?at=${encodeURIComponent(beforeChecks.toISOString())}`, site.url))).text());
    expect(frozen).not.toContain('Gecontroleerd door de campagne op');
    expect(frozen).not.toContain(REASON);
  });

  it('the compare matrix and the party glance list show the mark with its words, as a board cell does; frozen, as it was', async () => {
    const at = `at=${encodeURIComponent(beforeChecks.toISOString())}`;
    const matrixOf = async (path: string) =>
      /<table class="compare-matrix[\s\S]*?<\/table>/.exec(await (await fetch(new URL(path, site.url))).text())?.[0] ?? '';
    const glanceOf = async (path: string) =>
      /<ul class="party-glance__stances"[\s\S]*?<\/ul>/.exec(await (await fetch(new URL(path, site.url))).text())?.[0] ?? '';
    const matrix = await matrixOf('/vergelijk?partijen=testpartij-a,testpartij-b');
    expect(matrix).toContain('data-check-mark="verified"');
    expect(matrix).toContain('data-check-mark="disputed"');
    expect(textOf(matrix)).toContain(', gecontroleerd door de campagne');
    expect(textOf(matrix)).toContain(', betwist door de campagne');
    expect(textOf(await matrixOf('/en/compare?parties=testpartij-a,testpartij-b'))).toContain(', checked by the campaign');
    expect(await matrixOf(`/vergelijk?partijen=testpartij-a,testpartij-b&${at}`)).not.toContain('data-check-mark');
    // The key under the matrix names each mark it shows, with the same sign as the cells.
    const keyOf = async (path: string) =>
      textOf(/<p class="meta correction-key"[\s\S]*?<\/p>/.exec(await (await fetch(new URL(path, site.url))).text())?.[0] ?? '');
    expect(await keyOf('/vergelijk?partijen=testpartij-a,testpartij-b')).toMatch(/✓ gecontroleerd door de campagne · ! betwist door de campagne/);
    expect(await keyOf('/en/compare?parties=testpartij-a,testpartij-b')).toMatch(/✓ checked by the campaign · ! disputed by the campaign/);
    expect(await keyOf(`/vergelijk?partijen=testpartij-a,testpartij-b&${at}`)).toBe('');
    const glance = await glanceOf('/partijen/testpartij-a');
    expect(glance).toContain('data-check-mark="verified"');
    expect(textOf(glance)).toContain(', betwist door de campagne');
    expect(textOf(await glanceOf('/en/parties/testpartij-a'))).toContain(', checked by the campaign');
    expect(await glanceOf(`/partijen/testpartij-a?${at}`)).not.toContain('data-check-mark');
    expect(await glanceOf('/partijen/testpartij-b')).not.toContain('data-check-mark');
  });

  it('the open data keeps the facts of the evidence page: scoreboard.json (as its schema says), pledges.csv, pledges-wide.csv', async () => {
    const document = (await (await fetch(new URL('/api/v1/openapi.json', site.url))).json()) as { info: { version: string }; components: object };
    expect(document.info.version).toBe('1.8.0');
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ $id: 'openapi', components: document.components });
    const validate = ajv.compile({ $ref: 'openapi#/components/schemas/Scoreboard' });
    const hash = createHash('sha256').update(MANIFESTO).digest('hex');
    type Json = { parties: { slug: string; pledges: Record<string, { check: Record<string, unknown> & { evidence: Record<string, unknown> | null } }> }[] };
    const json = (await (await fetch(new URL('/api/v1/scoreboard.json', site.url))).json()) as Json;
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    const ofA = json.parties.find((p) => p.slug === 'testpartij-a')!.pledges;
    // Fetched, then fetched again with the same bytes: unchanged since, and when that was seen.
    expect(ofA[verifiedGoal]!.check).toMatchObject({
      evidence: {
        url: sourceUrl(),
        finalUrl: sourceUrl(),
        httpStatus: 200,
        refusal: null,
        contentType: 'text/html; charset=utf-8',
        size: MANIFESTO.length,
        sha256: hash,
        truncated: false,
        fetchedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
      since: 'unchanged',
      sinceFetchedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    // Refused (no internet here): the refusal, nothing else; nothing proven since.
    expect(ofA[disputedGoal]!.check).toMatchObject({
      evidence: { url: 'https://bron.test/programma.pdf', httpStatus: null, refusal: 'dns-failed', sha256: null, size: null, contentType: null },
      since: null,
      sinceFetchedAt: null,
    });
    expect(ofA[goals[2]!.slug]!.check).toMatchObject({ status: 'unchecked', evidence: null, since: null, sinceFetchedAt: null });
    // The schema refuses a made-up since, and a hash that is none.
    const bad = structuredClone(json);
    bad.parties.find((p) => p.slug === 'testpartij-a')!.pledges[verifiedGoal]!.check.since = 'moved';
    expect(validate(bad)).toBe(false);
    bad.parties.find((p) => p.slug === 'testpartij-a')!.pledges[verifiedGoal]!.check.since = 'unchanged';
    bad.parties.find((p) => p.slug === 'testpartij-a')!.pledges[verifiedGoal]!.check.evidence!.sha256 = 'abc';
    expect(validate(bad)).toBe(false);
    const frozen = (await (await fetch(new URL(`/api/v1/scoreboard.json?at=${encodeURIComponent(beforeChecks.toISOString())}`, site.url))).json()) as Json;
    expect(validate(frozen)).toBe(true);
    expect(frozen.parties.find((p) => p.slug === 'testpartij-a')!.pledges[verifiedGoal]!.check.evidence).toBeNull();

    const long = parseCsv<Record<string, string>>(await (await fetch(new URL('/api/v1/pledges.csv', site.url))).text(), { bom: true, columns: true });
    const row = (goal: string) => long.find((r) => r.party_slug === 'testpartij-a' && r.goal_slug === goal)!;
    expect(Object.keys(long[0]!).slice(-9)).toEqual([
      'check_reply',
      'check_reply_hidden_reason',
      'evidence_fetched_at',
      'evidence_http_status',
      'evidence_refusal',
      'evidence_content_type',
      'evidence_size',
      'evidence_sha256',
      'evidence_since',
    ]);
    expect(row(verifiedGoal)).toMatchObject({
      evidence_http_status: '200',
      evidence_refusal: '',
      evidence_content_type: 'text/html; charset=utf-8',
      evidence_size: String(MANIFESTO.length),
      evidence_sha256: hash,
      evidence_since: 'unchanged',
    });
    expect(row(disputedGoal)).toMatchObject({ evidence_http_status: '', evidence_refusal: 'dns-failed', evidence_sha256: '', evidence_since: '' });

    const wide = parseCsv<Record<string, string>>(await (await fetch(new URL('/api/v1/pledges-wide.csv', site.url))).text(), { bom: true, columns: true });
    const header = Object.keys(wide[0]!);
    // Added after updated_at, so that no earlier column moves.
    expect(header.indexOf('updated_at')).toBe(5 + 4 * goals.length);
    expect(header.slice(header.indexOf('updated_at') + 1, header.indexOf('updated_at') + 7)).toEqual([
      'goal1_check_status',
      'goal1_checked_at',
      'goal1_check_reason',
      'goal1_check_url',
      'goal1_check_reply',
      'goal1_evidence_since',
    ]);
    const [v, d] = [goals[1]!.number, goals[0]!.number];
    expect(wide.find((r) => r.party_slug === 'testpartij-a')).toMatchObject({
      [`goal${v}_check_status`]: 'verified',
      [`goal${v}_check_url`]: sourceUrl(),
      [`goal${v}_evidence_since`]: 'unchanged',
      [`goal${d}_check_status`]: 'disputed',
      [`goal${d}_check_reason`]: REASON,
      [`goal${d}_evidence_since`]: '',
      [`goal${goals[2]!.number}_check_status`]: 'unchecked',
    });
    const frozenWide = parseCsv<Record<string, string>>(
      await (await fetch(new URL(`/api/v1/pledges-wide.csv?at=${encodeURIComponent(beforeChecks.toISOString())}`, site.url))).text(),
      { bom: true, columns: true },
    );
    expect(frozenWide.find((r) => r.party_slug === 'testpartij-a')![`goal${v}_check_status`]).toBe('unchecked');
  });

  it('the open data carries the check: scoreboard.json, pledges.csv, events.json, the Atom feeds', async () => {
    const json = (await (await fetch(new URL('/api/v1/scoreboard.json', site.url))).json()) as {
      parties: {
        slug: string;
        pledges: Record<string, { check: { status: string; reason: string | null; quote: string | null; page: number | null; url: string | null } }>;
      }[];
    };
    const pledgesOfA = json.parties.find((p) => p.slug === 'testpartij-a')!.pledges;
    expect(pledgesOfA[verifiedGoal]!.check).toMatchObject({ status: 'verified', quote: QUOTE, page: 4, url: sourceUrl(), reason: null });
    expect(pledgesOfA[disputedGoal]!.check).toMatchObject({ status: 'disputed', reason: REASON, quote: null });
    expect(pledgesOfA[goals[2]!.slug]!.check.status).toBe('unchecked');
    const frozen = (await (
      await fetch(new URL(`/api/v1/scoreboard.json?at=${encodeURIComponent(beforeChecks.toISOString())}`, site.url))
    ).json()) as typeof json;
    expect(frozen.parties.find((p) => p.slug === 'testpartij-a')!.pledges[verifiedGoal]!.check.status).toBe('unchecked');

    const csv = await (await fetch(new URL('/api/v1/pledges.csv', site.url))).text();
    const [header, ...rows] = csv.replace(/^\uFEFF/, '').split('\r\n');
    expect(header).toMatch(
      /,updated_at,check_status,checked_at,check_reason,check_quote,check_page,check_url,check_reply,check_reply_hidden_reason,evidence_fetched_at,/,
    );
    expect(rows.find((r) => r.startsWith('testpartij-a,') && r.includes(`,${verifiedGoal},`))).toContain(`,verified,`);

    const events = (await (await fetch(new URL('/api/v1/events.json', site.url))).json()) as {
      checks: { status: string; goal: string; reason: string | null }[];
    };
    expect(events.checks.map((c) => [c.goal, c.status])).toEqual([
      [verifiedGoal, 'verified'],
      [disputedGoal, 'disputed'],
    ]);

    for (const path of ['/feed.xml', '/partijen/testpartij-a/feed.xml', `/en/goals/${disputedGoal}/feed.xml`]) {
      const feed = await (await fetch(new URL(path, site.url))).text();
      expect(strictXmlErrors(feed), path).toEqual([]);
      expect(feed, path).toContain(REASON);
      expect(feed, path).toMatch(/pledge-check-\d+<\/id>/);
    }
    expect(await (await fetch(new URL('/feed.xml', site.url))).text()).toContain('gecontroleerd door de campagne</title>');
  });

  it('the representative replies on Mijn partij; another party cannot; the reply shows beside the check', async () => {
    const [disputedCheck] = (await site.db.select().from(pledgeChecks)).filter((c) => c.verdict === 'disputed');
    const before = await counts();
    const page = textOf(await (await repA.get('/mijn-partij')).text());
    expect(page).toContain('Controles van de campagne');
    expect(page).toContain(REASON);
    const fields = { check: String(disputedCheck!.id), text: 'Zie pagina 5: daar staat het wel.' };
    expect((await repB.submit('/mijn-partij', 'replyToCheck', fields)).status).toBe(403);
    expect((await repB.callAction('replyToCheck', fields)).status).toBe(403);
    expect((await admin.submit('/mijn-partij', 'replyToCheck', fields)).status).toBe(403);
    expect((await repA.submit('/mijn-partij', 'replyToCheck', { ...fields, text: '' })).status).toBe(400);
    expect((await repA.submit('/mijn-partij', 'replyToCheck', { ...fields, text: 'Zie\u0000pagina 5' })).status).toBe(400);
    const tooLong = await repA.submit('/mijn-partij', 'replyToCheck', { ...fields, text: 'x'.repeat(1001) });
    expect(tooLong.status).toBe(400);
    expect(textOf(await tooLong.text())).toContain('Uw reactie (openbaar): Een reactie is ten hoogste 1000 tekens.');
    expect(await counts()).toEqual(before);

    const response = await repA.submit('/mijn-partij', 'replyToCheck', fields);
    expect(response.status).toBe(303);
    expect(textOf(await (await repA.get(response.headers.get('location')!)).text())).toContain('Uw reactie staat nu bij de controle.');
    await site.app.boardVersion.refresh();
    const party = textOf(await (await fetch(new URL('/partijen/testpartij-a', site.url))).text());
    expect(party).toMatch(/Reactie van de partij op [^:]+: ?Zie pagina 5: daar staat het wel\./);
    const json = (await (await fetch(new URL('/api/v1/scoreboard.json', site.url))).json()) as {
      parties: { slug: string; pledges: Record<string, { check: { reply: { text: string } | null } }> }[];
    };
    expect(json.parties.find((p) => p.slug === 'testpartij-a')!.pledges[disputedGoal]!.check.reply?.text).toBe(fields.text);
  });
});
