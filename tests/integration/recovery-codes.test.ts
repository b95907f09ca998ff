/**
 * Recovery codes in the database: only hashes are stored, a code works once, and of two
 * requests racing with the same code exactly one gets in (on every engine).
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, verifySecondFactor } from '../../src/auth/login.ts';
import { createNewRecoveryCodes } from '../../src/auth/second-factor-setup.ts';
import { countUnusedRecoveryCodes, normaliseRecoveryCode, replaceRecoveryCodes, useRecoveryCode } from '../../src/credentials/recovery-codes.ts';
import { auditLog, recoveryCodes, users } from '../../src/db/schema.ts';
import { CLI_ACTOR } from '../../src/domain/actors.ts';
import { importInitialParties } from '../../src/domain/parties.ts';
import { createPasswordResetLink, redeemPasswordReset } from '../../src/domain/password-resets.ts';
import { createAccount, type TestAccount } from '../helpers/accounts.ts';
import { createTestDatabase, ENGINES, rowsOf, type TestDatabase } from '../helpers/engines.ts';
import { TEST_CAMPAIGN_ID, TEST_PARTIES } from '../fixtures/board.ts';

describe.each(ENGINES)('recovery codes on %s', (engine) => {
  let test: TestDatabase;
  let account: TestAccount;
  const db = () => test.database.db;

  beforeAll(async () => {
    test = await createTestDatabase(engine);
    await importInitialParties(db(), TEST_CAMPAIGN_ID, TEST_PARTIES);
    account = await createAccount(db(), { email: 'herstel@partij-a.example', party: 'testpartij-a', totp: true });
  });
  afterAll(() => test.drop());

  it('stores only a hash of each code, never the code', async () => {
    const codes = await replaceRecoveryCodes(db(), account.user.id);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}$/);
    const rows = rowsOf<Record<string, unknown>>(await db().execute(sql`select * from recovery_codes`));
    expect(rows).toHaveLength(10);
    const stored = JSON.stringify(rows);
    for (const code of codes) {
      expect(stored).not.toContain(code);
      expect(stored).not.toContain(normaliseRecoveryCode(code)!);
    }
    for (const row of rows) expect(row.code_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a code works once; typing is forgiving (case, spaces, dashes, o/i/l)', async () => {
    const [first, second] = await replaceRecoveryCodes(db(), account.user.id);
    const sloppy = ` ${first!.toUpperCase().replace(/-/g, ' ').replace(/0/g, 'O').replace(/1/g, 'l')} `;
    expect(await useRecoveryCode(db(), account.user.id, normaliseRecoveryCode(sloppy)!)).toBe(true);
    expect(await useRecoveryCode(db(), account.user.id, normaliseRecoveryCode(first!)!)).toBe(false);
    expect(await countUnusedRecoveryCodes(db(), account.user.id)).toBe(9);
    // Another account's code is no use here, even with the same text.
    const other = await createAccount(db(), { email: 'ander@partij-a.example', party: 'testpartij-a', totp: true });
    expect(await useRecoveryCode(db(), other.user.id, normaliseRecoveryCode(second!)!)).toBe(false);
    expect(await useRecoveryCode(db(), account.user.id, normaliseRecoveryCode(second!)!)).toBe(true);
  });

  it('refuses text that cannot be a code', () => {
    for (const bad of ['', 'abcd-efgh-jk', 'abcd-efgh-jkmnp', 'abcd-efgh-jkmu', 'abcd\0efgh-jkmn', 'ääää-efgh-jkmn', '123456']) {
      expect(normaliseRecoveryCode(bad), JSON.stringify(bad)).toBeNull();
    }
  });

  it('two requests racing with one code: exactly one gets in', async () => {
    const [code] = await replaceRecoveryCodes(db(), account.user.id);
    const results = await Promise.all(Array.from({ length: 6 }, () => useRecoveryCode(db(), account.user.id, normaliseRecoveryCode(code!)!)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await countUnusedRecoveryCodes(db(), account.user.id)).toBe(9);
  });

  it('two sign-ins racing with one code: one session completes, the other is refused; the use is audited', async () => {
    const [code] = await replaceRecoveryCodes(db(), account.user.id);
    const user = (await db().select().from(users).where(eq(users.id, account.user.id)))[0]!;
    const steps = await Promise.all(['192.0.2.10', '192.0.2.11'].map((ip) => signIn(db(), { email: account.email, password: account.password, ip })));
    const results = await Promise.all(
      steps.map((step, i) => {
        if (step.status !== 'signed-in') throw new Error(step.status);
        return verifySecondFactor(db(), { session: step.session, user, code: code!, ip: `192.0.2.1${i}`, device: step.device.token });
      }),
    );
    expect(results.map((r) => r.status).sort()).toEqual(['invalid', 'verified']);
    const verified = results.find((r) => r.status === 'verified');
    expect(verified).toMatchObject({ remainingRecoveryCodes: 9 });
    const used = await db().select().from(auditLog).where(eq(auditLog.action, 'recovery-code.used'));
    expect(used.at(-1)?.details).toMatchObject({ remaining: 9 });
  });

  it('a new set replaces the old one, proven with a code; the old codes stop working', async () => {
    const old = await replaceRecoveryCodes(db(), account.user.id);
    const user = (await db().select().from(users).where(eq(users.id, account.user.id)))[0]!;
    expect(await createNewRecoveryCodes(db(), { user, code: 'niet-een-code', ip: '192.0.2.20' })).toMatchObject({ status: 'invalid' });
    expect(await createNewRecoveryCodes(db(), { user, code: undefined, ip: '192.0.2.20' })).toMatchObject({ status: 'invalid' });
    const made = await createNewRecoveryCodes(db(), { user, code: old[0]!, ip: '192.0.2.20' });
    expect(made.status).toBe('created');
    for (const code of old.slice(1)) expect(await useRecoveryCode(db(), account.user.id, normaliseRecoveryCode(code)!)).toBe(false);
    expect(await countUnusedRecoveryCodes(db(), account.user.id)).toBe(10);
  });

  it("an admin's reset that clears the second factor deletes the codes too", async () => {
    await replaceRecoveryCodes(db(), account.user.id);
    const link = await createPasswordResetLink(db(), account.user.id, { actor: CLI_ACTOR, clearSecondFactor: true });
    if (link.status !== 'created') throw new Error(link.status);
    expect((await redeemPasswordReset(db(), link.token, 'een ander heel geheim wachtwoord voor herstel')).status).toBe('done');
    expect(await db().select().from(recoveryCodes).where(eq(recoveryCodes.userId, account.user.id))).toEqual([]);
    // Deleting the account deletes its codes (cascade), so no orphan rows can outlive it.
    await replaceRecoveryCodes(db(), account.user.id);
    const fk = rowsOf<{ confdeltype: string }>(
      await db().execute(sql`select confdeltype from pg_constraint where conname = 'recovery_codes_user_id_users_id_fk'`),
    );
    expect(fk[0]?.confdeltype).toBe('c');
  });
});
