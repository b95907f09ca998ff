/**
 * Recovery codes over HTTP, as a browser without JavaScript uses them: shown once at enrolment,
 * a sign-in with one when the phone is lost, refused the second time, a new set, the count on
 * the account page, the audit log, the rate limit, and bad input answered with a 4xx.
 */
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTotpCode } from '../../src/auth/totp.ts';
import { campaignParties, parties, recoveryCodes } from '../../src/db/schema.ts';
import { createAccount, signInOverHttp, type TestAccount } from '../helpers/accounts.ts';
import { ENGINES } from '../helpers/engines.ts';
import { databaseFingerprint } from '../helpers/fingerprint.ts';
import { FormClient } from '../helpers/form-client.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';
import { TEST_PARTIES, addTestParties } from '../fixtures/board.ts';

const CODE = /<li><code>([0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4})<\/code><\/li>/g;
const codesIn = (html: string) => [...html.matchAll(CODE)].map((m) => m[1]!);
const textOf = (html: string) =>
  html
    .replace(/<(style|script)\b[\s\S]*?<\/\1>/g, '')
    .replace(/<[^>]*>/g, '')
    .replace(/\s+/g, ' ')
    .trim();

describe.each(ENGINES)('recovery codes over HTTP, on %s', (engine) => {
  let site: TestSite;
  let admin: TestAccount;
  let auditor: FormClient;

  beforeAll(async () => {
    site = await startTestSite(engine);
    await site.db.delete(campaignParties);
    await site.db.delete(parties);
    await addTestParties(site.db, TEST_PARTIES);
    admin = await createAccount(site.db, { email: 'nieuw@campagne.example', name: 'Nina Nieuw' });
    auditor = new FormClient(site.url);
    await signInOverHttp(auditor, await createAccount(site.db, { email: 'toezicht@campagne.example', name: 'Tom Toezicht', totp: true }));
  });
  afterAll(() => site?.close());

  /** Signs in with the password only: the code step is next. */
  const passwordStep = async (client = new FormClient(site.url)) => {
    const response = await client.submit('/inloggen', 'signIn', { email: admin.email, password: admin.password });
    expect(response.headers.get('location')).toMatch(/^\/(inloggen\/code|account\/tweestapsverificatie)/);
    return client;
  };

  let key = '';
  let shown: string[] = [];

  it('enrolment shows ten codes once, with a download and a way on; only hashes are stored', async () => {
    const client = await passwordStep();
    const setup = await (await client.get('/account/tweestapsverificatie')).text();
    key = /name="key" value="([^"]+)"/.exec(setup)![1]!;
    const enrolled = await client.submit('/account/tweestapsverificatie', 'enrolSecondFactor', {
      key,
      code: currentTotpCode(key, new Date()),
      password: admin.password,
    });
    expect(enrolled.status).toBe(200);
    const html = await enrolled.text();
    shown = codesIn(html);
    expect(shown).toHaveLength(10);
    expect(textOf(html)).toContain('Je ziet ze alleen nu');
    expect(html).toMatch(/<a href="data:text\/plain;charset=utf-8,[^"]+" download="pledgeboard-herstelcodes.txt"/);
    expect(decodeURIComponent(/href="data:text\/plain;charset=utf-8,([^"]+)"/.exec(html)![1]!)).toContain(shown[0]!);
    expect(html).toContain('href="/beheer" class="button"');
    const stored = await site.db.select().from(recoveryCodes);
    expect(stored).toHaveLength(10);
    expect(JSON.stringify(stored)).not.toContain(shown[0]!.replace(/-/g, ''));
    // Never again: the page and the account page show no codes.
    expect(codesIn(await (await client.get('/account/tweestapsverificatie')).text())).toEqual([]);
    const account = await (await client.get('/account')).text();
    expect(codesIn(account)).toEqual([]);
    expect(textOf(account)).toContain('Je hebt nog 10 ongebruikte herstelcodes.');
  });

  it('the code step offers a recovery code; one signs in, once', async () => {
    const client = await passwordStep();
    const page = await (await client.get('/inloggen/code')).text();
    expect(textOf(page)).toContain('Telefoon kwijt? Gebruik een herstelcode');
    expect(page).toContain('name="recoveryCode"');
    // As someone types it from paper: capitals and spaces.
    const typed = shown[0]!.toUpperCase().replace(/-/g, ' ');
    const signedIn = await client.submit('/inloggen/code', 'verifySecondFactor', { recoveryCode: typed });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe('/account?herstelcode-gebruikt');
    const account = textOf(await (await client.get('/account?herstelcode-gebruikt')).text());
    expect(account).toContain('Je bent ingelogd met een herstelcode');
    expect(account).toContain('Je hebt nog 9 ongebruikte herstelcodes.');
    expect((await client.get('/beheer')).status).toBe(200);

    const again = await passwordStep();
    const refused = await again.submit('/inloggen/code', 'verifySecondFactor', { recoveryCode: shown[0]! });
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(textOf(html)).toContain('Deze herstelcode klopt niet of is al gebruikt.');
    expect(html).toMatch(/<details class="recovery-signin" open/);
    expect((await again.get('/beheer')).status).toBe(303);

    const log = textOf(await (await auditor.get('/beheer/audit?actie=recovery-code.used')).text());
    expect(log).toContain('Nina Nieuw (beheerder) gebruikte een herstelcode (nog 9 over)');
    const en = textOf(await (await auditor.get('/en/admin/audit?actie=recovery-code.used')).text());
    expect(en).toContain('Nina Nieuw (admin) used a recovery code (9 left)');
  });

  it('a lost phone: a recovery code is the proof for linking a new app', async () => {
    const client = await passwordStep();
    expect((await client.submit('/inloggen/code', 'verifySecondFactor', { recoveryCode: shown[1]! })).status).toBe(303);
    const setup = await (await client.get('/account/tweestapsverificatie')).text();
    expect(textOf(setup)).toContain('Telefoon met die app kwijt? Vul dan een herstelcode in.');
    const newKey = /name="key" value="([^"]+)"/.exec(setup)![1]!;
    const replaced = await client.submit('/account/tweestapsverificatie', 'enrolSecondFactor', {
      key: newKey,
      code: currentTotpCode(newKey, new Date()),
      currentCode: shown[2]!,
    });
    expect(replaced.status).toBe(200);
    const fresh = codesIn(await replaced.text());
    expect(fresh).toHaveLength(10);
    key = newKey;
    // The old set went with the old key.
    const other = await passwordStep();
    expect((await other.submit('/inloggen/code', 'verifySecondFactor', { recoveryCode: shown[3]! })).status).toBe(400);
    shown = fresh;
  });

  it('a new set needs a code; the old set stops working; the account page warns when few are left', async () => {
    const client = await passwordStep();
    // The enrolment used this step's code: the app's next one.
    expect((await client.submit('/inloggen/code', 'verifySecondFactor', { code: currentTotpCode(key, new Date(Date.now() + 30_000)) })).status).toBe(303);
    const page = await client.get('/account/herstelcodes');
    expect(page.status).toBe(200);
    expect(textOf(await page.text())).toContain('Een nieuwe set vervangt de oude');
    const noCode = await client.submit('/account/herstelcodes', 'createRecoveryCodes', { code: '' });
    expect(noCode.status).toBe(400);
    expect(await noCode.text()).toContain('<a href="#field-code">');
    expect((await client.submit('/account/herstelcodes', 'createRecoveryCodes', { code: '000000' })).status).toBe(400);
    const made = await client.submit('/account/herstelcodes', 'createRecoveryCodes', { code: shown[0]! });
    expect(made.status).toBe(200);
    const newSet = codesIn(await made.text());
    expect(newSet).toHaveLength(10);
    expect(newSet).not.toContain(shown[1]);
    const other = await passwordStep();
    expect((await other.submit('/inloggen/code', 'verifySecondFactor', { recoveryCode: shown[1]! })).status).toBe(400);
    // Use up all but two: the account page warns.
    const user = admin.user.id;
    await site.db
      .update(recoveryCodes)
      .set({ usedAt: new Date() })
      .where(and(eq(recoveryCodes.userId, user), isNull(recoveryCodes.usedAt)));
    await site.db
      .update(recoveryCodes)
      .set({ usedAt: null })
      .where(eq(recoveryCodes.id, (await site.db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, user)))[0]!.id));
    let account = await (await client.get('/account')).text();
    expect(account).toContain('form-message--error');
    expect(textOf(account)).toContain('Je hebt nog 1 ongebruikte herstelcode. Maak een nieuwe set voordat ze op zijn.');
    await site.db.update(recoveryCodes).set({ usedAt: new Date() }).where(eq(recoveryCodes.userId, user));
    account = await (await client.get('/en/account')).text();
    expect(textOf(account)).toContain('You have no unused recovery codes.');
    expect(account).toContain('href="/en/account/recovery-codes"');
  });

  it('bad input gets a clear 4xx and changes nothing, never a 500', async () => {
    const client = await passwordStep();
    const before = await databaseFingerprint(site.db, { except: ['audit_log', 'sessions', 'login_attempt_counts', 'login_known_devices'] });
    for (const [recoveryCode, status, message] of [
      ['abcd\0efgh-jkmn', 400, ''],
      ['abcd-efgh-jkm\u0007', 400, ''],
      ['x'.repeat(41), 400, ''],
      ['abcd-efgh-jk', 400, 'Een herstelcode heeft 12 letters en cijfers'],
      ['ûûûû-ûûûû-ûûûû', 400, 'Een herstelcode heeft 12 letters en cijfers'],
    ] as const) {
      const response = await client.submit('/inloggen/code', 'verifySecondFactor', { recoveryCode });
      expect(response.status, JSON.stringify(recoveryCode)).toBe(status);
      if (message) expect(textOf(await response.text())).toContain(message);
    }
    // Both fields at once: which one counts would be a guess.
    expect((await client.submit('/inloggen/code', 'verifySecondFactor', { code: '123456', recoveryCode: shown[5]! })).status).toBe(400);
    expect(await databaseFingerprint(site.db, { except: ['audit_log', 'sessions', 'login_attempt_counts', 'login_known_devices'] })).toEqual(before);
    // A representative without a second factor has no codes to make.
    const rep = await createAccount(site.db, { email: 'zonder@partij-a.example', party: 'testpartij-a' });
    const repClient = new FormClient(site.url);
    await signInOverHttp(repClient, rep);
    expect((await repClient.submit('/account/herstelcodes', 'createRecoveryCodes', { code: '123456' })).status).toBe(409);
    expect(textOf(await (await repClient.get('/account/herstelcodes')).text())).toContain('Herstelcodes horen bij tweestapsverificatie');
  });

  it('wrong recovery codes count against the same sign-in limit as wrong app codes', async () => {
    const target = await createAccount(site.db, { email: 'gok@campagne.example', totp: true });
    const client = new FormClient(site.url);
    await client.submit('/inloggen', 'signIn', { email: target.email, password: target.password });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      statuses.push((await client.submit('/inloggen/code', 'verifySecondFactor', { recoveryCode: `abcd-efgh-jk${String(i).padStart(2, '0')}` })).status);
    }
    expect(statuses.slice(0, 4)).toEqual([400, 400, 400, 400]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    // The app's right code is refused as well now: one budget for both kinds.
    expect((await client.submit('/inloggen/code', 'verifySecondFactor', { code: currentTotpCode(target.totpKey!, new Date()) })).status).toBe(429);
  });
});
