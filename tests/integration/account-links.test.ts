import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/credentials/passwords.ts';
import { createSession, validateSessionToken } from '../../src/credentials/sessions.ts';
import { accountLinks, auditLog, parties, users } from '../../src/db/schema.ts';
import { SYSTEM_ACTOR } from '../../src/domain/actors.ts';
import { findLink, listOpenAccountLinks, revokeAccountLink } from '../../src/domain/account-links.ts';
import { createAdminSetupLink } from '../../src/domain/admin-setup-links.ts';
import { createInvite, listInvites, revokeInvite } from '../../src/domain/invites.ts';
import { redeemAccountLink } from '../../src/domain/new-accounts.ts';
import { createPasswordResetLink, redeemPasswordReset } from '../../src/domain/password-resets.ts';
import { importInitialParties } from '../../src/domain/parties.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/engines.ts';
import { TEST_CAMPAIGN_ID, TEST_PARTIES } from '../fixtures/board.ts';

const DAY = 24 * 60 * 60 * 1000;
const PASSWORD = 'een goed en lang wachtwoord';
const options = { actor: SYSTEM_ACTOR };

describe.each(ENGINES)('one-time links on %s', (engine) => {
  let test: TestDatabase;
  const db = () => test.database.db;

  async function invite(email: string, now = new Date()) {
    const result = await createInvite(db(), { campaignId: TEST_CAMPAIGN_ID, partySlug: 'testpartij-a', email }, { ...options, now });
    if (result.status !== 'created') throw new Error(result.status);
    return result;
  }

  beforeAll(async () => {
    test = await createTestDatabase(engine);
    await importInitialParties(db(), TEST_CAMPAIGN_ID, TEST_PARTIES);
  });
  afterAll(() => test.drop());

  it('an invitation makes a representative bound to its party, and records it', async () => {
    const { token } = await invite('Nieuw@Partij-A.example');
    const result = await redeemAccountLink(db(), token, { displayName: 'Nina Nieuw', password: PASSWORD });
    if (result.status !== 'done') throw new Error(result.status);
    const [party] = await db().select().from(parties).where(eq(parties.slug, 'testpartij-a'));
    expect(result.user).toMatchObject({ email: 'nieuw@partij-a.example', role: 'rep', partyId: party!.id, displayName: 'Nina Nieuw' });
    expect(result.user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(result.user.passwordHash, PASSWORD)).toBe(true);
    const actions = (await db().select().from(auditLog)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['invite.created', 'account.created']));
  });

  it('works once only', async () => {
    const { token } = await invite('eenmaal@partij-a.example');
    expect((await redeemAccountLink(db(), token, { displayName: 'Een', password: PASSWORD })).status).toBe('done');
    expect(await redeemAccountLink(db(), token, { displayName: 'Twee', password: PASSWORD })).toEqual({ status: 'link-unusable', reason: 'used' });
  });

  it('lets only one of two simultaneous redemptions through', async () => {
    const { token } = await invite('tegelijk@partij-a.example');
    const results = await Promise.all([
      redeemAccountLink(db(), token, { displayName: 'Eerste', password: PASSWORD }),
      redeemAccountLink(db(), token, { displayName: 'Tweede', password: PASSWORD }),
    ]);
    expect(results.filter((r) => r.status === 'done')).toHaveLength(1);
    // The other one finds the link used, or (racing on Postgres) the account already made.
    expect(['link-unusable', 'email-taken']).toContain(results.find((r) => r.status !== 'done')!.status);
    expect(await db().select().from(users).where(eq(users.email, 'tegelijk@partij-a.example'))).toHaveLength(1);
  });

  it('expires 7 days after it was made', async () => {
    const made = new Date('2026-05-01T09:00:00Z');
    const { token } = await invite('laat@partij-a.example', made);
    expect((await findLink(db(), token, ['invite'], new Date(made.getTime() + 7 * DAY - 1000)))?.status).toBe('open');
    expect((await findLink(db(), token, ['invite'], new Date(made.getTime() + 7 * DAY)))?.status).toBe('expired');
    expect(await redeemAccountLink(db(), token, { displayName: 'Te Laat', password: PASSWORD }, { now: new Date(made.getTime() + 8 * DAY) })).toEqual({
      status: 'link-unusable',
      reason: 'expired',
    });
  });

  it('can be revoked while open, and then no longer works', async () => {
    const { token, link } = await invite('ingetrokken@partij-a.example');
    // Not from another campaign's page: there it is not an open invitation.
    expect(await revokeInvite(db(), TEST_CAMPAIGN_ID + 1000, link.id, options)).toBe('not-open');
    expect(await revokeInvite(db(), TEST_CAMPAIGN_ID, link.id, options)).toBe('revoked');
    expect(await revokeInvite(db(), TEST_CAMPAIGN_ID, link.id, options)).toBe('not-open');
    expect(await redeemAccountLink(db(), token, { displayName: 'Niemand', password: PASSWORD })).toEqual({ status: 'link-unusable', reason: 'revoked' });
    expect((await listInvites(db(), TEST_CAMPAIGN_ID)).find((i) => i.id === link.id)?.status).toBe('revoked');
  });

  it('refuses a weak password or a missing name and keeps the link usable', async () => {
    const { token } = await invite('zwak@partij-a.example');
    expect(await redeemAccountLink(db(), token, { displayName: 'Z', password: '123456789' })).toEqual({
      status: 'invalid',
      issues: { displayName: 'name.required', password: 'password.tooShort' },
    });
    expect(await redeemAccountLink(db(), token, { displayName: 'Zwak', password: 'zwak@partij-a.example' })).toEqual({
      status: 'invalid',
      issues: { password: 'password.isEmail' },
    });
    expect(await redeemAccountLink(db(), token, { displayName: 'Zwak', password: 'iloveyou123' })).toMatchObject({
      issues: { password: expect.stringMatching(/^password\.weak/) },
    });
    expect((await findLink(db(), token, ['invite']))?.status).toBe('open');
  });

  it('does not invite an address that has an account, or to an unknown party', async () => {
    expect((await createInvite(db(), { campaignId: TEST_CAMPAIGN_ID, partySlug: 'testpartij-b', email: 'nieuw@partij-a.example' }, options)).status).toBe(
      'email-taken',
    );
    expect((await createInvite(db(), { campaignId: TEST_CAMPAIGN_ID, partySlug: 'verzonnen', email: 'x@y.example' }, options)).status).toBe('unknown-party');
    expect((await createInvite(db(), { campaignId: TEST_CAMPAIGN_ID, partySlug: 'testpartij-a', email: 'geen adres' }, options)).status).toBe('invalid');
  });

  it('a new open admin setup link (printed at each start) ends unused ones older than 15 minutes', async () => {
    // (Before any admin exists: after that, such links no longer work at all.)
    const now = new Date();
    const at = (minutesAgo: number) => ({ ...options, now: new Date(now.getTime() - minutesAgo * 60_000) });
    const old = await createAdminSetupLink(db(), {}, at(20));
    const recent = await createAdminSetupLink(db(), {}, at(5)); // another instance, just started
    const named = await createAdminSetupLink(db(), { email: 'genoemd@campagne.example' }, at(30));
    const newest = await createAdminSetupLink(db(), {}, at(0));
    const status = async (link: typeof old) => (link.status === 'created' ? (await findLink(db(), link.token, ['admin-setup']))?.status : link.status);
    expect(await status(old)).toBe('revoked');
    expect(await status(recent)).toBe('open');
    expect(await status(named)).toBe('open');
    expect(await status(newest)).toBe('open');
  });

  it('an admin setup link without an address asks for one and makes an admin', async () => {
    const link = await createAdminSetupLink(db(), {}, options);
    if (link.status !== 'created') throw new Error(link.status);
    expect(await redeemAccountLink(db(), link.token, { displayName: 'Bente Bos', password: PASSWORD })).toMatchObject({ issues: { email: 'email.invalid' } });
    const done = await redeemAccountLink(db(), link.token, { displayName: 'Bente Bos', password: PASSWORD, email: 'beheer@campagne.example' });
    expect(done).toMatchObject({ status: 'done', user: { role: 'admin', partyId: null } });
  });

  it('a reset link sets a new password once and ends every session; a newer link replaces it', async () => {
    const [user] = await db().select().from(users).where(eq(users.email, 'nieuw@partij-a.example'));
    const session = await createSession(db(), user!.id);
    const older = await createPasswordResetLink(db(), user!.id, options);
    const newer = await createPasswordResetLink(db(), user!.id, options);
    if (older.status !== 'created' || newer.status !== 'created') throw new Error('no link');
    expect(await redeemPasswordReset(db(), older.token, 'een vervangen wachtwoord')).toEqual({ status: 'link-unusable', reason: 'revoked' });
    expect((await redeemPasswordReset(db(), newer.token, 'een vervangen wachtwoord')).status).toBe('done');
    expect((await redeemPasswordReset(db(), newer.token, 'nog een ander wachtwoord')).status).toBe('link-unusable');
    const [after] = await db().select().from(users).where(eq(users.id, user!.id));
    expect(await verifyPassword(after!.passwordHash, 'een vervangen wachtwoord')).toBe(true);
    expect(await validateSessionToken(db(), session.token)).toBeNull();
  });

  it('stores only the SHA-256 of a link token', async () => {
    const { token } = await invite('hash@partij-a.example');
    const rows = await db().select().from(accountLinks);
    expect(JSON.stringify(rows)).not.toContain(token);
  });
});

