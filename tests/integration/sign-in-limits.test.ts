import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, verifySecondFactor } from '../../src/auth/login.ts';
import { openDatabase } from '../../src/db/client.ts';
import { currentTotpCode, totpStep } from '../../src/auth/totp.ts';
import { importInitialParties } from '../../src/domain/parties.ts';
import { findUserById } from '../../src/domain/users.ts';
import { createAccount, type TestAccount } from '../helpers/accounts.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/engines.ts';
import { TEST_PARTIES } from '../fixtures/board.ts';

const MINUTE = 60 * 1000;
const IP = '198.51.100.7';

describe.each(ENGINES)('sign-in limits on %s', (engine) => {
  let test: TestDatabase;
  let account: TestAccount;
  const db = () => test.database.db;

  beforeAll(async () => {
    test = await createTestDatabase(engine);
    await importInitialParties(db(), TEST_PARTIES);
    account = await createAccount(db(), { email: 'limiet@partij-a.example', party: 'testpartij-a' });
  });
  afterAll(() => test.drop());

  it('refuses the 6th attempt within 15 minutes after 5 wrong passwords, even with the right password', async () => {
    const start = new Date('2026-04-01T10:00:00Z');
    for (let i = 0; i < 5; i++) {
      const at = new Date(start.getTime() + i * MINUTE);
      expect(await signIn(db(), { email: account.email, password: `fout ${i}`, ip: IP, now: at })).toEqual({ status: 'invalid' });
    }
    const sixth = await signIn(db(), { email: account.email, password: account.password, ip: IP, now: new Date(start.getTime() + 6 * MINUTE) });
    expect(sixth).toEqual({ status: 'blocked' });
    // From another address the account is still refused: the limit is per account too.
    const elsewhere = await signIn(db(), { email: account.email, password: account.password, ip: '203.0.113.9', now: new Date(start.getTime() + 7 * MINUTE) });
    expect(elsewhere.status).toBe('blocked');
    // Once the failures are 15 minutes old, the right password works again.
    const later = await signIn(db(), { email: account.email, password: account.password, ip: IP, now: new Date(start.getTime() + 20 * MINUTE) });
    expect(later.status).toBe('signed-in');
  });

  it('lets no more than 5 of 20 simultaneous wrong passwords be checked, on one address', async () => {
    const now = new Date('2026-04-05T10:00:00Z');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => signIn(db(), { email: 'parallel@nergens.example', password: `gok ${i}`, ip: `192.0.2.${100 + i}`, now })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 'invalid')).toHaveLength(5);
    expect(statuses.filter((s) => s === 'blocked')).toHaveLength(15);
  });

  it('treats an unknown address exactly like a known one, limit included', async () => {
    const start = new Date('2026-04-02T10:00:00Z');
    for (let i = 0; i < 5; i++) {
      expect(await signIn(db(), { email: 'niemand@nergens.example', password: 'x', ip: '192.0.2.50', now: new Date(start.getTime() + i * 1000) })).toEqual({ status: 'invalid' });
    }
    expect(await signIn(db(), { email: 'niemand@nergens.example', password: 'x', ip: '192.0.2.50', now: new Date(start.getTime() + 10_000) })).toEqual({ status: 'blocked' });
  });

  it('limits one IP address across many accounts', async () => {
    const start = new Date('2026-04-03T10:00:00Z');
    const ip = '192.0.2.99';
    for (let i = 0; i < 30; i++) {
      await signIn(db(), { email: `raad${i}@nergens.example`, password: 'x', ip, now: new Date(start.getTime() + i * 1000) });
    }
    const fresh = await signIn(db(), { email: account.email, password: account.password, ip, now: new Date(start.getTime() + 40_000) });
    expect(fresh.status).toBe('blocked');
  });

  it('says "disabled" only to someone who knows the password', async () => {
    const other = await createAccount(db(), { email: 'gestopt@partij-a.example', party: 'testpartij-a' });
    const { setUserDisabled } = await import('../../src/domain/users.ts');
    const { SYSTEM_ACTOR } = await import('../../src/domain/actors.ts');
    await setUserDisabled(db(), other.user.id, true, SYSTEM_ACTOR);
    expect(await signIn(db(), { email: other.email, password: 'fout wachtwoord', ip: '192.0.2.60' })).toEqual({ status: 'invalid' });
    expect(await signIn(db(), { email: other.email, password: other.password, ip: '192.0.2.60' })).toEqual({ status: 'disabled' });
  });

  it('accepts a TOTP code once, and limits wrong codes', async () => {
    const admin = await createAccount(db(), { email: 'tweestaps@campagne.example', totp: true });
    const now = new Date();
    const first = await signIn(db(), { email: admin.email, password: admin.password, ip: '192.0.2.70', now });
    if (first.status !== 'signed-in') throw new Error(first.status);
    expect(first.secondFactor).toBe('verify');
    const code = currentTotpCode(admin.totpKey!, now);
    expect(await verifySecondFactor(db(), { session: first.session, user: first.user, code, ip: '192.0.2.70', now })).toBe('verified');

    // The same code again (a replay, in a second session) is refused.
    const second = await signIn(db(), { email: admin.email, password: admin.password, ip: '192.0.2.70', now });
    if (second.status !== 'signed-in') throw new Error(second.status);
    const user = (await findUserById(db(), admin.user.id))!;
    expect(user.totpLastStep).toBe(totpStep(now));
    expect(await verifySecondFactor(db(), { session: second.session, user, code, ip: '192.0.2.70', now: new Date(now.getTime() + 500) })).toBe('invalid');

    const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);
    for (let i = 1; i <= 4; i++) {
      expect(await verifySecondFactor(db(), { session: second.session, user, code: '000000', ip: '192.0.2.70', now: later(i) })).toBe('invalid');
    }
    // Five failures (the replay and four wrong codes): the next try is not even checked.
    const right = currentTotpCode(admin.totpKey!, later(30));
    expect(await verifySecondFactor(db(), { session: second.session, user, code: right, ip: '192.0.2.70', now: later(30) })).toBe('blocked');
  });

  it.runIf(engine === 'postgres')('holds across instances: a second connection pool sees the same limit', async () => {
    const second = await openDatabase(test.target);
    try {
      const start = new Date('2026-04-05T10:00:00Z');
      for (let i = 0; i < 5; i++) {
        await signIn(db(), { email: 'twee@instanties.example', password: 'x', ip: '192.0.2.80', now: new Date(start.getTime() + i * 1000) });
      }
      expect(await signIn(second.db, { email: 'twee@instanties.example', password: 'x', ip: '192.0.2.81', now: new Date(start.getTime() + 9000) })).toEqual({ status: 'blocked' });
    } finally {
      await second.close();
    }
  });
});
