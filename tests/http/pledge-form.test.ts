/**
 * "Mijn partij", the representative's one form for all goals, as a browser without JavaScript
 * sends it: one save writes every changed goal; a refused save names every problem at once in
 * an error summary whose lines link to the fields, keeps everything typed in every goal, and
 * writes nothing; an http:// link is upgraded; an over-long statement is refused with a count.
 */
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { campaignParties, parties, pledgeEvents, pledges } from '../../src/db/schema.ts';
import { readGoals } from '../../src/content-files.ts';
import { SYSTEM_ACTOR } from '../../src/domain/actors.ts';
import { moderateStatement } from '../../src/domain/moderation.ts';
import { setPledgingOverride } from '../../src/domain/pledging-window.ts';
import { savePledge } from '../../src/domain/pledges.ts';
import { createAccount, signInOverHttp } from '../helpers/accounts.ts';
import { ENGINES } from '../helpers/engines.ts';
import { FormClient } from '../helpers/form-client.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';
import { TEST_PARTIES, TEST_CAMPAIGN_ID, addTestParties } from '../fixtures/board.ts';

const goals = await readGoals('nl');

const textOf = (html: string) =>
  html
    .replace(/<(style|script)\b[\s\S]*?<\/\1>/g, '')
    .replace(/<[^>]*>/g, '')
    .replace(/\s+/g, ' ')
    .trim();

/** The whole form as the page renders it, with some goals filled in. */
function fields(byGoal: Record<number, Partial<Record<'stance' | 'statement' | 'evidenceUrl' | 'evidencePage' | 'baseVersion', string>>>) {
  const form: Record<string, string> = { party: 'testpartij-a' };
  goals.forEach((goal, i) => {
    const values = { baseVersion: '0', stance: '', statement: '', evidenceUrl: '', evidencePage: '', ...byGoal[i] };
    for (const [field, value] of Object.entries(values)) if (field !== 'stance' || value) form[`${goal.slug}.${field}`] = value;
  });
  return form;
}