describe.each(ENGINES)('the first-start setup link once an admin exists, on %s', (engine) => {
  let test: TestDatabase;
  const db = () => test.database.db;

  beforeAll(async () => {
    test = await createTestDatabase(engine);
  });
  afterAll(() => test.drop());

  it('the link printed at first start is refused once an admin was made another way, and writes nothing', async () => {
    const printed = await createAdminSetupLink(db(), {}, options); // what the server log shows
    const named = await createAdminSetupLink(db(), { email: 'eerste@campagne.example' }, options); // npm run cli -- create-admin
    if (printed.status !== 'created' || named.status !== 'created') throw new Error('no link');
    expect((await redeemAccountLink(db(), named.token, { displayName: 'Eerste Bakker', password: PASSWORD })).status).toBe('done');

    const usersBefore = await db().select().from(users);
    const auditBefore = await db().select().from(auditLog);
    const second = await redeemAccountLink(db(), printed.token, { displayName: 'Indringer', password: PASSWORD, email: 'indringer@elders.example' });
    expect(second).toEqual({ status: 'link-unusable', reason: 'adminExists' });
    expect(await db().select().from(users)).toEqual(usersBefore);
    expect(await db().select().from(auditLog)).toEqual(auditBefore);
    // The page shows it as no longer usable too.
    expect((await findLink(db(), printed.token, ['admin-setup']))?.status).not.toBe('open');
  });

  it('a link printed after the first admin exists (a start racing the first sign-up) is refused too', async () => {
    const late = await createAdminSetupLink(db(), {}, options);
    if (late.status !== 'created') throw new Error(late.status);
    expect(await redeemAccountLink(db(), late.token, { displayName: 'Laat', password: PASSWORD, email: 'laat@elders.example' })).toEqual({
      status: 'link-unusable',
      reason: 'adminExists',
    });
    expect(await db().select().from(users).where(eq(users.email, 'laat@elders.example'))).toEqual([]);
  });

  it('of two printed links redeemed at once, only one makes an admin', async () => {
    const fresh = await createTestDatabase(engine);
    try {
      const one = await createAdminSetupLink(fresh.database.db, {}, options);
      const two = await createAdminSetupLink(fresh.database.db, {}, options);
      if (one.status !== 'created' || two.status !== 'created') throw new Error('no link');
      const results = await Promise.all([
        redeemAccountLink(fresh.database.db, one.token, { displayName: 'Een', password: PASSWORD, email: 'een@campagne.example' }),
        redeemAccountLink(fresh.database.db, two.token, { displayName: 'Twee', password: PASSWORD, email: 'twee@campagne.example' }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(['done', 'link-unusable']);
      expect(await fresh.database.db.select().from(users)).toHaveLength(1);
    } finally {
      await fresh.drop();
    }
  });

  it('an admin sees open setup and reset links (never their token) and can revoke one, audited', async () => {
    const [admin] = await db().select().from(users).where(eq(users.email, 'eerste@campagne.example'));
    const actor = { userId: admin!.id, name: admin!.displayName, role: 'admin' as const, partyId: null, label: admin!.email };
    const named = await createAdminSetupLink(db(), { email: 'tweede@campagne.example' }, options);
    const reset = await createPasswordResetLink(db(), admin!.id, options);
    if (named.status !== 'created' || reset.status !== 'created') throw new Error('no link');
    const open = await listOpenAccountLinks(db());
    expect(open.map((l) => [l.purpose, l.forWhom])).toEqual(
      expect.arrayContaining([
        ['admin-setup', 'tweede@campagne.example'],
        ['password-reset', 'eerste@campagne.example'],
      ]),
    );
    expect(open.map((l) => l.purpose as string)).not.toContain('invite');
    expect(JSON.stringify(open)).not.toContain(named.token);
    expect(JSON.stringify(open)).not.toContain(reset.token);
    const setupRow = open.find((l) => l.forWhom === 'tweede@campagne.example')!;
    expect(await revokeAccountLink(db(), setupRow.id, { actor })).toBe('revoked');
    expect(await revokeAccountLink(db(), setupRow.id, { actor })).toBe('not-open');
    expect((await findLink(db(), named.token, ['admin-setup']))?.status).toBe('revoked');
    expect((await listOpenAccountLinks(db())).map((l) => l.id)).not.toContain(setupRow.id);
    const [entry] = await db().select().from(auditLog).where(eq(auditLog.action, 'account-link.revoked'));
    expect(entry).toMatchObject({ subject: 'tweede@campagne.example' });
  });
});
