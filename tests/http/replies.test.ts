/**
 * The party's right of reply after review (issue 15), over HTTP: every reply is in the party's
 * public history, in events.json (`replies`, paged with checks and events) and in the Atom
 * feeds; the campaign hides a reply in Beheer with a public reason, shown wherever the reply
 * was; a reply moves the board's "last updated"; a representative's replies are limited per hour.
 */
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGoals } from '../../src/content-files.ts';
import { auditLog, campaignParties, parties, partyReplies, pledgeChecks, replyModerations } from '../../src/db/schema.ts';
import { recordCheck } from '../../src/domain/checks.ts';
import { savePledge } from '../../src/domain/pledges.ts';
import { REPLIES_PER_HOUR } from '../../src/domain/replies.ts';
import { addTestParties, TEST_ACTOR, TEST_CAMPAIGN_ID, TEST_PARTIES } from '../fixtures/board.ts';
import { createAccount, signInOverHttp } from '../helpers/accounts.ts';
import { ENGINES } from '../helpers/engines.ts';
import { FormClient } from '../helpers/form-client.ts';
import { responseValidator } from '../helpers/openapi-validator.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';
import { strictXmlErrors } from '../helpers/strict-xml.ts';

const goals = await readGoals('nl');
const ADMIN_PAGE = '/beheer/partijen/testpartij-a';
const FIRST = 'Zie pagina 5: daar staat het wel.';
const SECOND = 'Bel gerust: 06-12345678.';
const REASON = 'Bevat een telefoonnummer.';

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

interface ReplyJson {
  id: number;
  repliedAt: string;
  subject: { kind: string; id: number };
  party: { slug: string; name: string };
  goal: string;
  text: string | null;
  hiddenReason: string | null;
  by: { name: string; role: string };
}
interface EventsJson {
  events: { id: number }[];
  checks: { id: number }[];
  replies: ReplyJson[];
  next: string | null;
}

