/**
 * Accounts and pledging over HTTP, as a browser without JavaScript does it: the session
 * cookie, signing out, the second step, a save that lost a race, the terminology warning, the
 * public history, the audit log, moderation and retiring a party.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTotpCode } from '../../src/auth/totp.ts';
import { eq } from 'drizzle-orm';
import { DEVICE_COOKIE, DEVICE_LIFETIME_MS } from '../../src/auth/devices.ts';
import { signIn } from '../../src/auth/login.ts';
import { createSession, SESSION_COOKIE, SESSION_MAX_AGE_MS, validateSessionToken } from '../../src/credentials/sessions.ts';
import { loginKnownClients, parties, pledgeEvents, pledges, users } from '../../src/db/schema.ts';
import { setPledgingOverride } from '../../src/domain/pledging-window.ts';
import { SYSTEM_ACTOR } from '../../src/domain/actors.ts';
import { savePledge } from '../../src/domain/pledges.ts';
import { createAdminSetupLink } from '../../src/domain/admin-setup-links.ts';
import { createInvite } from '../../src/domain/invites.ts';
import { createPasswordResetLink } from '../../src/domain/password-resets.ts';
import type { Actor } from '../../src/domain/actors.ts';
import { actorFor } from '../../src/domain/users.ts';
import { importInitialParties } from '../../src/domain/parties.ts';
import { readGoals } from '../../src/content-files.ts';
import { createAccount, signInOverHttp, type TestAccount } from '../helpers/accounts.ts';
import { ENGINES } from '../helpers/engines.ts';
import { FormClient } from '../helpers/form-client.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';
import { TEST_PARTIES, TEST_CAMPAIGN_ID, addTestParties } from '../fixtures/board.ts';

const goals = await readGoals('nl');

/** One goal of the representative's form for all goals (the other goals left as they are). */
function pledgeFields(goal: string, baseVersion: number, statement: string, stance = 'committed') {
  const values = { baseVersion: String(baseVersion), stance, statement, evidenceUrl: '', evidencePage: '' };
  return { party: 'testpartij-a', ...Object.fromEntries(Object.entries(values).map(([field, value]) => [`${goal}.${field}`, value])) };
}