describe.each(ENGINES)('the representative’s one form for all goals, on %s', (engine) => {
  let site: TestSite;
  let rep: FormClient;
  const counts = async () => {
    const [p] = await site.db.select({ n: count() }).from(pledges);
    const [e] = await site.db.select({ n: count() }).from(pledgeEvents);
    return { pledges: p!.n, events: e!.n };
  };

  beforeAll(async () => {
    site = await startTestSite(engine);
    await site.db.delete(campaignParties);
    await site.db.delete(parties);
    await addTestParties(site.db, TEST_PARTIES);
    const account = await createAccount(site.db, { email: 'rep@partij-a.example', party: 'testpartij-a', name: 'Vera Vertegenwoordiger' });
    rep = new FormClient(site.url);
    await signInOverHttp(rep, account);
  });
  afterAll(() => site?.close());
  beforeEach(async () => {
    const { sql } = await import('drizzle-orm');
    await site.db.execute(sql`alter table pledge_events disable trigger user`);
    await site.db.execute(sql`alter table statement_moderations disable trigger user`);
    await site.db.execute(sql`delete from statement_moderations`);
    await site.db.delete(pledgeEvents);
    await site.db.execute(sql`alter table statement_moderations enable trigger user`);
    await site.db.execute(sql`alter table pledge_events enable trigger user`);
    await site.db.delete(pledges);
    await site.app.boardVersion.refresh();
  });

  it('shows one form with every goal, one save button, the stance meanings and a static character hint', async () => {
    const html = await (await rep.get('/mijn-partij')).text();
    expect(html.match(/<form\b[^>]*\?_action=savePledges/g)).toHaveLength(1);
    const form = /<form\b[^>]*\?_action=savePledges[\s\S]*?<\/form>/.exec(html)![0];
    expect(form.match(/<button type="submit"/g)).toHaveLength(1);
    for (const goal of goals) expect(html).toContain(`id="goal-${goal.number}-statement"`);
    expect(html).not.toMatch(/<textarea[^>]*maxlength/);
    expect(textOf(html)).toContain('Je kunt tot 1.000 tekens gebruiken.');
    expect(textOf(html)).toContain('De partij neemt de doelstelling over in haar verkiezingsprogramma.');
    expect(textOf(html)).toContain('Nog geen reactie opgeslagen');
    expect(html).toContain('src="/scripts/pledge-form.js"');
  });

  it('saves all four goals with one post, upgrading an http:// link', async () => {
    const response = await rep.submit(
      '/mijn-partij',
      'savePledges',
      fields({
        0: { stance: 'committed', statement: 'Doel een.', evidenceUrl: 'http://partij-a.example/programma.pdf', evidencePage: '12' },
        1: { stance: 'partial', statement: 'Doel twee.' },
        2: { stance: 'declined' },
        3: { stance: 'committed', statement: 'Doel vier.' },
      }),
    );
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/mijn-partij?opgeslagen=${goals.map((g) => g.slug).join(',')}`);
    const rows = await site.db.select().from(pledges);
    expect(rows).toHaveLength(4);
    expect(rows.find((r) => r.goalSlug === goals[0]!.slug)).toMatchObject({ evidenceUrl: 'https://partij-a.example/programma.pdf', evidencePage: 12 });
    const page = textOf(await (await rep.get(response.headers.get('location')!)).text());
    expect(page).toContain('Opgeslagen. Je wijzigingen staan nu op het scorebord.');
    expect(page).toContain('Zo ziet het publiek het nu');
    expect(page).toContain('Doel vier.');
    // Saving the same again changes nothing and writes no history.
    const again = await rep.submit(
      '/mijn-partij',
      'savePledges',
      fields({
        0: { baseVersion: '1', stance: 'committed', statement: 'Doel een.', evidenceUrl: 'https://partij-a.example/programma.pdf', evidencePage: '12' },
        1: { baseVersion: '1', stance: 'partial', statement: 'Doel twee.' },
        2: { baseVersion: '1', stance: 'declined' },
        3: { baseVersion: '1', stance: 'committed', statement: 'Doel vier.' },
      }),
    );
    expect(again.headers.get('location')).toBe('/mijn-partij?ongewijzigd=1');
    expect(await counts()).toEqual({ pledges: 4, events: 4 });
  });

  it('saves a statement with listed terms, then warns about each with its suggestion (no JavaScript needed)', async () => {
    const statement = 'Wij bestrijden kinderporno en pakken loverboys aan, en willen de „Wet bestrijding kinderpornografie” hernoemen.';
    const response = await rep.submit('/mijn-partij', 'savePledges', fields({ 1: { stance: 'partial', statement } }));
    expect(response.status).toBe(303);
    expect((await site.db.select().from(pledges)).map((p) => p.statement)).toEqual([statement]);
    const html = await (await rep.get(response.headers.get('location')!)).text();
    const warning = /<div class="term-warning"[^>]*role="status"[\s\S]*?<\/ul>/.exec(html.slice(html.indexOf('id="goal-2-statement"')))![0];
    const items = [...warning.matchAll(/<li>([^<]*)<\/li>/g)].map((m) => m[1]!.replace(/&#39;|&#x27;/g, "'"));
    expect(items).toEqual([
      'Vermijd ‘kinderporno’. Schrijf liever: seksueel kindermisbruikmateriaal (CSAM).',
      'Vermijd ‘loverboys’. Schrijf liever: mensenhandelaar.',
    ]);
    // The other goals' warnings are there (for typing) but hidden and empty.
    expect(html.match(/class="term-warning__body" hidden/g)).toHaveLength(goals.length - 1);
    // The warning while typing is a bundled file: the CSP allows no inline script.
    expect(html).toMatch(/<script type="module" src="\/_astro\/[^"]+\.js"><\/script>/);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>[^<]/);
  });

  it('reports every problem at once, linked to its field, keeps everything typed, and writes nothing', async () => {
    const long = 'Wij willen dit. '.repeat(78) + 'Echt.'; // 1,253 characters
    const response = await rep.submit(
      '/mijn-partij',
      'savePledges',
      fields({
        0: { stance: 'committed', statement: 'Mijn zorgvuldige tekst bij doel een.', evidenceUrl: 'http://partij-a.example/p' },
        1: { statement: 'Geen standpunt gekozen.', evidencePage: 'drie' },
        2: { stance: 'declined', statement: long, evidenceUrl: 'zie ons programma' },
      }),
    );
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(await counts()).toEqual({ pledges: 0, events: 0 });
    // The summary: first in the page, takes focus, a heading, one link per problem.
    const summary = /<div[^>]*data-error-summary[^>]*>[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
    expect(summary).toMatch(/tabindex="-1"/);
    expect(summary).toMatch(/autofocus/);
    expect(summary).toContain('Er is een probleem');
    expect(html.indexOf('data-error-summary')).toBeLessThan(html.indexOf('<h1'));
    const links = [...summary.matchAll(/<a href="#([^"]+)">([^<]*)<\/a>/g)].map((m) => m[1]);
    expect(links).toEqual(['goal-2-stance', 'goal-2-evidencePage', 'goal-3-statement', 'goal-3-evidenceUrl']);
    for (const id of links) expect(html).toContain(`id="${id}"`);
    // The over-long statement: refused with a count, not cut.
    expect(textOf(html)).toContain('De toelichting is 253 tekens te lang.');
    expect(html).toContain(`${long}</textarea>`);
    // Inline messages, wired for screen readers.
    expect(html).toMatch(/<textarea id="goal-3-statement"[^>]*aria-describedby="goal-3-statement-hint goal-3-statement-error"[^>]*aria-invalid="true"/);
    expect(html).toMatch(/<fieldset[^>]*aria-describedby="goal-2-stance-error"/);
    // Every goal's input as typed, also those without problems.
    expect(html).toContain('Mijn zorgvuldige tekst bij doel een.</textarea>');
    expect(html).toContain('value="http://partij-a.example/p"');
    expect(html).toContain('Geen standpunt gekozen.</textarea>');
    expect(html).toContain('value="drie"');
    expect(html).toMatch(/name="[^"]+\.stance" value="declined" checked/);
    expect(html).toContain('data-unsaved="true"');
    expect(textOf(html)).toContain('Er is niets opgeslagen.');
  });

  it('refuses a save when a colleague changed a goal meanwhile, says which, and writes nothing', async () => {
    const first = await rep.submit('/mijn-partij', 'savePledges', fields({ 0: { stance: 'committed', statement: 'Eerst.' }, 1: { stance: 'partial' } }));
    expect(first.status).toBe(303);
    const [party] = await site.db.select().from(parties).where(eq(parties.slug, 'testpartij-a'));
    await savePledge(site.db, {
      partySlug: 'testpartij-a',
      goalSlug: goals[1]!.slug,
      goalSlugs: goals.map((g) => g.slug),
      baseVersion: 1,
      input: { stance: 'declined', statement: 'Van een collega.', evidenceUrl: '' },
      actor: { userId: null, name: 'Collega', role: 'rep', partyId: party!.id, label: 'collega' },
      campaignId: TEST_CAMPAIGN_ID,
    });
    const late = await rep.submit(
      '/mijn-partij',
      'savePledges',
      fields({
        0: { baseVersion: '1', stance: 'committed', statement: 'Nieuw bij een.' },
        1: { baseVersion: '1', stance: 'committed', statement: 'Mijn versie.' },
      }),
    );
    expect(late.status).toBe(409);
    const html = await late.text();
    expect(html).toContain('href="#goal-2-conflict"');
    expect(textOf(html)).toContain('Van een collega.');
    expect(html).toContain('Mijn versie.</textarea>');
    expect(html).toContain('Nieuw bij een.</textarea>');
    const rows = await site.db.select().from(pledges);
    expect(rows.map((r) => r.statement).sort()).toEqual(['Eerst.', 'Van een collega.']);
  });

  it('says when the campaign corrected or hid a pledge, with the reason and date', async () => {
    const goalSlugs = goals.map((g) => g.slug);
    const admin = { userId: null, name: 'Carla Campagne', role: 'admin' as const, partyId: null, label: 'beheer' };
    await savePledge(site.db, {
      partySlug: 'testpartij-a',
      goalSlug: goalSlugs[0]!,
      goalSlugs,
      baseVersion: 0,
      input: { stance: 'committed', statement: 'Tekst.', evidenceUrl: '' },
      actor: admin,
      campaignId: TEST_CAMPAIGN_ID,
      correctionReason: 'Ingevoerd namens de partij.',
    });
    await savePledge(site.db, {
      partySlug: 'testpartij-a',
      goalSlug: goalSlugs[1]!,
      goalSlugs,
      baseVersion: 0,
      input: { stance: 'partial', statement: 'Iets met een naam erin.', evidenceUrl: '' },
      actor: admin,
      campaignId: TEST_CAMPAIGN_ID,
      correctionReason: 'Ingevoerd namens de partij.',
    });
    await moderateStatement(site.db, {
      campaignId: TEST_CAMPAIGN_ID,
      partySlug: 'testpartij-a',
      goalSlug: goalSlugs[1]!,
      hide: true,
      reason: 'Bevat persoonsgegevens.',
      actor: admin,
      now: new Date('2026-11-20T10:00:00Z'),
    });
    await site.app.boardVersion.refresh();
    const page = textOf(await (await rep.get('/mijn-partij')).text());
    expect(page).toMatch(/Het campagneteam heeft dit standpunt gecorrigeerd op .* \(Carla Campagne\)/);
    expect(page).toContain('Het campagneteam heeft je toelichting verborgen op 20 november 2026 om 11:00. Reden: Bevat persoonsgegevens.');
    expect(page).toContain('Geschiedenis van je partij');
  });

  it('when pledging is closed, shows the saved pledges only, with a clear sentence', async () => {
    await setPledgingOverride(site.db, TEST_CAMPAIGN_ID, 'closed', SYSTEM_ACTOR);
    await site.app.boardVersion.refresh();
    try {
      const html = await (await rep.get('/mijn-partij')).text();
      expect(html).not.toContain('_action=savePledges');
      expect(html).not.toContain('<textarea');
      expect(textOf(html)).toContain('Toezeggen is gesloten door het campagneteam. Je standpunten zijn alleen nog te lezen.');
      expect(textOf(html)).toContain('Zo ziet het publiek het nu');
      const refused = await rep.submit('/mijn-partij', 'savePledges', fields({ 0: { stance: 'committed' } }));
      expect(refused.status).toBe(403);
      expect(textOf(await refused.text())).toContain('Toezeggen is gesloten: standpunten zijn niet meer te wijzigen.');
    } finally {
      await setPledgingOverride(site.db, TEST_CAMPAIGN_ID, null, SYSTEM_ACTOR);
      await site.app.boardVersion.refresh();
    }
    expect(textOf(await (await rep.get('/mijn-partij')).text())).toContain('Toezeggen is open. Er is geen deadline.');
    expect(await counts()).toEqual({ pledges: 0, events: 0 });
  });

  it('refuses a doubled field and a form for another party, writing nothing', async () => {
    const doubled = new URLSearchParams(fields({ 0: { stance: 'committed' } }));
    doubled.append(`${goals[0]!.slug}.stance`, 'declined');
    const response = await fetch(new URL('/mijn-partij?_action=savePledges', site.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: site.origin, cookie: [...rep.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      body: doubled.toString(),
      redirect: 'manual',
    });
    expect(response.status).toBe(400);
    const other = await rep.submit('/mijn-partij', 'savePledges', { ...fields({ 0: { stance: 'committed' } }), party: 'testpartij-b' });
    expect(other.status).toBe(403);
    expect(textOf(await other.text())).toContain('Je kunt alleen standpunten van je eigen partij wijzigen.');
    const nul = await rep.submit('/mijn-partij', 'savePledges', fields({ 0: { stance: 'committed', statement: 'a\u0000b' } }));
    expect(nul.status).toBe(400);
    expect(await counts()).toEqual({ pledges: 0, events: 0 });
  });
});
