/**
 * An admin's correction says why, in public: the admin's one-party form refuses a correction
 * without a reason (a 4xx with the message next to the field, everything typed kept, nothing
 * written); with one, the reason is in the JSON (`correctedByCampaign.reason`), on the party's
 * page and the statement's permalink, in the history, and on the representative's "Mijn partij".
 */
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignParties, auditLog, parties, pledgeEvents, pledges } from '../../src/db/schema.ts';
import { readGoals } from '../../src/content-files.ts';
import { savePledge } from '../../src/domain/pledges.ts';
import { createAccount, signInOverHttp } from '../helpers/accounts.ts';
import { ENGINES } from '../helpers/engines.ts';
import { FormClient } from '../helpers/form-client.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';
import { TEST_ACTOR, TEST_PARTIES, TEST_CAMPAIGN_ID, addTestParties } from '../fixtures/board.ts';

const goals = await readGoals('nl');
const goal = goals[1]!.slug;
const REASON = 'De partij schreef “ja”, maar haar programma zegt op pagina 12 “deels”.';
const PAGE = '/beheer/partijen/testpartij-a';

const textOf = (html: string) =>
  html
    .replace(/<(style|script)\b[\s\S]*?<\/\1>/g, '')
    .replace(/<[^>]*>/g, '')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();

interface BoardJson {
  parties: { slug: string; pledges: Record<string, { correctedByCampaign: { at: string; reason: string | null } | null }> }[];
}