describe.each(ENGINES)('accounts and pledging over HTTP, on %s', (engine) => {
  let site: TestSite;
  let repOne: TestAccount;
  let repTwo: TestAccount;
  let admin: TestAccount;
  let adminClient: FormClient;

  beforeAll(async () => {
    site = await startTestSite(engine);
    await importInitialParties(site.db, TEST_CAMPAIGN_ID, []);
    await addTestParties(site.db, TEST_PARTIES);
    repOne = await createAccount(site.db, { email: 'een@partij-a.example', party: 'testpartij-a', name: 'Eva Een' });
    repTwo = await createAccount(site.db, { email: 'twee@partij-a.example', party: 'testpartij-a', name: 'Tom Twee' });
    admin = await createAccount(site.db, { email: 'beheer@campagne.example', totp: true, name: 'Bea Bakker' });
  });
  afterAll(() => site?.close());

  it('sets the session cookie HttpOnly, SameSite=Lax, Path=/, and not Secure outside production', async () => {
    const response = await new FormClient(site.url).submit('/inloggen', 'signIn', { email: repOne.email, password: repOne.password });
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//i);
    expect(cookie).not.toMatch(/Secure/i);
    expect(cookie).toMatch(/Expires=/i);
  });

  it('a sign-in sets a 180-day device cookie, and with it the owner gets in while guesses from elsewhere are refused', async () => {
    const owner = await createAccount(site.db, { email: 'apparaat@partij-a.example', party: 'testpartij-a', name: 'Ada Apparaat' });
    const client = new FormClient(site.url);
    const first = await client.submit('/inloggen', 'signIn', { email: owner.email, password: owner.password });
    expect(first.status).toBe(303);
    const cookie = first.headers.getSetCookie().find((c) => c.startsWith(`${DEVICE_COOKIE}=`))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//i);
    expect(cookie).not.toMatch(/Secure/i);
    const expires = new Date(/Expires=([^;]+)/i.exec(cookie)![1]!).getTime();
    expect(expires).toBeGreaterThan(Date.now() + DEVICE_LIFETIME_MS - 24 * 3600 * 1000);
    expect(expires).toBeLessThanOrEqual(Date.now() + DEVICE_LIFETIME_MS);
    const device = client.cookies.get(DEVICE_COOKIE)!;
    expect(device).toMatch(/^[a-z2-7]{32}$/);
    await client.submit('/uitloggen', 'signOut', {});
    expect(client.cookies.get(DEVICE_COOKIE), 'signing out keeps the device cookie').toBe(device);

    // The test's requests all come from one IP: forget it, so only the device cookie vouches.
    await site.db.delete(loginKnownClients).where(eq(loginKnownClients.email, owner.email));
    for (let i = 0; i < 5; i++) await signIn(site.db, { email: owner.email, password: `gok ${i}`, ip: `203.0.113.${i}` });
    const stranger = await new FormClient(site.url).submit('/inloggen', 'signIn', { email: owner.email, password: owner.password });
    expect(stranger.status).toBe(429);
    const again = await client.submit('/inloggen', 'signIn', { email: owner.email, password: owner.password });
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe('/mijn-partij');
    expect(client.cookies.get(DEVICE_COOKIE), 'a new device cookie at every sign-in').not.toBe(device);
  });

  it('sends no cookie to anonymous visitors of public pages', async () => {
    for (const path of ['/', `/doelen/${goals[0]!.slug}`, '/partijen/testpartij-a', '/api/v1/scoreboard.json', '/inloggen']) {
      const response = await fetch(new URL(path, site.url));
      expect(response.headers.getSetCookie(), path).toEqual([]);
    }
  });

  it('signing out ends the session: the old cookie opens nothing', async () => {
    const client = new FormClient(site.url);
    await signInOverHttp(client, repOne);
    const token = client.cookies.get(SESSION_COOKIE)!;
    expect((await client.get('/mijn-partij')).status).toBe(200);
    const out = await client.submit('/uitloggen', 'signOut', {});
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/inloggen?uitgelogd=1');
    const stale = new FormClient(site.url);
    stale.cookies.set(SESSION_COOKIE, token);
    const page = await stale.get('/mijn-partij');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toMatch(/^\/inloggen\?terug=/);
  });

  it('an admin must pass the second step before any admin page, and a wrong code is refused', async () => {
    const client = new FormClient(site.url);
    const signedIn = await client.submit('/inloggen', 'signIn', { email: admin.email, password: admin.password });
    expect(signedIn.headers.get('location')).toBe('/inloggen/code');
    const page = await client.get('/beheer');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/inloggen/code');
    const wrong = await client.submit('/inloggen/code', 'verifySecondFactor', { code: '000000' });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('Deze code klopt niet');
    const right = await client.submit('/inloggen/code', 'verifySecondFactor', { code: currentTotpCode(admin.totpKey!, new Date()) });
    expect(right.status).toBe(303);
    expect((await client.get('/beheer')).status).toBe(200);
  });

  it('the second step gives the session a new cookie: the one from the password step opens nothing', async () => {
    const second = await createAccount(site.db, { email: 'tweede-stap@campagne.example', totp: true, name: 'Ties Tweede' });
    const client = new FormClient(site.url);
    await client.submit('/inloggen', 'signIn', { email: second.email, password: second.password });
    const passwordStepToken = client.cookies.get(SESSION_COOKIE)!;
    const right = await client.submit('/inloggen/code', 'verifySecondFactor', { code: currentTotpCode(second.totpKey!, new Date()) });
    expect(right.status).toBe(303);
    expect(right.headers.getSetCookie().some((c) => c.startsWith(`${SESSION_COOKIE}=`))).toBe(true);
    expect(client.cookies.get(SESSION_COOKIE)).not.toBe(passwordStepToken);
    expect((await client.get('/beheer')).status).toBe(200);
    const stale = new FormClient(site.url);
    stale.cookies.set(SESSION_COOKIE, passwordStepToken);
    const page = await stale.get('/beheer');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toMatch(/^\/inloggen\?terug=/);
  });

  it('a new admin sets up TOTP first: the code proves the key before it is stored', async () => {
    const fresh = await createAccount(site.db, { email: 'nieuw@campagne.example' });
    const client = new FormClient(site.url);
    await client.submit('/inloggen', 'signIn', { email: fresh.email, password: fresh.password });
    expect((await client.get('/beheer')).headers.get('location')).toBe('/account/tweestapsverificatie');
    const setup = await (await client.get('/account/tweestapsverificatie')).text();
    const key = /name="key" value="([^"]+)"/.exec(setup)![1]!;
    expect(setup).toContain('<svg');
    const wrong = await client.submit('/account/tweestapsverificatie', 'enrolSecondFactor', { key, code: '000000', password: fresh.password });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain(`value="${key}"`); // same key, scan not lost
    const right = await client.submit('/account/tweestapsverificatie', 'enrolSecondFactor', {
      key,
      code: currentTotpCode(key, new Date()),
      password: fresh.password,
    });
    // The answer shows the new recovery codes, once (tests/http/recovery-codes.test.ts).
    expect(right.status).toBe(200);
    expect(await right.text()).toContain('data-recovery-codes');
    expect((await client.get('/beheer')).status).toBe(200);
  });

  it('a representative may set up TOTP too, and then signs in with a code', async () => {
    const rep = await createAccount(site.db, { email: 'drie@partij-a.example', party: 'testpartij-a', name: 'Dirk Drie' });
    const client = new FormClient(site.url);
    const signedIn = await client.submit('/inloggen', 'signIn', { email: rep.email, password: rep.password });
    expect(signedIn.headers.get('location')).toBe('/mijn-partij'); // no code owed yet
    const setup = await (await client.get('/account/tweestapsverificatie')).text();
    const key = /name="key" value="([^"]+)"/.exec(setup)![1]!;
    const enrolled = await client.submit('/account/tweestapsverificatie', 'enrolSecondFactor', {
      key,
      code: currentTotpCode(key, new Date()),
      password: rep.password,
    });
    expect(enrolled.status).toBe(200);
    const [stored] = await site.db.select().from(users).where(eq(users.email, rep.email));
    expect(stored!.totpKey).toBe(key);
    const later = new FormClient(site.url);
    const again = await later.submit('/inloggen', 'signIn', { email: rep.email, password: rep.password });
    expect(again.headers.get('location')).toBe('/inloggen/code');
    expect((await later.get('/mijn-partij')).headers.get('location')).toBe('/inloggen/code');
  });

  it('a first key needs the password typed again: a session alone cannot enrol one', async () => {
    const rep = await createAccount(site.db, { email: 'vier@partij-a.example', party: 'testpartij-a', name: 'Vera Vier' });
    const client = new FormClient(site.url);
    await signInOverHttp(client, rep);
    const setup = await (await client.get('/account/tweestapsverificatie')).text();
    expect(setup).toContain('name="password"');
    const key = /name="key" value="([^"]+)"/.exec(setup)![1]!;
    const code = () => currentTotpCode(key, new Date());
    const storedKey = async () => (await site.db.select().from(users).where(eq(users.id, rep.user.id)))[0]!.totpKey;
    expect((await client.submit('/account/tweestapsverificatie', 'enrolSecondFactor', { key, code: code() })).status).toBe(400);
    // A bare 'Vul dit veld in.' at the top would not say which field: the summary names it.
    const empty = await (await client.submit('/account/tweestapsverificatie', 'enrolSecondFactor', { key, code: '' })).text();
    expect(empty).toContain('<a href="#field-code">Code: Vul dit veld in.</a>');
    // Every empty field at once, not one round per field.
    expect(empty).toContain('<a href="#field-password">');
    const wrong = await client.submit('/account/tweestapsverificatie', 'enrolSecondFactor', { key, code: code(), password: 'niet het wachtwoord van Vera' });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('Je wachtwoord klopt niet');
    expect(await storedKey()).toBeNull();
    expect((await client.submit('/account/tweestapsverificatie', 'enrolSecondFactor', { key, code: code(), password: rep.password })).status).toBe(200);
    expect(await storedKey()).toBe(key);
  });

  it('replacing a key needs a code from the current one; the password alone is not enough', async () => {
    const rep = await createAccount(site.db, { email: 'vijf@partij-a.example', party: 'testpartij-a', name: 'Vince Vijf', totp: true });
    // A session on the device that was lost: replacing the key must end it.
    const lostDevice = await createSession(site.db, rep.user.id, { twoFactorVerified: true });
    const client = new FormClient(site.url);
    await signInOverHttp(client, rep);
    const setup = await (await client.get('/account/tweestapsverificatie')).text();
    expect(setup).toContain('name="currentCode"');
    // Two codes from two apps on one form: each label says which app it comes from.
    expect(setup).toContain('<label for="field-code">Code uit de nieuwe app</label>');
    expect(setup).toContain('<label for="field-currentCode">Code uit je huidige app</label>');
    const key = /name="key" value="([^"]+)"/.exec(setup)![1]!;
    const newCode = () => currentTotpCode(key, new Date());
    const storedKey = async () => (await site.db.select().from(users).where(eq(users.id, rep.user.id)))[0]!.totpKey;
    const noCode = await client.submit('/account/tweestapsverificatie', 'enrolSecondFactor', { key, code: newCode(), password: rep.password });
    expect(noCode.status).toBe(400);
    expect((await client.submit('/account/tweestapsverificatie', 'enrolSecondFactor', { key, code: newCode(), currentCode: '000000' })).status).toBe(400);
    expect(await storedKey()).toBe(rep.totpKey);
    // The sign-in used the current step's code; the app's next one is accepted.
    const currentCode = currentTotpCode(rep.totpKey!, new Date(Date.now() + 30_000));
    expect((await client.submit('/account/tweestapsverificatie', 'enrolSecondFactor', { key, code: newCode(), currentCode })).status).toBe(200);
    expect(await storedKey()).toBe(key);
    expect(await validateSessionToken(site.db, lostDevice.token)).toBeNull();
    expect((await client.get('/mijn-partij')).status).toBe(200);
  });

  it("an admin's reset link can also clear the second factor, when it is used; audited", async () => {
    const rep = await createAccount(site.db, { email: 'zes@partij-a.example', party: 'testpartij-a', name: 'Zara Zes', totp: true });
    const admin = new FormClient(site.url);
    await signInOverHttp(admin, await createAccount(site.db, { email: 'herstel@campagne.example', totp: true, name: 'Hans Herstel' }));
    const form = await (await admin.get('/beheer/accounts')).text();
    expect(form).toContain('name="clearSecondFactor"');
    // The choice has a hint that says what it does, tied to each checkbox for screen readers.
    const hintId = /name="clearSecondFactor"[^>]*aria-describedby="([^"]+)"/.exec(form)?.[1];
    expect(form).toContain(`id="${hintId}"`);
    expect(form).toMatch(/alleen aan als iemand de app of telefoon met de codes kwijt is/);
    const made = await admin.submit('/beheer/accounts', 'createResetLink', { userId: String(rep.user.id), clearSecondFactor: 'true' });
    const madePage = await made.text();
    // The confirmation says for whom, and what using the link will do; so does the open-links table.
    expect(madePage).toContain('Herstellink gemaakt voor zes@partij-a.example.');
    expect(madePage).toContain('Met deze link wordt ook de tweestapsverificatie gewist');
    const openRow = madePage
      .slice(madePage.indexOf('data-open-links'))
      .split('<tr')
      .find((row) => row.includes('zes@partij-a.example'))!;
    expect(openRow).toContain('Wachtwoord herstellen en tweestapsverificatie wissen');
    const token = /\/wachtwoord-herstellen\/([a-z2-7]{32})/.exec(madePage)![1]!;
    const reset = await new FormClient(site.url).submit(`/wachtwoord-herstellen/${token}`, 'resetPassword', {
      token,
      password: 'een nieuw en lang wachtwoord',
    });
    expect(reset.status).toBe(303);
    const [after] = await site.db.select().from(users).where(eq(users.id, rep.user.id));
    expect(after!.totpKey).toBeNull();
    expect(await (await admin.get('/beheer/audit?actie=totp.cleared')).text()).toContain('data-action="totp.cleared"');
    // Without the choice, a reset leaves the key alone.
    const other = await createAccount(site.db, { email: 'zeven@partij-a.example', party: 'testpartij-a', name: 'Zeno Zeven', totp: true });
    const plain = await admin.submit('/beheer/accounts', 'createResetLink', { userId: String(other.user.id) });
    const plainPage = await plain.text();
    expect(plainPage).toContain('Herstellink gemaakt voor zeven@partij-a.example.');
    expect(plainPage).not.toContain('Met deze link wordt ook de tweestapsverificatie gewist');
    const plainToken = /\/wachtwoord-herstellen\/([a-z2-7]{32})/.exec(plainPage)![1]!;
    await new FormClient(site.url).submit(`/wachtwoord-herstellen/${plainToken}`, 'resetPassword', {
      token: plainToken,
      password: 'een nieuw en lang wachtwoord',
    });
    expect((await site.db.select().from(users).where(eq(users.id, other.user.id)))[0]!.totpKey).toBe(other.totpKey);
  });

  it('renews a session used in the second half of its idle lifetime: a new cookie, a later expiry', async () => {
    const day = 24 * 3600 * 1000;
    const tenDaysAgo = new Date(Date.now() - 10 * day);
    const { token, session } = await createSession(site.db, repTwo.user.id, { now: tenDaysAgo });
    const client = new FormClient(site.url);
    client.cookies.set(SESSION_COOKIE, token);
    const response = await client.get('/mijn-partij');
    expect(response.status).toBe(200);
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=${token}`));
    expect(cookie, 'the same token, sent again with the new expiry').toBeDefined();
    const expires = new Date(/Expires=([^;]+)/i.exec(cookie!)![1]!);
    expect(expires.getTime()).toBeGreaterThan(session.expiresAt.getTime() + 9 * day);
    // Never past the absolute lifetime, counted from the session's creation.
    expect(expires.getTime()).toBeLessThanOrEqual(tenDaysAgo.getTime() + SESSION_MAX_AGE_MS);
    // A session in its first half is left alone: no cookie on every request.
    const fresh = new FormClient(site.url);
    fresh.cookies.set(SESSION_COOKIE, (await createSession(site.db, repTwo.user.id)).token);
    expect((await fresh.get('/mijn-partij')).headers.getSetCookie()).toEqual([]);
  });

  it('after pledging closes, a save is refused with a clear message until an admin reopens it', async () => {
    const client = new FormClient(site.url);
    await signInOverHttp(client, repTwo);
    await setPledgingOverride(site.db, TEST_CAMPAIGN_ID, 'closed', SYSTEM_ACTOR);
    await site.app.boardVersion.refresh();
    try {
      const page = await (await client.get('/mijn-partij')).text();
      expect(page).toContain('Toezeggen is gesloten door het campagneteam. Je standpunten zijn alleen nog te lezen.');
      const refused = await client.submit('/mijn-partij', 'savePledges', pledgeFields(goals[3]!.slug, 0, 'Na sluiting.'));
      expect(refused.status).toBe(403);
      expect(await refused.text()).toContain('Toezeggen is gesloten: standpunten zijn niet meer te wijzigen.');
      expect(await site.db.select().from(pledges).where(eq(pledges.statement, 'Na sluiting.'))).toEqual([]);
    } finally {
      await setPledgingOverride(site.db, TEST_CAMPAIGN_ID, 'open', SYSTEM_ACTOR);
      await site.app.boardVersion.refresh();
    }
    const reopened = await client.submit('/mijn-partij', 'savePledges', pledgeFields(goals[3]!.slug, 0, 'Na heropening.'));
    expect(reopened.status).toBe(303);
    await setPledgingOverride(site.db, TEST_CAMPAIGN_ID, null, SYSTEM_ACTOR);
    await site.app.boardVersion.refresh();
  });

  it('a save that lost a race is refused with the other version shown, and the typed text kept', async () => {
    const goal = goals[0]!.slug;
    const one = new FormClient(site.url);
    const two = new FormClient(site.url);
    await signInOverHttp(one, repOne);
    await signInOverHttp(two, repTwo);
    // Both open the page at version 0; Tom saves first.
    expect((await two.submit('/mijn-partij', 'savePledges', pledgeFields(goal, 0, 'De tekst van Tom.', 'partial'))).status).toBe(303);
    const late = await one.submit('/mijn-partij', 'savePledges', pledgeFields(goal, 0, 'De tekst van Eva.'));
    expect(late.status).toBe(409);
    const page = await late.text();
    expect(page).toContain('Iemand anders van je partij heeft deze doelstelling opgeslagen nadat je de pagina opende.');
    expect(page).toContain('De tekst van Tom.');
    expect(page).toContain('Tom Twee');
    expect(page).toContain('De tekst van Eva.</textarea>');
    // The form now carries the current version: saving again replaces Tom's version on purpose.
    expect(page).toContain(`name="${goal}.baseVersion" value="1"`);
    expect((await one.submit('/mijn-partij', 'savePledges', pledgeFields(goal, 1, 'De tekst van Eva.'))).status).toBe(303);
  });

  it('warns about "kinderporno" in a statement but saves it as written', async () => {
    const client = new FormClient(site.url);
    await signInOverHttp(client, repOne);
    const goal = goals[1]!.slug;
    const saved = await client.submit('/mijn-partij', 'savePledges', pledgeFields(goal, 0, 'Wij pakken kinderporno aan.'));
    expect(saved.status).toBe(303);
    const page = await (await client.get(saved.headers.get('location')!)).text();
    expect(page).toContain('Opgeslagen. Je wijzigingen staan nu op het scorebord.');
    expect(page).toContain('Wij pakken kinderporno aan.</textarea>');
    // The warning from the reviewed list (content/terminology.yaml), shown without JavaScript.
    expect(page).toContain('Vermijd ‘kinderporno’. Schrijf liever: seksueel kindermisbruikmateriaal (CSAM).');
  });

  it("shows the public history of a party's pledges, with who and when", async () => {
    const page = await (await fetch(new URL('/partijen/testpartij-a', site.url))).text();
    expect(page).toContain('Geschiedenis');
    expect(page).toContain('door Eva Een');
    expect(page).toContain('door Tom Twee');
    expect(page).toContain('De tekst van Tom.');
    expect(page.indexOf('door Eva Een')).toBeLessThan(page.lastIndexOf('door Tom Twee')); // newest first
  });

  it('every new-password field says up front what a good password is, in a hint under its label', async () => {
    const invite = await createInvite(
      site.db,
      { campaignId: TEST_CAMPAIGN_ID, partySlug: 'testpartij-c', email: 'hint@partij-c.example' },
      { actor: SYSTEM_ACTOR },
    );
    const reset = await createPasswordResetLink(site.db, repTwo.user.id, { actor: SYSTEM_ACTOR });
    if (invite.status !== 'created' || reset.status !== 'created') throw new Error('links');
    const account = new FormClient(site.url);
    await signInOverHttp(account, repTwo);
    const pages = {
      invitation: await (await fetch(new URL(`/uitnodiging/${invite.token}`, site.url))).text(),
      reset: await (await fetch(new URL(`/wachtwoord-herstellen/${reset.token}`, site.url))).text(),
      account: await (await account.get('/account')).text(),
      accountEn: await (await account.get('/en/account')).text(),
    };
    const hint = /<p id="(field-(?:password|newPassword)-hint)" class="field__hint">([^<]+)<\/p>/;
    for (const [name, html] of Object.entries(pages)) {
      const [, hintId, text] = hint.exec(html) ?? [];
      expect(text, name).toMatch(
        name === 'accountEn'
          ? /^At least 10 characters\. A phrase of four or more ordinary words/
          : /^Minstens 10 tekens\. Een zin van vier of meer gewone woorden/,
      );
      expect(html, name).toMatch(new RegExp(`aria-describedby="${hintId}"`));
    }
  });

  it('a representative cannot pose as the campaign: names with reserved words are refused, and the site marks corrections itself', async () => {
    const invite = await createInvite(
      site.db,
      { campaignId: TEST_CAMPAIGN_ID, partySlug: 'testpartij-c', email: 'nep@partij-c.example' },
      { actor: SYSTEM_ACTOR },
    );
    if (invite.status !== 'created') throw new Error(invite.status);
    const refused = await new FormClient(site.url).submit(`/uitnodiging/${invite.token}`, 'acceptLink', {
      token: invite.token,
      displayName: 'Nina (campagneteam)',
      password: 'een goed en lang wachtwoord',
    });
    expect(refused.status).toBe(400);
    const refusedPage = await refused.text();
    expect(refusedPage).toContain('de site laat zelf zien wie namens de campagne spreekt');
    // The error summary at the top links to the field to fix (GOV.UK pattern).
    expect(refusedPage).toMatch(/<a href="#field-displayName">Je naam \(openbaar bij wijzigingen\): Gebruik je eigen naam/);
    expect(refusedPage).toContain('id="field-displayName"');
    expect(await site.db.select().from(users).where(eq(users.email, 'nep@partij-c.example'))).toEqual([]);

    // A name from before the rule, and a real correction by an admin, on the same pledge.
    const [partyC] = await site.db.select().from(parties).where(eq(parties.slug, 'testpartij-c'));
    const goal = goals[0]!.slug;
    const save = (actor: Actor, baseVersion: number, statement: string) =>
      savePledge(site.db, {
        partySlug: 'testpartij-c',
        goalSlug: goal,
        goalSlugs: goals.map((g) => g.slug),
        baseVersion,
        input: { stance: 'committed', statement },
        actor,
        campaignId: TEST_CAMPAIGN_ID,
        ...(actor.role === 'admin' ? { correctionReason: 'De bron noemt een andere pagina.' } : {}),
      });
    await save({ userId: null, name: 'Nina (campagneteam)', role: 'rep', partyId: partyC!.id, label: 'test' }, 0, 'Door de vertegenwoordiger.');
    await save(actorFor(admin.user), 1, 'Door de campagne gecorrigeerd.');
    const page = await (await fetch(new URL('/partijen/testpartij-c', site.url))).text();
    const items = page.split('<li class="history__item"').slice(1);
    const byRep = items.find((item) => item.includes('Door de vertegenwoordiger.'))!;
    const byAdmin = items.find((item) => item.includes('Door de campagne gecorrigeerd.'))!;
    expect(byAdmin).toContain('data-role-marker');
    expect(byRep).not.toContain('data-role-marker');
    // The marker is the site's own element: the name, however it reads, is plain text beside it.
    expect(byAdmin).toMatch(/<strong class="role-marker"[^>]*>Correctie door het campagneteam<\/strong>/);
    // The goal's card above the history says who last changed it: marked the same way.
    const card = page.split('<li class="card"').find((item) => item.includes('Door de campagne gecorrigeerd.'))!;
    expect(card).toMatch(/<strong class="role-marker"[^>]*>Correctie door het campagneteam<\/strong>/);
  });

  it('the audit log shows sign-ins (good and bad), invitations and account changes', async () => {
    await new FormClient(site.url).submit('/inloggen', 'signIn', { email: repOne.email, password: 'verkeerd wachtwoord' });
    const client = new FormClient(site.url);
    await signInOverHttp(client, { ...admin, totpKey: null });
    const code = await client.submit('/inloggen/code', 'verifySecondFactor', { code: currentTotpCode(admin.totpKey!, new Date(Date.now() + 30_000)) });
    expect(code.status).toBe(303);
    await client.submit('/beheer/uitnodigingen', 'createInvite', { party: 'testpartij-b', emails: 'audit@partij-b.example', locale: 'nl' });
    for (const action of ['login.succeeded', 'login.failed', 'login.second-factor.succeeded', 'invite.created', 'account.created', 'totp.enabled', 'logout']) {
      // Filtered by action: the log pages 50 at a time and these may be further back.
      const page = await (await client.get(`/beheer/audit?actie=${action}`)).text();
      expect(page, action).toContain(`data-action="${action}"`);
    }
    adminClient = client;
  });

  it('an admin hides a statement: public pages show the reason instead, the stance stays, admins still read the words', async () => {
    const goal = goals[2]!;
    await savePledge(site.db, {
      partySlug: 'testpartij-b',
      goalSlug: goal.slug,
      goalSlugs: goals.map((g) => g.slug),
      baseVersion: 0,
      input: { stance: 'partial', statement: 'Woorden met een telefoonnummer 06-12345678.' },
      actor: SYSTEM_ACTOR,
      campaignId: TEST_CAMPAIGN_ID,
    });
    const hidden = await adminClient.submit('/beheer/partijen/testpartij-b', 'moderateStatement', {
      party: 'testpartij-b',
      goal: goal.slug,
      hide: 'true',
      reason: 'Bevat een telefoonnummer',
    });
    expect(hidden.status).toBe(303);
    for (const path of [
      '/partijen/testpartij-b',
      `/doelen/${goal.slug}`,
      '/en/parties/testpartij-b',
      '/api/v1/scoreboard.json',
      '/embed/partij/testpartij-b',
    ]) {
      const page = await (await fetch(new URL(path, site.url))).text();
      expect(page, path).not.toContain('06-12345678');
      expect(page, path).toContain('Bevat een telefoonnummer');
    }
    const party = await (await fetch(new URL('/partijen/testpartij-b', site.url))).text();
    expect(party).toContain('De toelichting van de partij is verborgen door de campagne. Reden:');
    expect(party).toMatch(/stance--partial/);
    // In the history, the moderation step's marker sits on the who-line, as with a correction,
    // not at the end of the reason (where it would read as part of the reason).
    const step = party
      .split('<li class="history__item"')
      .find((item) => item.includes('Reden: Bevat een telefoonnummer') && item.includes('data-role-marker'))!;
    const reasonLine = step.slice(step.indexOf('Reden: Bevat een telefoonnummer'));
    expect(reasonLine.slice(0, reasonLine.indexOf('</p>'))).not.toContain('data-role-marker');
    expect(step).toMatch(/<p class="meta"><strong class="role-marker"[^>]*>campagneteam<\/strong> door /);
    const adminPage = await (await adminClient.get('/beheer/partijen/testpartij-b')).text();
    expect(adminPage).toContain('Woorden met een telefoonnummer 06-12345678.');
    expect(await (await adminClient.get('/beheer/audit?actie=statement.hidden')).text()).toContain('data-action="statement.hidden"');
  });

  it('the admin lists every account with its party and state; disabling one shows there and ends its sessions', async () => {
    const rowOf = (page: string, email: string) =>
      page.slice(page.lastIndexOf('<tr', page.indexOf(`>${email}</td>`)), page.indexOf('</tr>', page.indexOf(`>${email}</td>`)));
    const before = await (await adminClient.get('/beheer/accounts')).text();
    for (const person of [repOne, repTwo, admin]) expect(before, person.email).toContain(`>${person.email}</td>`);
    expect(rowOf(before, repOne.email)).toContain('Testpartij A');
    expect(rowOf(before, repOne.email)).toContain('Eva Een');
    const repClient = new FormClient(site.url);
    await signInOverHttp(repClient, repOne);
    const disabled = await adminClient.submit('/beheer/accounts', 'setUserDisabled', { userId: String(repOne.user.id), disabled: 'true', confirm: 'ja' });
    expect(disabled.status).toBe(303);
    const after = await (await adminClient.get('/beheer/accounts')).text();
    expect(rowOf(after, repOne.email)).toContain('>uitgeschakeld</td>');
    expect((await repClient.get('/mijn-partij')).status).toBe(303); // sent to sign in: the session is gone
    await adminClient.submit('/beheer/accounts', 'setUserDisabled', { userId: String(repOne.user.id), disabled: 'false' });
  });

  it('the first-start setup link is refused over HTTP once an admin exists: a clear page, nothing written', async () => {
    const printed = await createAdminSetupLink(site.db, {}, { actor: SYSTEM_ACTOR }); // as the server log shows it
    if (printed.status !== 'created') throw new Error(printed.status);
    const page = await fetch(new URL(`/uitnodiging/${printed.token}`, site.url));
    expect(page.status).toBe(410);
    expect(await page.text()).toContain('er is al een beheerder');
    const sent = await new FormClient(site.url).submit(`/uitnodiging/${printed.token}`, 'acceptLink', {
      token: printed.token,
      displayName: 'Indringer',
      password: 'een goed en lang wachtwoord',
      email: 'indringer@elders.example',
    });
    expect(sent.status).toBe(410);
    expect(await site.db.select().from(users).where(eq(users.email, 'indringer@elders.example'))).toEqual([]);
  });

  it('an admin sees open setup and reset links on the accounts page, without their token, and revokes one', async () => {
    const made = await adminClient.submit('/beheer/accounts', 'createResetLink', { userId: String(repTwo.user.id) });
    const token = /\/wachtwoord-herstellen\/([a-z2-7]{32})/.exec(await made.text())![1]!;
    const page = await (await adminClient.get('/beheer/accounts')).text();
    expect(page).not.toContain(token);
    const table = page.slice(page.indexOf('data-open-links'));
    expect(table).toContain('Wachtwoord herstellen');
    expect(table).toContain(repTwo.email);
    const linkId = /name="linkId" value="(\d+)"/.exec(table)![1]!;
    const revoked = await adminClient.submit('/beheer/accounts', 'revokeAccountLink', { linkId });
    expect(revoked.status).toBe(303);
    expect((await fetch(new URL(`/wachtwoord-herstellen/${token}`, site.url))).status).toBe(410);
    expect(await (await adminClient.get('/beheer/accounts')).text()).not.toContain(`name="linkId" value="${linkId}"`);
    expect(await (await adminClient.get('/beheer/audit?actie=account-link.revoked')).text()).toContain('data-action="account-link.revoked"');
    // Only admins may revoke.
    const rep = new FormClient(site.url);
    await signInOverHttp(rep, repOne);
    expect((await rep.submit('/beheer/accounts', 'revokeAccountLink', { linkId })).status).not.toBe(303);
  });

  it('a retired party leaves the board and the lists, while its pledges and history stay', async () => {
    const [partyB] = await site.db.select().from(parties).where(eq(parties.slug, 'testpartij-b'));
    const eventsOfB = () => site.db.select().from(pledgeEvents).where(eq(pledgeEvents.partyId, partyB!.id));
    const eventsBefore = await eventsOfB();
    expect(eventsBefore.length).toBeGreaterThan(0);
    const retired = await adminClient.submit('/beheer/partijen/testpartij-b', 'setPartyRetired', { slug: 'testpartij-b', retired: 'true', confirm: 'ja' });
    expect(retired.status).toBe(303);
    const board = await (await fetch(new URL('/', site.url))).text();
    expect(board).not.toContain('/partijen/testpartij-b');
    const json = (await (await fetch(new URL('/api/v1/scoreboard.json', site.url))).json()) as { parties: { slug: string }[] };
    expect(json.parties.map((p) => p.slug)).not.toContain('testpartij-b');
    expect(await eventsOfB()).toEqual(eventsBefore);
    const adminPage = await (await adminClient.get('/beheer/partijen/testpartij-b')).text();
    expect(adminPage).toContain('Woorden met een telefoonnummer 06-12345678.');
    expect(await (await adminClient.get('/beheer/audit?actie=party.retired')).text()).toContain('data-action="party.retired"');
  });
});

describe('in production', () => {
  let site: TestSite;
  beforeAll(async () => {
    site = await startTestSite('pglite', { NODE_ENV: 'production' });
    await importInitialParties(site.db, TEST_CAMPAIGN_ID, []);
    await addTestParties(site.db, TEST_PARTIES);
  });
  afterAll(() => site?.close());

  it('the session and device cookies are Secure', async () => {
    const rep = await createAccount(site.db, { email: 'prod@partij-a.example', party: 'testpartij-a' });
    const response = await new FormClient(site.url).submit('/inloggen', 'signIn', { email: rep.email, password: rep.password });
    expect(response.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`))).toMatch(/;\s*Secure/i);
    expect(response.headers.getSetCookie().find((c) => c.startsWith(`${DEVICE_COOKIE}=`))).toMatch(/;\s*Secure/i);
  });
});
