import { count, like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, verifySecondFactor } from '../../src/auth/login.ts';
import { MAX_CHECKS_PER_IP, MAX_FAILURES_PER_IP } from '../../src/auth/rate-limit.ts';
import { openDatabase, type Db } from '../../src/db/client.ts';
import { auditLog } from '../../src/db/schema.ts';
import { currentTotpCode, totpStep } from '../../src/auth/totp.ts';
import { importInitialParties } from '../../src/domain/parties.ts';
import { findUserById } from '../../src/domain/users.ts';
import { createAccount, type TestAccount } from '../helpers/accounts.ts';
import { createTestDatabase, ENGINES, rowsOf, type TestDatabase } from '../helpers/engines.ts';
import { TEST_CAMPAIGN_ID, TEST_PARTIES } from '../fixtures/board.ts';

const MINUTE = 60 * 1000;
const IP = '198.51.100.7';

describe.each(ENGINES)('sign-in limits on %s', (engine) => {
  let test: TestDatabase;
  let account: TestAccount;
  const db = () => test.database.db;

  /** How many wrong passwords were actually checked for this address (and IP). */
  async function checkedFailures(email: string, ip?: string): Promise<number> {
    const result = await db().execute(
      sql`select coalesce(sum(failures), 0)::int as n from login_attempt_counts where kind = 'password' and email = ${email} ${ip ? sql`and ip = ${ip}` : sql``}`,
    );
    return rowsOf<{ n: number }>(result)[0]!.n;
  }

  /** The device cookie's token a successful sign-in hands out. */
  async function deviceOf(result: Awaited<ReturnType<typeof signIn>>): Promise<string> {
    if (result.status !== 'signed-in') throw new Error(result.status);
    return result.device.token;
  }

  async function signInAuditRows(): Promise<number> {
    const [row] = await db().select({ n: count() }).from(auditLog).where(like(auditLog.action, 'login.%'));
    return row!.n;
  }

  beforeAll(async () => {
    test = await createTestDatabase(engine);
    await importInitialParties(db(), TEST_CAMPAIGN_ID, TEST_PARTIES);
    account = await createAccount(db(), { email: 'limiet@partij-a.example', party: 'testpartij-a' });
  });
  afterAll(() => test.drop());

  it('lets the owner in after 5 wrong passwords by an attacker, and keeps refusing the attacker', async () => {
    const start = new Date('2026-04-01T10:00:00Z');
    const at = (minutes: number) => new Date(start.getTime() + minutes * MINUTE);
    // The owner signed in on this device last week: it has a device cookie for the address.
    const device = await deviceOf(await signIn(db(), { email: account.email, password: account.password, ip: '192.0.2.201', now: at(-7 * 24 * 60) }));
    for (let i = 0; i < 5; i++) {
      expect(await signIn(db(), { email: account.email, password: `fout ${i}`, ip: IP, now: at(i) })).toEqual({ status: 'invalid' });
    }
    // The attacker's next guess is refused unchecked, from his address or any other.
    expect(await signIn(db(), { email: account.email, password: 'fout 5', ip: IP, now: at(6) })).toEqual({ status: 'blocked' });
    expect(await signIn(db(), { email: account.email, password: 'fout 6', ip: '203.0.113.9', now: at(6) })).toEqual({ status: 'blocked' });
    // The owner, with the right password, gets in.
    const owner = await signIn(db(), { email: account.email, password: account.password, ip: '192.0.2.200', device, now: at(7) });
    expect(owner.status).toBe('signed-in');
    // …which does not reopen the door for the attacker.
    expect(await signIn(db(), { email: account.email, password: 'fout 7', ip: IP, now: at(8) })).toEqual({ status: 'blocked' });
    expect(await checkedFailures(account.email, IP)).toBe(5);
  });

  it('checks at most 5 guesses at one address per window from an attacker rotating 20 IPs', async () => {
    const start = new Date('2026-04-09T10:00:00Z');
    const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);
    const target = await createAccount(db(), { email: 'doelwit@partij-a.example', party: 'testpartij-a' });
    const device = await deviceOf(await signIn(db(), { email: target.email, password: target.password, ip: '192.0.2.210', now: at(-3600) }));
    let second = 0;
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 20; i++) {
        const result = await signIn(db(), { email: target.email, password: `gok ${round}-${i}`, ip: `203.0.113.${10 + i}`, now: at(second++) });
        expect(result.status).not.toBe('signed-in');
      }
    }
    expect(await checkedFailures(target.email)).toBe(5);
    // Someone without a device cookie, from a network never used for this address, waits…
    expect((await signIn(db(), { email: target.email, password: target.password, ip: '192.0.2.211', now: at(200) })).status).toBe('blocked');
    // …but the owner on their device gets in, from any network.
    expect((await signIn(db(), { email: target.email, password: target.password, ip: '192.0.2.212', device, now: at(201) })).status).toBe('signed-in');
    // A device cookie only vouches for the address it was issued for, and a made-up one for none.
    expect((await signIn(db(), { email: 'ander@nergens.example', password: 'x', ip: '192.0.2.213', device, now: at(202) })).status).toBe('invalid');
    expect((await signIn(db(), { email: target.email, password: target.password, ip: '192.0.2.214', device: 'a'.repeat(32), now: at(203) })).status).toBe(
      'blocked',
    );
  });

  it("gives the owner's device its own budget of 5, which spends nobody else's", async () => {
    const start = new Date('2026-04-10T10:00:00Z');
    const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);
    const owner = await createAccount(db(), { email: 'eigen-budget@partij-a.example', party: 'testpartij-a' });
    const device = await deviceOf(await signIn(db(), { email: owner.email, password: owner.password, ip: '192.0.2.220', now: at(0) }));
    for (let i = 0; i < 5; i++) {
      expect((await signIn(db(), { email: owner.email, password: `tikfout ${i}`, ip: '192.0.2.221', device, now: at(1 + i) })).status).toBe('invalid');
    }
    expect((await signIn(db(), { email: owner.email, password: owner.password, ip: '192.0.2.221', device, now: at(10) })).status).toBe('blocked');
    // Guesses without the device still have the address's shared budget, untouched.
    expect((await signIn(db(), { email: owner.email, password: 'x', ip: '192.0.2.222', now: at(11) })).status).toBe('invalid');
  });

  it('a device cookie is replaced at every sign-in: the old one vouches for nothing', async () => {
    const start = new Date('2026-04-11T10:00:00Z');
    const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);
    const owner = await createAccount(db(), { email: 'draaiend@partij-a.example', party: 'testpartij-a' });
    const first = await deviceOf(await signIn(db(), { email: owner.email, password: owner.password, ip: '192.0.2.230', now: at(0) }));
    const second = await deviceOf(await signIn(db(), { email: owner.email, password: owner.password, ip: '192.0.2.230', device: first, now: at(1) }));
    expect(second).not.toBe(first);
    for (let i = 0; i < 5; i++) await signIn(db(), { email: owner.email, password: 'x', ip: `203.0.113.${100 + i}`, now: at(2 + i) });
    expect((await signIn(db(), { email: owner.email, password: owner.password, ip: '192.0.2.231', device: first, now: at(10) })).status).toBe('blocked');
    expect((await signIn(db(), { email: owner.email, password: owner.password, ip: '192.0.2.231', device: second, now: at(11) })).status).toBe('signed-in');
  });

  it('lets a colleague on the same IP in after 30 wrong passwords from it, and keeps refusing the attacker', async () => {
    const colleague = await createAccount(db(), { email: 'collega@partij-a.example', party: 'testpartij-a' });
    const start = new Date('2026-04-03T10:00:00Z');
    const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);
    const office = '192.0.2.99';
    for (let i = 0; i < MAX_FAILURES_PER_IP; i++) {
      expect((await signIn(db(), { email: `raad${i}@nergens.example`, password: 'x', ip: office, now: at(i) })).status).toBe('invalid');
    }
    const fresh = await signIn(db(), { email: colleague.email, password: colleague.password, ip: office, now: at(40) });
    expect(fresh.status).toBe('signed-in');
    // The attacker's guesses from the office: refused, at an address he tried unchecked.
    expect(await signIn(db(), { email: 'raad0@nergens.example', password: 'y', ip: office, now: at(41) })).toEqual({ status: 'blocked' });
    expect(await checkedFailures('raad0@nergens.example')).toBe(1);
    // A new address is checked once (it could be a colleague's), and a wrong guess gets the same 429.
    expect(await signIn(db(), { email: 'raad-nieuw@nergens.example', password: 'y', ip: office, now: at(42) })).toEqual({ status: 'blocked' });
    expect(await signIn(db(), { email: 'raad-nieuw@nergens.example', password: 'z', ip: office, now: at(43) })).toEqual({ status: 'blocked' });
    expect(await checkedFailures('raad-nieuw@nergens.example')).toBe(1);
  });

  it('bounds the passwords one IP gets checked, except for people who signed in from it before', async () => {
    const regular = await createAccount(db(), { email: 'vaste-gast@partij-a.example', party: 'testpartij-a' });
    const newcomer = await createAccount(db(), { email: 'nieuwkomer@partij-a.example', party: 'testpartij-a' });
    const start = new Date('2026-04-04T10:00:00Z');
    const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);
    const office = '192.0.2.98';
    expect((await signIn(db(), { email: regular.email, password: regular.password, ip: office, now: start })).status).toBe('signed-in');
    for (let i = 0; i < MAX_CHECKS_PER_IP + 10; i++) {
      await signIn(db(), { email: `sproei${i}@nergens.example`, password: 'x', ip: office, now: at(1 + i / 10) });
    }
    const checked = await db().execute(sql`select coalesce(sum(failures), 0)::int as n from login_attempt_counts where ip = ${office}`);
    expect(rowsOf<{ n: number }>(checked)[0]!.n).toBe(MAX_CHECKS_PER_IP);
    expect((await signIn(db(), { email: newcomer.email, password: newcomer.password, ip: office, now: at(30) })).status).toBe('blocked');
    expect((await signIn(db(), { email: regular.email, password: regular.password, ip: office, now: at(31) })).status).toBe('signed-in');
    // From elsewhere the newcomer is not affected.
    expect((await signIn(db(), { email: newcomer.email, password: newcomer.password, ip: '192.0.2.97', now: at(32) })).status).toBe('signed-in');
  });

  it('checks no more than 5 of 20 simultaneous guesses from one IP at one address', async () => {
    const now = new Date('2026-04-05T10:00:00Z');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => signIn(db(), { email: 'parallel@nergens.example', password: `gok ${i}`, ip: '192.0.2.101', now })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 'invalid')).toHaveLength(5);
    expect(statuses.filter((s) => s === 'blocked')).toHaveLength(15);
    expect(await checkedFailures('parallel@nergens.example')).toBe(5);
  });

  it('answers all but 5 of 20 simultaneous wrong guesses from 20 IPs with the same 429', async () => {
    const now = new Date('2026-04-05T11:00:00Z');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => signIn(db(), { email: 'verspreid@nergens.example', password: `gok ${i}`, ip: `192.0.2.${100 + i}`, now })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 'invalid')).toHaveLength(5);
    expect(statuses.filter((s) => s === 'blocked')).toHaveLength(15);
  });

  it('treats an unknown address exactly like a known one, limit included', async () => {
    const start = new Date('2026-04-02T10:00:00Z');
    for (let i = 0; i < 5; i++) {
      expect(await signIn(db(), { email: 'niemand@nergens.example', password: 'x', ip: '192.0.2.50', now: new Date(start.getTime() + i * 1000) })).toEqual({
        status: 'invalid',
      });
    }
    expect(await signIn(db(), { email: 'niemand@nergens.example', password: 'x', ip: '192.0.2.50', now: new Date(start.getTime() + 10_000) })).toEqual({
      status: 'blocked',
    });
    expect(await signIn(db(), { email: 'niemand@nergens.example', password: 'x', ip: '192.0.2.51', now: new Date(start.getTime() + 11_000) })).toEqual({
      status: 'blocked',
    });
  });

  it('forgets failures after 15 minutes', async () => {
    const start = new Date('2026-04-06T10:00:00Z');
    for (let i = 0; i < 5; i++) await signIn(db(), { email: 'vergeten@nergens.example', password: 'x', ip: '192.0.2.52', now: start });
    expect(
      (await signIn(db(), { email: 'vergeten@nergens.example', password: 'x', ip: '192.0.2.52', now: new Date(start.getTime() + 14 * MINUTE) })).status,
    ).toBe('blocked');
    expect(
      (await signIn(db(), { email: 'vergeten@nergens.example', password: 'x', ip: '192.0.2.52', now: new Date(start.getTime() + 16 * MINUTE) })).status,
    ).toBe('invalid');
  });

  it('adds a bounded number of audit rows for 200 refused sign-ins', async () => {
    const before = await signInAuditRows();
    const start = new Date('2026-04-07T10:00:00Z');
    for (let i = 0; i < 200; i++) {
      await signIn(db(), { email: account.email, password: `fout ${i}`, ip: '192.0.2.53', now: new Date(start.getTime() + i * 10) });
    }
    // One row for the first wrong password, one for the first refusal.
    expect((await signInAuditRows()) - before).toBeLessThanOrEqual(2);
    const rows = await db().execute(sql`select count(*)::int as n from login_attempt_counts where ip = '192.0.2.53'`);
    expect(rowsOf<{ n: number }>(rows)[0]!.n).toBeLessThanOrEqual(2);

    // Rotating addresses: bounded by what one IP gets checked.
    const middle = await signInAuditRows();
    for (let i = 0; i < 200; i++) {
      await signIn(db(), { email: `draai${i}@nergens.example`, password: 'x', ip: '192.0.2.54', now: new Date(start.getTime() + i * 10) });
    }
    expect((await signInAuditRows()) - middle).toBeLessThanOrEqual(MAX_CHECKS_PER_IP + 1);
  });

  it('counts a whole IPv6 /64 as one IP: rotating addresses within it buys no more checks', async () => {
    const start = new Date('2026-04-10T10:00:00Z');
    for (let i = 0; i < MAX_CHECKS_PER_IP + 10; i++) {
      await signIn(db(), {
        email: `zes${i}@nergens.example`,
        password: 'x',
        ip: `2001:db8:6:6::${(i + 1).toString(16)}`,
        now: new Date(start.getTime() + i * 100),
      });
    }
    const checked = await db().execute(sql`select coalesce(sum(failures), 0)::int as n from login_attempt_counts where email like 'zes%'`);
    expect(rowsOf<{ n: number }>(checked)[0]!.n).toBe(MAX_CHECKS_PER_IP);
  });

  it('adds one audit row for the refusals at an address, however many IPs send them', async () => {
    const start = new Date('2026-04-11T10:00:00Z');
    const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);
    for (let i = 0; i < 5; i++) await signIn(db(), { email: 'drukte@nergens.example', password: 'x', ip: `192.0.2.${60 + i}`, now: at(i) });
    const before = await signInAuditRows();
    for (let i = 0; i < 40; i++) {
      expect((await signIn(db(), { email: 'drukte@nergens.example', password: 'x', ip: `198.18.0.${i + 1}`, now: at(10 + i) })).status).toBe('blocked');
    }
    expect((await signInAuditRows()) - before).toBe(1);
  });

  it('remembers a guess for 15 whole minutes, whatever second of its minute it came in', async () => {
    const start = new Date('2026-04-12T10:00:59Z');
    for (let i = 0; i < 5; i++) await signIn(db(), { email: 'randje@nergens.example', password: 'x', ip: '192.0.2.70', now: start });
    const fourteenMinutesOneSecondLater = new Date('2026-04-12T10:15:00Z');
    expect((await signIn(db(), { email: 'randje@nergens.example', password: 'x', ip: '192.0.2.71', now: fourteenMinutesOneSecondLater })).status).toBe(
      'blocked',
    );
  });

  it('clears old counts while only wrong guesses come in', async () => {
    const start = new Date('2026-04-13T10:00:00Z');
    await signIn(db(), { email: 'oud@nergens.example', password: 'x', ip: '192.0.2.80', now: start });
    await signIn(db(), { email: 'later@nergens.example', password: 'x', ip: '192.0.2.81', now: new Date(start.getTime() + 60 * MINUTE) });
    const rows = await db().execute(sql`select count(*)::int as n from login_attempt_counts where email = 'oud@nergens.example'`);
    expect(rowsOf<{ n: number }>(rows)[0]!.n).toBe(0);
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
    expect((await verifySecondFactor(db(), { session: first.session, user: first.user, code, ip: '192.0.2.70', now })).status).toBe('verified');

    // The same code again (a replay, in a second session) is refused.
    const second = await signIn(db(), { email: admin.email, password: admin.password, ip: '192.0.2.70', now });
    if (second.status !== 'signed-in') throw new Error(second.status);
    const user = (await findUserById(db(), admin.user.id))!;
    expect(user.totpLastStep).toBe(totpStep(now));
    expect((await verifySecondFactor(db(), { session: second.session, user, code, ip: '192.0.2.70', now: new Date(now.getTime() + 500) })).status).toBe(
      'invalid',
    );

    const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);
    for (let i = 1; i <= 4; i++) {
      expect((await verifySecondFactor(db(), { session: second.session, user, code: '000000', ip: '192.0.2.70', now: later(i) })).status).toBe('invalid');
    }
    // Five failures (the replay and four wrong codes): the next try is not even checked.
    const right = currentTotpCode(admin.totpKey!, later(30));
    expect((await verifySecondFactor(db(), { session: second.session, user, code: right, ip: '192.0.2.70', now: later(30) })).status).toBe('blocked');
  });

  it('trusts a device for the code only after a right code: the password alone buys no extra guesses', async () => {
    const admin = await createAccount(db(), { email: 'code-apparaat@campagne.example', totp: true });
    const start = new Date(); // codes are checked against the enrolment, which is now
    const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);
    const ownerStep = await signIn(db(), { email: admin.email, password: admin.password, ip: '192.0.2.240', now: at(0) });
    if (ownerStep.status !== 'signed-in') throw new Error(ownerStep.status);
    const code = (when: Date) => currentTotpCode(admin.totpKey!, when);
    expect(
      (
        await verifySecondFactor(db(), {
          session: ownerStep.session,
          user: ownerStep.user,
          code: code(at(0)),
          ip: '192.0.2.240',
          device: ownerStep.device.token,
          now: at(0),
        })
      ).status,
    ).toBe('verified');

    // Someone with the password, from many IPs and each time with a fresh device cookie.
    let user = (await findUserById(db(), admin.user.id))!;
    for (let i = 0; i < 10; i++) {
      const step = await signIn(db(), { email: admin.email, password: admin.password, ip: `203.0.113.${150 + i}`, now: at(60 + i) });
      if (step.status !== 'signed-in') throw new Error(step.status);
      await verifySecondFactor(db(), { session: step.session, user, code: '000000', ip: `203.0.113.${150 + i}`, device: step.device.token, now: at(60 + i) });
    }
    const checked = await db().execute(
      sql`select coalesce(sum(failures), 0)::int as n from login_attempt_counts where kind = 'totp' and email = ${admin.email}`,
    );
    expect(rowsOf<{ n: number }>(checked)[0]!.n).toBe(5);

    // The owner's device, from a new network, still gets its code checked.
    const again = await signIn(db(), { email: admin.email, password: admin.password, ip: '192.0.2.241', device: ownerStep.device.token, now: at(120) });
    if (again.status !== 'signed-in') throw new Error(again.status);
    user = (await findUserById(db(), admin.user.id))!;
    expect(
      (await verifySecondFactor(db(), { session: again.session, user, code: code(at(120)), ip: '192.0.2.241', device: again.device.token, now: at(120) }))
        .status,
    ).toBe('verified');
  });

  it.runIf(engine === 'postgres')('holds across instances: two connection pools racing check no more than 5 guesses', async () => {
    const instances = await Promise.all([openDatabase(test.target), openDatabase(test.target)]);
    try {
      const now = new Date('2026-04-08T10:00:00Z');
      const guess = (instance: Db, i: number) => signIn(instance, { email: 'twee@instanties.example', password: `gok ${i}`, ip: '192.0.2.80', now });
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => guess(instances[i % 2]!.db, i)));
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 'invalid')).toHaveLength(5);
      expect(statuses.filter((s) => s === 'blocked')).toHaveLength(15);
      expect(await checkedFailures('twee@instanties.example')).toBe(5);
    } finally {
      await Promise.all(instances.map((instance) => instance.close()));
    }
  });
});
