import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changePassword } from '../../src/auth/change-password.ts';
import { signIn } from '../../src/auth/login.ts';
import {
  createSession,
  invalidateSession,
  invalidateUserSessions,
  completeSecondFactor,
  SESSION_LIFETIME_MS,
  SESSION_MAX_AGE_MS,
  validateSessionToken,
} from '../../src/credentials/sessions.ts';
import { hashToken } from '../../src/credentials/tokens.ts';
import { sessions } from '../../src/db/schema.ts';
import { SYSTEM_ACTOR } from '../../src/domain/actors.ts';
import { importInitialParties } from '../../src/domain/parties.ts';
import { setUserDisabled } from '../../src/domain/users.ts';
import { createAccount, type TestAccount } from '../helpers/accounts.ts';
import { createTestDatabase, ENGINES, rowsOf, type TestDatabase } from '../helpers/engines.ts';
import { TEST_CAMPAIGN_ID, TEST_PARTIES } from '../fixtures/board.ts';
import { sql } from 'drizzle-orm';

const DAY = 24 * 60 * 60 * 1000;

describe.each(ENGINES)('sessions on %s', (engine) => {
  let test: TestDatabase;
  let account: TestAccount;
  const db = () => test.database.db;

  beforeAll(async () => {
    test = await createTestDatabase(engine);
    await importInitialParties(db(), TEST_CAMPAIGN_ID, TEST_PARTIES);
    account = await createAccount(db(), { email: 'sessie@partij-a.example', party: 'testpartij-a' });
  });
  afterAll(() => test.drop());

  it('keeps only the SHA-256 of a 160-bit token, never the token', async () => {
    const { token, session } = await createSession(db(), account.user.id);
    expect(token).toMatch(/^[a-z2-7]{32}$/); // 32 base32 characters = 160 bits
    expect(session.id).toBe(hashToken(token));
    expect(session.id).toMatch(/^[0-9a-f]{64}$/);
    const everything = rowsOf<Record<string, unknown>>(await db().execute(sql`select * from sessions`));
    expect(JSON.stringify(everything)).not.toContain(token);
  });

  it('recognises a token until it expires, then deletes the session', async () => {
    const now = new Date('2026-03-01T12:00:00Z');
    const { token, session } = await createSession(db(), account.user.id, { now });
    expect(session.expiresAt).toEqual(new Date(now.getTime() + SESSION_LIFETIME_MS));
    expect(await validateSessionToken(db(), token, new Date(now.getTime() + DAY))).toMatchObject({ renewed: false });
    expect(await validateSessionToken(db(), token, session.expiresAt)).toBeNull();
    expect(await db().select().from(sessions).where(eq(sessions.id, session.id))).toEqual([]);
  });

  it('slides the expiry forward once the session is used in its second half', async () => {
    const now = new Date('2026-03-01T12:00:00Z');
    const { token } = await createSession(db(), account.user.id, { now });
    const later = new Date(now.getTime() + SESSION_LIFETIME_MS - 2 * DAY);
    const renewed = await validateSessionToken(db(), token, later);
    expect(renewed?.renewed).toBe(true);
    expect(renewed?.session.expiresAt).toEqual(new Date(later.getTime() + SESSION_LIFETIME_MS));
    // Still valid after the first expiry, because it was renewed.
    expect(await validateSessionToken(db(), token, new Date(now.getTime() + SESSION_LIFETIME_MS + DAY))).not.toBeNull();
  });

  it('ends a session at its absolute age, however often it was renewed', async () => {
    const now = new Date('2026-03-01T12:00:00Z');
    const { token } = await createSession(db(), account.user.id, { now });
    // Used every few days: always renewed, never idle long enough to expire.
    for (let day = 5; day < 30; day += 5) {
      expect(await validateSessionToken(db(), token, new Date(now.getTime() + day * DAY)), `day ${day}`).not.toBeNull();
    }
    expect(await validateSessionToken(db(), token, new Date(now.getTime() + 30 * DAY))).toBeNull();
    expect(SESSION_MAX_AGE_MS).toBe(30 * DAY);
  });

  it('never renews a session past its absolute age', async () => {
    const now = new Date('2026-03-01T12:00:00Z');
    const { token } = await createSession(db(), account.user.id, { now });
    let at = now.getTime();
    while (at + 3 * DAY < now.getTime() + SESSION_MAX_AGE_MS) {
      at += 3 * DAY;
      const validation = await validateSessionToken(db(), token, new Date(at));
      expect(validation!.session.expiresAt.getTime()).toBeLessThanOrEqual(now.getTime() + SESSION_MAX_AGE_MS);
    }
  });

  it('gives the session a new token when the second factor completes; the old one stops working', async () => {
    const before = await createSession(db(), account.user.id, { twoFactorVerified: false });
    const after = await completeSecondFactor(db(), before.session.id);
    expect(after).not.toBeNull();
    expect(after!.token).not.toBe(before.token);
    expect(await validateSessionToken(db(), before.token)).toBeNull();
    const validation = await validateSessionToken(db(), after!.token);
    expect(validation?.session.twoFactorVerified).toBe(true);
    expect(validation?.session.createdAt).toEqual(before.session.createdAt);
  });

  it('refuses tokens that are malformed or unknown', async () => {
    expect(await validateSessionToken(db(), 'abc')).toBeNull();
    expect(await validateSessionToken(db(), 'a'.repeat(32))).toBeNull();
  });

  it('ends a session on logout', async () => {
    const { token, session } = await createSession(db(), account.user.id);
    await invalidateSession(db(), session.id);
    expect(await validateSessionToken(db(), token)).toBeNull();
  });

  it('ends every other session when the password changes', async () => {
    const kept = await createSession(db(), account.user.id, { twoFactorVerified: true });
    const other = await createSession(db(), account.user.id);
    const result = await changePassword(db(), {
      user: account.user,
      session: kept.session,
      current: account.password,
      next: 'een nieuw en lang wachtwoord',
      ip: '192.0.2.1',
    });
    expect(result).toBe('changed');
    expect(await validateSessionToken(db(), kept.token)).not.toBeNull();
    expect(await validateSessionToken(db(), other.token)).toBeNull();
    account = { ...account, password: 'een nieuw en lang wachtwoord', user: (await validateSessionToken(db(), kept.token))!.user };
  });

  it('refuses a new password that breaks the rules, and a wrong current one', async () => {
    const { session } = await createSession(db(), account.user.id);
    const base = { user: account.user, session, ip: '192.0.2.1' };
    expect(await changePassword(db(), { ...base, current: 'fout wachtwoord', next: 'een ander lang wachtwoord' })).toEqual({
      issues: { currentPassword: 'password.wrongCurrent' },
    });
    expect(await changePassword(db(), { ...base, current: account.password, next: 'kort' })).toEqual({ issues: { newPassword: 'password.tooShort' } });
    expect(await changePassword(db(), { ...base, current: account.password, next: 'wachtwoord' })).toMatchObject({
      issues: { newPassword: expect.stringMatching(/^password\.weak/) },
    });
    expect(await changePassword(db(), { ...base, current: account.password, next: 'qwertyuiop' })).toMatchObject({
      issues: { newPassword: expect.stringMatching(/^password\.weak/) },
    });
  });

  it("lets the owner's device change the password while guesses from elsewhere have spent the address's budget", async () => {
    const owner = await createAccount(db(), { email: 'wissel@partij-a.example', party: 'testpartij-a' });
    const signedIn = await signIn(db(), { email: owner.email, password: owner.password, ip: '192.0.2.150' });
    if (signedIn.status !== 'signed-in') throw new Error(signedIn.status);
    for (let i = 0; i < 5; i++) await signIn(db(), { email: owner.email, password: `gok ${i}`, ip: `203.0.113.${i + 1}` });
    // On a new network (a phone off the office wifi), with the device cookie of the sign-in.
    const result = await changePassword(db(), {
      user: owner.user,
      session: signedIn.session,
      current: owner.password,
      next: 'een nieuw en lang wachtwoord',
      ip: '198.51.100.150',
      deviceToken: signedIn.device.token,
    });
    expect(result).toBe('changed');
  });

  it('ends every session of a disabled user at once, and refuses their old tokens', async () => {
    const other = await createAccount(db(), { email: 'uit@partij-a.example', party: 'testpartij-a' });
    const a = await createSession(db(), other.user.id);
    const b = await createSession(db(), other.user.id);
    await setUserDisabled(db(), other.user.id, true, SYSTEM_ACTOR);
    expect(await db().select().from(sessions).where(eq(sessions.userId, other.user.id))).toEqual([]);
    expect(await validateSessionToken(db(), a.token)).toBeNull();
    expect(await validateSessionToken(db(), b.token)).toBeNull();
  });

  it('ends all sessions of a user, or all but one', async () => {
    const a = await createSession(db(), account.user.id);
    const b = await createSession(db(), account.user.id);
    await invalidateUserSessions(db(), account.user.id, a.session.id);
    expect(await validateSessionToken(db(), a.token)).not.toBeNull();
    expect(await validateSessionToken(db(), b.token)).toBeNull();
    await invalidateUserSessions(db(), account.user.id);
    expect(await validateSessionToken(db(), a.token)).toBeNull();
  });
});
