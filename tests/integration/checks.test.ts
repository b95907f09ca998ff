/**
 * The campaign checks each pledge (issue 15): a check belongs to one version of a pledge, keeps
 * a copy of the evidence page (fetched from a local https server with a test certificate) or
 * the fetcher's refusal, is append-only, and the party's representative replies to it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, campaigns, evidenceSnapshots, parties, partyReplies, pledgeChecks } from '../../src/db/schema.ts';
import type { Actor } from '../../src/domain/actors.ts';
import { checkData, listCheckEvents, loadChecks, previewCheck, recordCheck, refetchEvidence } from '../../src/domain/checks.ts';
import { isPublicAddress, type EvidenceFetchOptions } from '../../src/domain/evidence-fetch.ts';
import { loadFollowUpBoard } from '../../src/domain/follow-up-board.ts';
import { savePledge } from '../../src/domain/pledges.ts';
import { loadScoreboard, loadStanceBoard } from '../../src/domain/scoreboard.ts';
import { addReply, loadReplies } from '../../src/domain/replies.ts';
import { createAccount } from '../helpers/accounts.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/engines.ts';
import { addTestParties, TEST_CAMPAIGN_ID, TEST_GOAL_SLUGS, TEST_GOALS, TEST_PARTIES } from '../fixtures/board.ts';

const MANIFESTO = Buffer.from('<!doctype html><title>Programma Testpartij A</title><p>Wij beschermen kinderen online.</p>');
let page = MANIFESTO;
let gone = false;
let server: https.Server;
let port: number;
let fetchOptions: EvidenceFetchOptions;

function route(request: IncomingMessage, response: ServerResponse) {
  if (request.url === '/programma' && !gone) response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
  else response.writeHead(gone ? 410 : 404, { 'content-type': 'text/plain' }).end('weg');
}

beforeAll(async () => {
  const own = await generate([{ name: 'commonName', value: 'programma.test' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'programma.test' }] }],
  });
  server = https.createServer({ key: own.private, cert: own.cert }, route);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  fetchOptions = {
    resolve: async (hostname) => {
      const address = { 'programma.test': '127.0.0.1', 'intranet.test': '10.1.2.3' }[hostname];
      if (!address) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
      return [{ address, family: 4 }];
    },
    ca: own.cert,
    ports: [port],
    allowAddress: (address) => address === '127.0.0.1' || isPublicAddress(address),
    timeoutMs: 3000,
  };
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const T1 = new Date('2026-02-01T10:00:00Z');
const T2 = new Date('2026-02-02T10:00:00Z');
const T3 = new Date('2026-02-03T10:00:00Z');
const T4 = new Date('2026-02-04T10:00:00Z');

describe.each(ENGINES)('checks of pledges on %s', (engine) => {
  let test: TestDatabase;
  let repA: Actor;
  let repB: Actor;
  let admin: Actor;
  let pledgeA: number;
  const db = () => test.database.db;
  const url = () => `https://programma.test:${port}/programma`;
  const save = (baseVersion: number, statement: string, now: Date, actor = repA) =>
    savePledge(db(), {
      campaignId: TEST_CAMPAIGN_ID,
      partySlug: 'testpartij-a',
      goalSlug: 'eerste-doel',
      goalSlugs: TEST_GOAL_SLUGS,
      baseVersion,
      input: { stance: 'committed', statement, evidenceUrl: url() },
      actor,
      now,
    });

  beforeAll(async () => {
    test = await createTestDatabase(engine);
    await addTestParties(db(), TEST_PARTIES);
    const all = await db().select().from(parties);
    const idOf = (slug: string) => all.find((p) => p.slug === slug)!.id;
    const a = await createAccount(db(), { email: 'rep@partij-a.example', party: 'testpartij-a', name: 'Rita Rep' });
    const b = await createAccount(db(), { email: 'rep@partij-b.example', party: 'testpartij-b', name: 'Bas Rep' });
    const adm = await createAccount(db(), { email: 'beheer@campagne.example', name: 'Bert Bakker' });
    repA = { userId: a.user.id, name: 'Rita Rep', role: 'rep', partyId: idOf('testpartij-a'), label: a.email };
    repB = { userId: b.user.id, name: 'Bas Rep', role: 'rep', partyId: idOf('testpartij-b'), label: b.email };
    admin = { userId: adm.user.id, name: 'Bert Bakker', role: 'admin', partyId: null, label: adm.email };
    const saved = await save(0, 'Ja, zie ons programma.', T1);
    expect(saved.status).toBe('saved');
    pledgeA = (await db().select().from(pledgeChecks)).length; // 0: nothing checked yet
    expect(pledgeA).toBe(0);
  });
  afterAll(() => test.drop());

  const verify = (extra: Record<string, unknown> = {}, now = T2) =>
    recordCheck(
      db(),
      TEST_CAMPAIGN_ID,
      {
        partySlug: 'testpartij-a',
        goalSlug: 'eerste-doel',
        verdict: 'verified',
        quote: 'Wij beschermen kinderen online.',
        page: '12',
        checkedUrl: url(),
        ...extra,
      },
      { actor: admin, now, fetch: fetchOptions },
    );

  it('refuses bad input with a message per field, and writes nothing', async () => {
    const result = await verify({ quote: ' ', page: '0', checkedUrl: 'ftp://x' });
    expect(result).toEqual({ status: 'invalid', issues: { quote: 'check.quote', page: 'check.page', checkedUrl: 'check.checkedUrl' } });
    expect(await verify({ quote: 'Wij\u0000 beschermen' })).toEqual({ status: 'invalid', issues: { quote: 'text.forbiddenCharacter' } });
    const disputed = await recordCheck(
      db(),
      TEST_CAMPAIGN_ID,
      { partySlug: 'testpartij-a', goalSlug: 'eerste-doel', verdict: 'disputed', reason: '' },
      { actor: admin },
    );
    expect(disputed).toEqual({ status: 'invalid', issues: { reason: 'check.reason' } });
    expect(await db().select().from(pledgeChecks)).toEqual([]);
    expect(await db().select().from(evidenceSnapshots)).toEqual([]);
  });

  it('is for admins only, and for a pledge that exists', async () => {
    expect(
      await recordCheck(db(), TEST_CAMPAIGN_ID, { partySlug: 'testpartij-a', goalSlug: 'eerste-doel', verdict: 'disputed', reason: 'Eigen?' }, { actor: repA }),
    ).toEqual({
      status: 'forbidden',
    });
    expect(
      await recordCheck(
        db(),
        TEST_CAMPAIGN_ID,
        { partySlug: 'testpartij-b', goalSlug: 'eerste-doel', verdict: 'disputed', reason: 'Niets.' },
        { actor: admin },
      ),
    ).toEqual({
      status: 'unknown-pledge',
    });
    expect(await verify({ pledgeVersion: '7' })).toEqual({ status: 'stale' });
    expect(await db().select().from(pledgeChecks)).toEqual([]);
  });

  it('previews a dispute as it would be recorded (for the confirm step), refusing what recordCheck refuses, writing nothing', async () => {
    const input = { partySlug: 'testpartij-a', goalSlug: 'eerste-doel', verdict: 'disputed', reason: '  Staat niet in het programma.  ', pledgeVersion: '1' };
    expect(await previewCheck(db(), TEST_CAMPAIGN_ID, input, admin)).toEqual({ status: 'ready', verdict: 'disputed', reason: 'Staat niet in het programma.' });
    expect(await previewCheck(db(), TEST_CAMPAIGN_ID, { ...input, reason: '' }, admin)).toEqual({ status: 'invalid', issues: { reason: 'check.reason' } });
    expect(await previewCheck(db(), TEST_CAMPAIGN_ID, input, repA)).toEqual({ status: 'forbidden' });
    expect(await previewCheck(db(), TEST_CAMPAIGN_ID, { ...input, partySlug: 'testpartij-b' }, admin)).toEqual({ status: 'unknown-pledge' });
    expect(await previewCheck(db(), TEST_CAMPAIGN_ID, { ...input, pledgeVersion: '7' }, admin)).toEqual({ status: 'stale' });
    expect(await db().select().from(pledgeChecks)).toEqual([]);
    expect(await db().select().from(evidenceSnapshots)).toEqual([]);
  });

  it('keeps the evidence page with its hash, size and type, and shows the check', async () => {
    const result = await verify({ pledgeVersion: '1' });
    expect(result.status).toBe('done');
    const [snapshot] = await db().select().from(evidenceSnapshots);
    expect(snapshot).toMatchObject({
      url: url(),
      httpStatus: 200,
      contentType: 'text/html; charset=utf-8',
      size: MANIFESTO.length,
      sha256: createHash('sha256').update(MANIFESTO).digest('hex'),
      refusal: null,
    });
    expect(Buffer.from(snapshot!.body!).equals(MANIFESTO)).toBe(true);
    const check = (await loadChecks(db(), TEST_CAMPAIGN_ID)).values().next().value!;
    expect(check).toMatchObject({ verdict: 'verified', quote: 'Wij beschermen kinderen online.', page: 12, checkedAt: T2, since: null, reply: null });
    expect(check.snapshot).toMatchObject({ size: MANIFESTO.length, refusal: null });
    expect(checkData(check)).toEqual({
      status: 'verified',
      checkedAt: T2.toISOString(),
      reason: null,
      quote: 'Wij beschermen kinderen online.',
      page: 12,
      url: url(),
      reply: null,
      // The open data's facts of the kept copy (added in 1.8); not fetched again yet, so nothing since.
      evidence: {
        url: url(),
        finalUrl: url(),
        fetchedAt: snapshot!.fetchedAt.toISOString(),
        httpStatus: 200,
        refusal: null,
        contentType: 'text/html; charset=utf-8',
        size: MANIFESTO.length,
        sha256: createHash('sha256').update(MANIFESTO).digest('hex'),
        truncated: false,
      },
      since: null,
      sinceFetchedAt: null,
    });
    // The scoreboard table's one-query board and the full board agree on the mark.
    const checkedCell = async () => {
      const stances = await loadStanceBoard(db(), TEST_CAMPAIGN_ID, TEST_GOALS);
      const full = await loadScoreboard(db(), TEST_CAMPAIGN_ID, TEST_GOALS);
      const [a, b] = [stances, full].map((board) => board.rows.find((r) => r.party.id === repA.partyId)!.cells[0]!.checked);
      expect(a).toBe(b);
      return a;
    };
    expect(await checkedCell()).toBe('verified');
    const [audit] = await db().select().from(auditLog).where(eq(auditLog.action, 'pledge.checked'));
    expect(audit).toMatchObject({ subject: 'testpartij-a/eerste-doel', details: { verdict: 'verified', version: 1, fetch: 'fetched' } });
  });

  it('checks the address again: a new copy, then gone', async () => {
    page = Buffer.from('<!doctype html><p>Een nieuwe versie.</p>');
    expect(
      (await refetchEvidence(db(), TEST_CAMPAIGN_ID, { partySlug: 'testpartij-a', goalSlug: 'eerste-doel' }, { actor: admin, fetch: fetchOptions })).status,
    ).toBe('done');
    // A web page whose bytes differ is not called changed in public (tokens, dates differ on every
    // fetch); a document is (tests/unit/domain/evidence-since.test.ts). The new copy is kept.
    const refreshed = [...(await loadChecks(db(), TEST_CAMPAIGN_ID)).values()][0]!;
    expect(refreshed.since).toBeNull();
    expect(refreshed.latestSnapshot?.sha256).not.toBe(refreshed.snapshot?.sha256);
    gone = true;
    await refetchEvidence(db(), TEST_CAMPAIGN_ID, { partySlug: 'testpartij-a', goalSlug: 'eerste-doel' }, { actor: admin, fetch: fetchOptions });
    const check = [...(await loadChecks(db(), TEST_CAMPAIGN_ID)).values()][0]!;
    expect(check.since).toBe('gone');
    expect(check.latestSnapshot?.httpStatus).toBe(410);
    // The open data says so, with when it was seen; the facts are still those of the copy the check kept.
    expect(checkData(check)).toMatchObject({
      evidence: { httpStatus: 200, sha256: createHash('sha256').update(MANIFESTO).digest('hex') },
      since: 'gone',
      sinceFetchedAt: check.latestSnapshot!.fetchedAt.toISOString(),
    });
    expect(await refetchEvidence(db(), TEST_CAMPAIGN_ID, { partySlug: 'testpartij-a', goalSlug: 'eerste-doel' }, { actor: repA })).toEqual({
      status: 'forbidden',
    });
    gone = false;
    page = MANIFESTO;
  });

  it('stores a refused fetch with its reason code', async () => {
    const result = await recordCheck(
      db(),
      TEST_CAMPAIGN_ID,
      {
        partySlug: 'testpartij-a',
        goalSlug: 'eerste-doel',
        verdict: 'disputed',
        reason: 'Het programma zegt dit niet.',
        checkedUrl: 'https://intranet.test/programma',
      },
      // Production's address policy: 10.1.2.3 is not on the public internet.
      { actor: admin, now: T3, fetch: { ...fetchOptions, allowAddress: undefined, ports: undefined } },
    );
    expect(result).toMatchObject({ status: 'done', snapshot: { refusal: 'address-not-public', sha256: null, size: null } });
    const check = [...(await loadChecks(db(), TEST_CAMPAIGN_ID)).values()][0]!;
    expect(check).toMatchObject({ verdict: 'disputed', reason: 'Het programma zegt dit niet.', quote: null, page: null });
    expect(check.snapshot?.refusal).toBe('address-not-public');
    expect(checkData(check)).toMatchObject({
      evidence: { url: 'https://intranet.test/programma', refusal: 'address-not-public', httpStatus: null, sha256: null, size: null, contentType: null },
      since: null,
      sinceFetchedAt: null,
    });
  });

  it("lets only the check's own party reply, and shows the latest reply", async () => {
    const checkId = [...(await loadChecks(db(), TEST_CAMPAIGN_ID)).values()][0]!.id;
    expect(await addReply(db(), TEST_CAMPAIGN_ID, { subject: 'check', subjectId: checkId, text: 'Niet waar.' }, { actor: repB })).toEqual({
      status: 'forbidden',
    });
    expect(await addReply(db(), TEST_CAMPAIGN_ID, { subject: 'check', subjectId: checkId, text: 'Onzin.' }, { actor: admin })).toEqual({ status: 'forbidden' });
    expect(await addReply(db(), TEST_CAMPAIGN_ID, { subject: 'check', subjectId: checkId, text: '' }, { actor: repA })).toEqual({
      status: 'invalid',
      issues: { text: 'reply.text' },
    });
    expect(await addReply(db(), TEST_CAMPAIGN_ID, { subject: 'check', subjectId: checkId, text: 'a\u0007b' }, { actor: repA })).toEqual({
      status: 'invalid',
      issues: { text: 'text.forbiddenCharacter' },
    });
    expect(await addReply(db(), TEST_CAMPAIGN_ID, { subject: 'check', subjectId: 99999, text: 'Hallo' }, { actor: repA })).toEqual({
      status: 'unknown-subject',
    });
    expect(await addReply(db(), TEST_CAMPAIGN_ID, { subject: 'follow-up', subjectId: checkId, text: 'Hallo' }, { actor: repA })).toEqual({
      status: 'unknown-subject',
    });
    expect(await db().select().from(partyReplies)).toEqual([]);
    expect((await addReply(db(), TEST_CAMPAIGN_ID, { subject: 'check', subjectId: checkId, text: 'Zie pagina 13.' }, { actor: repA, now: T3 })).status).toBe(
      'done',
    );
    expect((await addReply(db(), TEST_CAMPAIGN_ID, { subject: 'check', subjectId: checkId, text: 'Zie pagina 14.' }, { actor: repA, now: T4 })).status).toBe(
      'done',
    );
    expect((await loadReplies(db(), TEST_CAMPAIGN_ID, 'check')).get(checkId)?.text).toBe('Zie pagina 14.');
    expect((await loadReplies(db(), TEST_CAMPAIGN_ID, 'check', T3)).get(checkId)?.text).toBe('Zie pagina 13.');
    expect([...(await loadChecks(db(), TEST_CAMPAIGN_ID)).values()][0]!.reply?.text).toBe('Zie pagina 14.');
  });

  it('a frozen view shows the check as it was then; the history lists every check', async () => {
    const atT2 = [...(await loadChecks(db(), TEST_CAMPAIGN_ID, new Date(T2.getTime() + 1000))).values()];
    expect(atT2).toHaveLength(1);
    expect(atT2[0]).toMatchObject({ verdict: 'verified', reply: null });
    expect((await loadChecks(db(), TEST_CAMPAIGN_ID, new Date(T1.getTime() + 1000))).size).toBe(0);
    const events = await listCheckEvents(db(), TEST_CAMPAIGN_ID, { partyId: repA.partyId! });
    expect(events.map((e) => e.verdict)).toEqual(['disputed', 'verified']);
  });

  it('the follow-up view carries the check of the pledge shown', async () => {
    // (Frozen views of it: tests/http/follow-up.test.ts, whose parties were on the board then.)
    const board = await loadFollowUpBoard(db(), { id: TEST_CAMPAIGN_ID, state: 'follow-up' }, TEST_GOALS);
    const cellOf = (partyId: number | null) => board.rows.find((r) => r.party.id === partyId)!.cells[0]!;
    expect(cellOf(repA.partyId).check).toMatchObject({ verdict: 'disputed', reason: 'Het programma zegt dit niet.' });
    expect(cellOf(repB.partyId).check).toBeNull();
    // The view shows the check, so its "last updated" is not before it (with no rating or item yet, too).
    expect(board.updatedAt!.getTime()).toBeGreaterThanOrEqual(cellOf(repA.partyId).check!.checkedAt.getTime());
  });

  it('a new version of the pledge is not yet checked', async () => {
    expect((await save(1, 'Ja, en meer.', T4)).status).toBe('saved');
    expect((await loadChecks(db(), TEST_CAMPAIGN_ID)).size).toBe(0);
    expect(checkData(undefined).status).toBe('unchecked');
    const stances = await loadStanceBoard(db(), TEST_CAMPAIGN_ID, TEST_GOALS);
    expect(stances.rows.find((r) => r.party.id === repA.partyId)!.cells[0]!.checked).toBeNull();
  });

  it('checks and snapshots cannot be changed or removed', async () => {
    await expect(db().update(pledgeChecks).set({ reason: 'Anders.' })).rejects.toThrow();
    await expect(db().delete(evidenceSnapshots)).rejects.toThrow();
    await expect(db().delete(partyReplies)).rejects.toThrow();
  });

  it('an archived campaign refuses checks and replies', async () => {
    const checkId = (await db().select().from(pledgeChecks))[0]!.id;
    await db().update(campaigns).set({ state: 'archived' }).where(eq(campaigns.id, TEST_CAMPAIGN_ID));
    try {
      expect(await verify({}, T4)).toEqual({ status: 'archived' });
      expect(await addReply(db(), TEST_CAMPAIGN_ID, { subject: 'check', subjectId: checkId, text: 'Nog iets.' }, { actor: repA })).toEqual({
        status: 'archived',
      });
      expect(
        await refetchEvidence(db(), TEST_CAMPAIGN_ID, { partySlug: 'testpartij-a', goalSlug: 'eerste-doel' }, { actor: admin, fetch: fetchOptions }),
      ).toEqual({
        status: 'archived',
      });
    } finally {
      await db().update(campaigns).set({ state: 'open' }).where(eq(campaigns.id, TEST_CAMPAIGN_ID));
    }
  });
});