describe.each(ENGINES)('replies of parties over HTTP, on %s', (engine) => {
  let site: TestSite;
  let admin: FormClient;
  let repA: FormClient;
  let repUserId: number;
  let checkIds: number[];
  let errorsOf: ReturnType<typeof responseValidator>;
  const get = (path: string) => fetch(new URL(path, site.url));
  const json = async <T>(path: string) => (await (await get(path)).json()) as T;
  const counts = async () => {
    const [r] = await site.db.select({ n: count() }).from(partyReplies);
    const [m] = await site.db.select({ n: count() }).from(replyModerations);
    const [a] = await site.db.select({ n: count() }).from(auditLog);
    return { replies: r!.n, moderations: m!.n, audit: a!.n };
  };

  beforeAll(async () => {
    site = await startTestSite(engine);
    await site.db.delete(campaignParties);
    await site.db.delete(parties);
    await addTestParties(site.db, TEST_PARTIES);
    const adminAccount = await createAccount(site.db, { email: 'beheer@campagne.example', name: 'Bert Bakker', totp: true });
    const checker = { userId: adminAccount.user.id, name: 'Bert Bakker', role: 'admin' as const, partyId: null, label: adminAccount.email };
    // Three pledges of Testpartij A, each disputed by the campaign (no source to fetch).
    for (const goal of goals.slice(0, 3)) {
      const saved = await savePledge(site.db, {
        campaignId: TEST_CAMPAIGN_ID,
        partySlug: 'testpartij-a',
        goalSlug: goal.slug,
        goalSlugs: goals.map((g) => g.slug),
        baseVersion: 0,
        input: { stance: 'partial', statement: 'Deels.' },
        actor: TEST_ACTOR,
      });
      expect(saved.status).toBe('saved');
      const checked = await recordCheck(
        site.db,
        TEST_CAMPAIGN_ID,
        { partySlug: 'testpartij-a', goalSlug: goal.slug, verdict: 'disputed', reason: 'Dat staat er niet.' },
        { actor: checker },
      );
      expect(checked.status).toBe('done');
    }
    checkIds = (await site.db.select({ id: pledgeChecks.id }).from(pledgeChecks)).map((c) => c.id);
    await site.app.boardVersion.refresh();
    admin = new FormClient(site.url);
    await signInOverHttp(admin, adminAccount);
    repA = new FormClient(site.url);
    const rep = await createAccount(site.db, { email: 'rep@partij-a.example', party: 'testpartij-a', name: 'Vera Vertegenwoordiger' });
    repUserId = rep.user.id;
    await signInOverHttp(repA, rep);
    errorsOf = responseValidator(await json('/api/v1/openapi.json'));
  });
  afterAll(() => site?.close());

  it('every reply is public: in the party’s history, events.json and the feeds; it moves the board’s "last updated"', async () => {
    const before = await json<{ updatedAt: string }>('/api/v1/scoreboard.json');
    await new Promise((resolve) => setTimeout(resolve, 20));
    for (const text of [FIRST, SECOND]) expect((await repA.submit('/mijn-partij', 'replyToCheck', { check: String(checkIds[0]), text })).status).toBe(303);
    const [latest] = await site.db.select().from(partyReplies).where(eq(partyReplies.text, SECOND));

    const board = await json<{ updatedAt: string }>('/api/v1/scoreboard.json');
    expect(board.updatedAt).toBe(latest!.repliedAt.toISOString());
    expect(Date.parse(board.updatedAt)).toBeGreaterThan(Date.parse(before.updatedAt));
    // A frozen view from before the replies keeps its time.
    expect((await json<{ updatedAt: string }>(`/api/v1/scoreboard.json?at=${encodeURIComponent(before.updatedAt)}`)).updatedAt).toBe(before.updatedAt);

    const history = textOf(await (await get('/partijen/testpartij-a')).text());
    expect(history).toContain(`De partij reageerde op de controle van de campagne:${FIRST}`);
    expect(history).toContain(`De partij reageerde op de controle van de campagne:${SECOND}`);
    const english = textOf(await (await get('/en/parties/testpartij-a')).text());
    expect(english).toContain(`The party replied to the campaign’s check:${FIRST}`);

    const events = await json<EventsJson>('/api/v1/events.json');
    expect(errorsOf('/api/v1/events.json', 200, events)).toEqual([]);
    expect(events.replies.map((r) => [r.text, r.subject.kind, r.subject.id, r.party.slug, r.goal, r.by.name, r.hiddenReason])).toEqual([
      [SECOND, 'check', checkIds[0], 'testpartij-a', goals[0]!.slug, 'Vera Vertegenwoordiger', null],
      [FIRST, 'check', checkIds[0], 'testpartij-a', goals[0]!.slug, 'Vera Vertegenwoordiger', null],
    ]);
    expect((await json<EventsJson>(`/api/v1/events.json?goal=${goals[1]!.slug}`)).replies).toEqual([]);
    for (const path of ['/feed.xml', '/partijen/testpartij-a/feed.xml', `/doelen/${goals[0]!.slug}/feed.xml`]) {
      const feed = await (await get(path)).text();
      expect(strictXmlErrors(feed), path).toEqual([]);
      expect(feed, path).toContain(FIRST);
      expect(feed, path).toMatch(/party-reply-\d+<\/id>/);
    }
  });

  it('events.json pages checks and replies with the events: each list bounded, `next` carries every cursor', async () => {
    const first = await json<EventsJson>('/api/v1/events.json?limit=1');
    expect([first.events.length, first.checks.length, first.replies.length]).toEqual([1, 1, 1]);
    expect(first.next).toMatch(/before=\d+/);
    expect(first.next).toMatch(/checksBefore=\d+/);
    expect(first.next).toMatch(/repliesBefore=\d+/);
    const seen = { events: [] as number[], checks: [] as number[], replies: [] as number[] };
    let next: string | null = '/api/v1/events.json?limit=1';
    let pages = 0;
    while (next) {
      const response = await get(next);
      expect(response.status).toBe(200);
      const page = (await response.json()) as EventsJson;
      expect(errorsOf('/api/v1/events.json', 200, page)).toEqual([]);
      if (page.next) expect(response.headers.get('link')).toBe(`<${page.next}>; rel="next"`);
      seen.events.push(...page.events.map((e) => e.id));
      seen.checks.push(...page.checks.map((e) => e.id));
      seen.replies.push(...page.replies.map((e) => e.id));
      next = page.next;
      pages++;
    }
    // Three pledges, three checks, two replies: three pages of one, each list once, newest first.
    expect(pages).toBe(3);
    expect(seen.events).toHaveLength(3);
    expect(seen.checks).toEqual([...checkIds].sort((a, b) => b - a));
    expect(seen.replies).toHaveLength(2);
    expect(new Set(seen.replies).size).toBe(2);
    // The default page is bounded too.
    expect((await json<EventsJson>('/api/v1/events.json?limit=2')).checks).toHaveLength(2);
  });

  it('the campaign hides a reply with a public reason in Beheer: shown everywhere in its place, audited; shown again', async () => {
    const [reply] = await site.db.select().from(partyReplies).where(eq(partyReplies.text, SECOND));
    const fields = { party: 'testpartij-a', reply: String(reply!.id), hide: 'true', reason: REASON };
    const before = await counts();
    expect((await repA.submit(ADMIN_PAGE, 'moderateReply', fields)).status).toBe(403);
    const short = await admin.submit(ADMIN_PAGE, 'moderateReply', { ...fields, reason: 'x' });
    expect(short.status).toBe(400);
    expect(textOf(await short.text())).toContain('Geef een openbare reden (3 tot 300 tekens).');
    expect((await admin.submit(ADMIN_PAGE, 'moderateReply', { ...fields, reply: '999999' })).status).toBe(404);
    expect((await admin.submit(ADMIN_PAGE, 'moderateReply', { ...fields, reply: 'abc' })).status).toBe(404);
    expect(await counts()).toEqual(before);

    const beheer = textOf(await (await admin.get(ADMIN_PAGE)).text());
    expect(beheer).toContain('Reacties van de partij');
    expect(beheer).toContain(SECOND);
    const hidden = await admin.submit(ADMIN_PAGE, 'moderateReply', fields);
    expect(hidden.status).toBe(303);
    expect((await admin.submit(ADMIN_PAGE, 'moderateReply', fields)).status).toBe(409);
    expect(await counts()).toMatchObject({ moderations: before.moderations + 1 });
    expect(await site.db.select().from(auditLog).where(eq(auditLog.action, 'reply.hidden'))).toHaveLength(1);
    const after = textOf(await (await admin.get(hidden.headers.get('location')!)).text());
    expect(after).toContain('De reactie is bijgewerkt.');
    // Admins still read the words, and the way back.
    expect(after).toContain(SECOND);
    expect(after).toContain('Reactie weer tonen');

    await site.app.boardVersion.refresh();
    const notice = `Verborgen door de campagne: ${REASON}`;
    for (const path of ['/partijen/testpartij-a', `/partijen/testpartij-a/doelen/${goals[0]!.slug}`, '/']) {
      const page = textOf(await (await get(path)).text());
      expect(page, path).not.toContain(SECOND);
      if (path !== '/') expect(page, path).toContain(notice);
    }
    expect(textOf(await (await get('/en/parties/testpartij-a')).text())).toContain(`Hidden by the campaign: ${REASON}`);
    const board = await json<{ parties: { slug: string; pledges: Record<string, { check: { reply: unknown } }> }[] }>('/api/v1/scoreboard.json');
    expect(errorsOf('/api/v1/scoreboard.json', 200, board)).toEqual([]);
    expect(board.parties.find((p) => p.slug === 'testpartij-a')!.pledges[goals[0]!.slug]!.check.reply).toMatchObject({ text: null, hiddenReason: REASON });
    const events = await json<EventsJson>('/api/v1/events.json');
    expect(events.replies.find((r) => r.id === reply!.id)).toMatchObject({ text: null, hiddenReason: REASON });
    for (const path of ['/feed.xml', '/api/v1/events.json', '/api/v1/scoreboard.json', '/api/v1/pledges.csv']) {
      expect(await (await get(path)).text(), path).not.toContain(SECOND);
    }
    // pledges.csv says why, in the column beside the (emptied) reply.
    const csvRows = (await (await get('/api/v1/pledges.csv')).text()).replace(/^\uFEFF/, '').split('\r\n');
    const reasonColumn = csvRows[0]!.split(',').indexOf('check_reply_hidden_reason');
    expect(reasonColumn).toBeGreaterThan(0);
    expect(csvRows.filter((r) => r.includes(REASON))).toHaveLength(1);

    const shown = await admin.submit(ADMIN_PAGE, 'moderateReply', { ...fields, hide: 'false', reason: 'Nummer is van de partij zelf.' });
    expect(shown.status).toBe(303);
    await site.app.boardVersion.refresh();
    expect(textOf(await (await get('/partijen/testpartij-a')).text())).toContain(SECOND);
  });

  it(`a representative posts at most ${REPLIES_PER_HOUR} replies an hour: then 429 with a message, nothing written`, async () => {
    const already = (await site.db.select().from(partyReplies).where(eq(partyReplies.byUserId, repUserId))).length;
    const [party] = await site.db.select({ id: parties.id }).from(parties).where(eq(parties.slug, 'testpartij-a'));
    await site.db.insert(partyReplies).values(
      Array.from({ length: REPLIES_PER_HOUR - already }, (_, i) => ({
        campaignId: TEST_CAMPAIGN_ID,
        partyId: party!.id,
        subject: 'check' as const,
        subjectId: checkIds[1]!,
        text: `Reactie ${i}.`,
        byName: 'Vera Vertegenwoordiger',
        byUserId: repUserId,
      })),
    );
    const before = await counts();
    const refused = await repA.submit('/mijn-partij', 'replyToCheck', { check: String(checkIds[2]), text: 'Nog één.' });
    expect(refused.status).toBe(429);
    expect(textOf(await refused.text())).toContain('U heeft in het afgelopen uur al tien reacties geplaatst, het maximum. Er is niets opgeslagen');
    expect((await repA.callAction('replyToCheck', { check: String(checkIds[2]), text: 'Nog één.' })).status).toBe(429);
    expect(await counts()).toEqual(before);
  });
});