describe.each(ENGINES)('the reason of an admin’s correction, on %s', (engine) => {
  let site: TestSite;
  let admin: FormClient;
  let rep: FormClient;
  const counts = async () => {
    const [p] = await site.db.select({ n: count() }).from(pledges);
    const [e] = await site.db.select({ n: count() }).from(pledgeEvents);
    const [a] = await site.db.select({ n: count() }).from(auditLog).where(eq(auditLog.action, 'pledge.corrected'));
    return { pledges: p!.n, events: e!.n, corrections: a!.n };
  };
  const correction = (extra: Record<string, string>) => ({
    party: 'testpartij-a',
    goal,
    baseVersion: '1',
    stance: 'partial',
    statement: 'Deels, volgens het programma.',
    evidenceUrl: 'https://example.org/programma.pdf',
    evidencePage: '12',
    ...extra,
  });

  beforeAll(async () => {
    site = await startTestSite(engine);
    await site.db.delete(campaignParties);
    await site.db.delete(parties);
    await addTestParties(site.db, TEST_PARTIES);
    const saved = await savePledge(site.db, {
      partySlug: 'testpartij-a',
      goalSlug: goal,
      goalSlugs: goals.map((g) => g.slug),
      baseVersion: 0,
      input: { stance: 'committed', statement: 'Ja.', evidenceUrl: '' },
      actor: TEST_ACTOR,
      campaignId: TEST_CAMPAIGN_ID,
    });
    expect(saved.status).toBe('saved');
    await site.app.boardVersion.refresh();
    const adminAccount = await createAccount(site.db, { email: 'beheer@campagne.example', name: 'Bert Bakker', totp: true });
    admin = new FormClient(site.url);
    await signInOverHttp(admin, adminAccount);
    const repAccount = await createAccount(site.db, { email: 'rep@partij-a.example', party: 'testpartij-a', name: 'Vera Vertegenwoordiger' });
    rep = new FormClient(site.url);
    await signInOverHttp(rep, repAccount);
  });
  afterAll(() => site?.close());

  it('the correction form asks for the public reason, empty at first', async () => {
    const html = await (await admin.get(PAGE)).text();
    const form = new RegExp(`<form\\b[^>]*\\?_action=savePledge#doel-${goal}"[\\s\\S]*?</form>`).exec(html)![0];
    expect(form).toMatch(/<textarea[^>]*name="correctionReason"[^>]*required/);
    expect(form).toMatch(/<textarea[^>]*name="correctionReason"[^>]*><\/textarea>/);
    expect(textOf(form)).toContain('Reden van de correctie (openbaar)');
    expect(textOf(form)).toContain('De reden staat bij het standpunt op de openbare pagina’s en in de open data');
    expect(textOf(await (await admin.get('/en/admin/parties/testpartij-a')).text())).toContain('Reason for the correction (public)');
  });

  it('refuses a correction without a reason with a 4xx and the message at the field, keeps what was typed, writes nothing', async () => {
    const before = await counts();
    for (const missing of [{}, { correctionReason: '' }, { correctionReason: '   \n  ' }] as Record<string, string>[]) {
      const response = await admin.submit(PAGE, 'savePledge', correction(missing));
      expect(response.status, JSON.stringify(missing)).toBe(400);
      const html = await response.text();
      const text = textOf(html);
      expect(text).toContain('Er is een probleem');
      expect(text).toContain('Reden van de correctie (openbaar): Geef de openbare reden van de correctie (1 tot 300 tekens).');
      // The summary links to the field; the field says it too.
      expect(html).toContain(`href="#doel-${goal}-correctionReason"`);
      expect(html).toMatch(new RegExp(`id="doel-${goal}-correctionReason-error"`));
      expect(html).toContain('Deels, volgens het programma.');
    }
    // Too long: refused with its own message, the text kept as typed (never cut).
    const long = 'x'.repeat(301);
    const tooLong = await admin.submit(PAGE, 'savePledge', correction({ correctionReason: long }));
    expect(tooLong.status).toBe(400);
    const html = await tooLong.text();
    expect(textOf(html)).toContain('Gebruik voor de reden hoogstens 300 tekens; er is niets afgeknipt.');
    expect(html).toContain(`>${long}</textarea>`);
    // A NUL: refused as in every text field.
    expect((await admin.submit(PAGE, 'savePledge', correction({ correctionReason: 'Een\u0000reden' }))).status).toBe(400);
    expect(await counts()).toEqual(before);
    // English page, English message.
    const english = await admin.submit('/en/admin/parties/testpartij-a', 'savePledge', correction({}));
    expect(english.status).toBe(400);
    expect(textOf(await english.text())).toContain('Reason for the correction (public): Give the public reason for the correction (1 to 300 characters).');
    expect(await counts()).toEqual(before);
  });

  it('with a reason, the JSON, the party page, the permalink, the history and Mijn partij show it', async () => {
    const before = await counts();
    const response = await admin.submit(PAGE, 'savePledge', correction({ correctionReason: `  ${REASON}  ` }));
    expect(response.status).toBe(303);
    expect(await counts()).toEqual({ pledges: before.pledges, events: before.events + 1, corrections: before.corrections + 1 });
    const [audit] = await site.db.select().from(auditLog).where(eq(auditLog.action, 'pledge.corrected'));
    expect(audit!.details).toEqual({ version: 2, reason: REASON });

    const json = (await (await fetch(new URL('/api/v1/scoreboard.json', site.url))).json()) as BoardJson;
    const cell = json.parties.find((p) => p.slug === 'testpartij-a')!.pledges[goal]!;
    expect(cell.correctedByCampaign).toMatchObject({ reason: REASON });

    const partyPage = textOf(await (await fetch(new URL('/partijen/testpartij-a', site.url))).text());
    expect(partyPage).toContain(`Reden: ${REASON}`);
    const englishPage = textOf(await (await fetch(new URL('/en/parties/testpartij-a', site.url))).text());
    expect(englishPage).toContain(`Reason: ${REASON}`);
    const permalink = textOf(await (await fetch(new URL(`/partijen/testpartij-a/doelen/${goal}`, site.url))).text());
    expect(permalink).toContain(`Reden: ${REASON}`);

    const myParty = textOf(await (await rep.get('/mijn-partij')).text());
    expect(myParty).toMatch(
      new RegExp(`Het campagneteam heeft dit standpunt gecorrigeerd op .+ \\(Bert Bakker\\)\\.\\s*Reden: ${REASON.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );

    // The admin's page shows the correction with its reason, and the form starts empty again.
    const adminHtml = await (await admin.get(response.headers.get('location')!)).text();
    expect(textOf(adminHtml)).toContain('De correctie is opgeslagen.');
    expect(textOf(adminHtml)).toContain(`Reden: ${REASON}`);
    expect(adminHtml).toMatch(/<textarea[^>]*name="correctionReason"[^>]*><\/textarea>/);
  });

  it('the party’s own save afterwards removes the correction and its reason everywhere', async () => {
    const response = await rep.submit('/mijn-partij', 'savePledges', {
      party: 'testpartij-a',
      [`${goal}.baseVersion`]: '2',
      [`${goal}.stance`]: 'committed',
      [`${goal}.statement`]: 'Toch ja.',
      [`${goal}.evidenceUrl`]: '',
      [`${goal}.evidencePage`]: '',
      correctionReason: 'Probeersel',
    });
    expect(response.status).toBe(303);
    const [row] = await site.db.select().from(pledges).where(eq(pledges.goalSlug, goal));
    expect(row).toMatchObject({ updatedByRole: 'rep', correctionReason: null });
    const json = (await (await fetch(new URL('/api/v1/scoreboard.json', site.url))).json()) as BoardJson;
    expect(json.parties.find((p) => p.slug === 'testpartij-a')!.pledges[goal]!.correctedByCampaign).toBeNull();
    const myParty = textOf(await (await rep.get('/mijn-partij')).text());
    expect(myParty).not.toContain('Het campagneteam heeft dit standpunt gecorrigeerd');
    // The history keeps the correction and its reason.
    expect(myParty).toContain(`Reden: ${REASON}`);
  });
});
