/**
 * Candidates pledge in person (src/domain/candidate-invites.ts, new-accounts.ts, candidates.ts),
 * on every engine: who may invite whom (an admin any candidate, a representative only their own
 * party's), what is refused (an account already, withdrawn, archived, a bad or taken address),
 * each invitation audited and mailed in both languages; accepting makes a 'candidate' account
 * without a party; and only that account signs for its candidate. Fictional people only.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountLinks, auditLog, campaigns, candidateSignatures, outbox, users } from '../../src/db/schema.ts';
import type { Actor } from '../../src/domain/actors.ts';
import { candidateAccountStates, inviteCandidate } from '../../src/domain/candidate-invites.ts';
import { signGoals } from '../../src/domain/candidates.ts';
import { listInvites, resendInvite } from '../../src/domain/invites.ts';
import { redeemAccountLink } from '../../src/domain/new-accounts.ts';
import { loadOutreach } from '../../src/domain/outreach.ts';
import { actorFor } from '../../src/domain/users.ts';
import { addTestCampaign, SECOND_GOALS } from '../fixtures/campaigns.ts';
import { addTestCandidates } from '../fixtures/candidates.ts';
import { addTestParties, testMailContext, testRep } from '../fixtures/board.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/engines.ts';

const PARTIES = [
  { slug: 'proef', name: 'Partij voor de Proef', abbreviation: 'PvdP', seats: 3, website: 'https://example.org/proef' },
  { slug: 'samen-verzonnen', name: 'Samen Verzonnen', abbreviation: 'SV', seats: 1, website: 'https://example.org/sv' },
];
const ADMIN: Actor = { userId: null, name: 'Beheerder Test', role: 'admin', partyId: null, label: 'admin@campagne.example' };
const GOALS = SECOND_GOALS.map((g) => g.slug);
const PASSWORD = 'een heel geheim wachtwoord voor kandidaten';

describe.each(ENGINES)('candidates pledge in person, on %s', (engine) => {
  let test: TestDatabase;
  const db = () => test.database.db;
  let campaignId: number;
  let archivedId: number;
  let party: Map<string, number>;
  let anna: number, bram: number, cees: number, dirk: number, eva: number, fenna: number;

  beforeAll(async () => {
    test = await createTestDatabase(engine);
    campaignId = await addTestCampaign(db(), { slug: 'proefraad', state: 'open' });
    archivedId = await addTestCampaign(db(), { slug: 'oude-raad', state: 'open', name: 'Oude Raad' });
    party = await addTestParties(db(), PARTIES, campaignId);
    await addTestParties(db(), [], archivedId);
    [anna, bram, cees, dirk] = (await addTestCandidates(db(), campaignId, [
      { partyId: party.get('proef')!, firstName: 'Anna', lastName: 'Voorbeeld' },
      { partyId: party.get('proef')!, firstName: 'Bram', lastName: 'Bedacht' },
      { partyId: party.get('proef')!, firstName: 'Cees', lastName: 'Uitgevonden', withdrawn: true },
      { partyId: party.get('samen-verzonnen')!, firstName: 'Dirk', lastName: 'Denkbeeld' },
    ])) as [number, number, number, number];
    [eva] = (await addTestCandidates(db(), archivedId, [{ partyId: party.get('proef')!, firstName: 'Eva', lastName: 'Verleden' }])) as [number];
    [fenna] = (await addTestCandidates(db(), campaignId, [{ partyId: party.get('proef')!, firstName: 'Fenna', lastName: 'Fictief', place: 'Elders' }])) as [
      number,
    ];
    await db().update(campaigns).set({ state: 'archived' }).where(eq(campaigns.id, archivedId));
  });
  afterAll(() => test?.drop());

  const audits = (subject: string) =>
    db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'candidate.invited'), eq(auditLog.subject, subject)));

  it('an admin invites a candidate: an invitation for the candidate, mailed and audited', async () => {
    const result = await inviteCandidate(
      db(),
      { campaignId, candidateId: anna, email: ' Anna@Proef.example ', locale: 'en' },
      { actor: ADMIN, mail: testMailContext() },
    );
    expect(result.status).toBe('created');
    if (result.status !== 'created') return;
    expect(result.link).toMatchObject({ purpose: 'invite', email: 'anna@proef.example', candidateId: anna, partyId: party.get('proef'), campaignId });
    const [mail] = await db().select().from(outbox).where(eq(outbox.accountLinkId, result.link.id));
    expect(mail).toMatchObject({ kind: 'candidate-invite', toAddress: 'anna@proef.example', locale: 'en' });
    expect(mail!.subject).toContain('in person');
    expect(mail!.textBody).toContain('Anna Voorbeeld');
    expect(await audits('anna@proef.example')).toHaveLength(1);
    expect((await candidateAccountStates(db(), [anna, bram])).get(anna)).toBe('invited');
    // Held, so on the record were it a party's invitation; asking a candidate is not asking the party.
    expect(mail!.wentOutAt).not.toBeNull();
    expect(await loadOutreach(db(), campaignId, { partyId: party.get('proef')! })).toEqual(new Map());
  });

  it('the Dutch mail says the candidate signs in person', async () => {
    const result = await inviteCandidate(
      db(),
      { campaignId, candidateId: fenna, email: 'fenna@proef.example', locale: 'nl' },
      { actor: ADMIN, mail: testMailContext() },
    );
    expect(result.status).toBe('created');
    const [mail] = await db().select().from(outbox).where(eq(outbox.toAddress, 'fenna@proef.example'));
    expect(mail!.subject).toContain('zelf');
    expect(mail!.textBody).toContain('Niemand anders kan voor je tekenen');
  });

  it("a draft campaign's candidates are invited by an admin only", async () => {
    const draftId = await addTestCampaign(db(), { slug: 'conceptraad', state: 'draft' });
    await addTestParties(db(), PARTIES, draftId);
    const [gijs] = (await addTestCandidates(db(), draftId, [{ partyId: party.get('proef')!, firstName: 'Gijs', lastName: 'Gedacht', place: 'Elders' }])) as [
      number,
    ];
    const rep = { ...testRep(party.get('proef')!), label: 'rep@proef.example' };
    expect(await inviteCandidate(db(), { campaignId: draftId, candidateId: gijs, email: 'gijs@proef.example' }, { actor: rep })).toEqual({
      status: 'unknown-candidate',
    });
    expect((await inviteCandidate(db(), { campaignId: draftId, candidateId: gijs, email: 'gijs@proef.example' }, { actor: ADMIN })).status).toBe('created');
  });

  it('a representative invites a candidate of their own party, never one of another party', async () => {
    const rep = { ...testRep(party.get('proef')!), label: 'rep@proef.example' };
    expect((await inviteCandidate(db(), { campaignId, candidateId: bram, email: 'bram@proef.example' }, { actor: rep })).status).toBe('created');
    const before = await db().select().from(accountLinks);
    expect(await inviteCandidate(db(), { campaignId, candidateId: dirk, email: 'dirk@sv.example' }, { actor: rep })).toEqual({ status: 'forbidden' });
    const otherRep = testRep(party.get('samen-verzonnen')!);
    expect(await inviteCandidate(db(), { campaignId, candidateId: bram, email: 'bram2@proef.example' }, { actor: otherRep })).toEqual({ status: 'forbidden' });
    expect(await db().select().from(accountLinks)).toEqual(before);
    expect(await audits('dirk@sv.example')).toHaveLength(0);
  });

  it('a candidate cannot invite anyone, themselves included', async () => {
    const candidate: Actor = { userId: 1, name: 'Anna', role: 'candidate', partyId: null, candidateId: anna, label: 'x' };
    expect(await inviteCandidate(db(), { campaignId, candidateId: anna, email: 'anna2@proef.example' }, { actor: candidate })).toEqual({ status: 'forbidden' });
  });

  it('refuses a withdrawn candidate, an archived campaign, a bad or taken address, an unknown id; nothing written', async () => {
    const before = await db().select().from(accountLinks);
    expect(await inviteCandidate(db(), { campaignId, candidateId: cees, email: 'cees@proef.example' }, { actor: ADMIN })).toEqual({ status: 'withdrawn' });
    expect(await inviteCandidate(db(), { campaignId: archivedId, candidateId: eva, email: 'eva@proef.example' }, { actor: ADMIN })).toEqual({
      status: 'archived',
    });
    expect(await inviteCandidate(db(), { campaignId, candidateId: dirk, email: 'geen adres' }, { actor: ADMIN })).toEqual({
      status: 'invalid',
      issues: { email: 'email.invalid' },
    });
    expect(await inviteCandidate(db(), { campaignId, candidateId: 999_999, email: 'x@y.example' }, { actor: ADMIN })).toEqual({ status: 'unknown-candidate' });
    // A candidate of another campaign is unknown from this one's pages.
    expect(await inviteCandidate(db(), { campaignId: archivedId, candidateId: anna, email: 'x@y.example' }, { actor: ADMIN })).toEqual({
      status: 'unknown-candidate',
    });
    await db().insert(users).values({ email: 'bezet@sv.example', displayName: 'Bezet', role: 'admin', passwordHash: 'x' });
    expect(await inviteCandidate(db(), { campaignId, candidateId: dirk, email: 'bezet@sv.example' }, { actor: ADMIN })).toEqual({
      status: 'invalid',
      issues: { email: 'link.emailTaken' },
    });
    expect(await db().select().from(accountLinks)).toEqual(before);
  });

  it('accepting makes a candidate account without a party; the candidate signs; then no second invitation', async () => {
    const made = await inviteCandidate(db(), { campaignId, candidateId: dirk, email: 'dirk@sv.example' }, { actor: ADMIN });
    if (made.status !== 'created') throw new Error(made.status);
    const redeemed = await redeemAccountLink(db(), made.token, { displayName: 'Dirk Denkbeeld', password: PASSWORD });
    expect(redeemed.status).toBe('done');
    if (redeemed.status !== 'done') return;
    expect(redeemed.user).toMatchObject({ role: 'candidate', candidateId: dirk, partyId: null });
    expect(await inviteCandidate(db(), { campaignId, candidateId: dirk, email: 'dirk2@sv.example' }, { actor: ADMIN })).toEqual({ status: 'has-account' });
    const actor = actorFor(redeemed.user);
    const signed = await signGoals(db(), {
      campaignId,
      candidateId: dirk,
      goalSlugs: GOALS,
      signatures: GOALS.map((goalSlug) => ({ goalSlug, committed: true, statement: 'Ik teken.' })),
      actor,
    });
    expect(signed).toEqual({ status: 'signed', changed: 2 });
    expect(await db().select().from(auditLog).where(eq(auditLog.action, 'candidate.signed'))).toHaveLength(1);
    // For another candidate (of another list), never.
    expect(await signGoals(db(), { campaignId, candidateId: anna, goalSlugs: GOALS, signatures: [{ goalSlug: GOALS[0]!, committed: true }], actor })).toEqual({
      status: 'forbidden',
    });
    expect(await db().select().from(candidateSignatures).where(eq(candidateSignatures.candidateId, anna))).toHaveLength(0);
  });

  it('a new invitation replaces the open one; an old link no longer makes an account', async () => {
    const first = await inviteCandidate(db(), { campaignId, candidateId: fenna, email: 'fenna@elders.example' }, { actor: ADMIN });
    const second = await inviteCandidate(db(), { campaignId, candidateId: fenna, email: 'fenna@thuis.example' }, { actor: ADMIN });
    if (first.status !== 'created' || second.status !== 'created') throw new Error('not created');
    expect((await redeemAccountLink(db(), first.token, { displayName: 'Fenna', password: PASSWORD })).status).toBe('link-unusable');
    expect((await redeemAccountLink(db(), second.token, { displayName: 'Fenna Fictief', password: PASSWORD })).status).toBe('done');
  });

  it("a candidate's invitation is not a representative's: not listed with them, never resent as one", async () => {
    const made = await inviteCandidate(db(), { campaignId, candidateId: bram, email: 'bram@elders.example' }, { actor: ADMIN });
    if (made.status !== 'created') throw new Error(made.status);
    expect((await listInvites(db(), campaignId)).map((i) => i.id)).not.toContain(made.link.id);
    expect(await resendInvite(db(), campaignId, made.link.id, { actor: ADMIN, mail: testMailContext() })).toEqual({ status: 'not-open' });
  });

  it('an archived campaign refuses signing too', async () => {
    const [user] = await db()
      .insert(users)
      .values({ email: 'eva@verleden.example', displayName: 'Eva', role: 'candidate', candidateId: eva, passwordHash: 'x' })
      .returning();
    const result = await signGoals(db(), {
      campaignId: archivedId,
      candidateId: eva,
      goalSlugs: GOALS,
      signatures: [{ goalSlug: GOALS[0]!, committed: true }],
      actor: actorFor(user!),
    });
    expect(result).toEqual({ status: 'closed' });
  });
});
