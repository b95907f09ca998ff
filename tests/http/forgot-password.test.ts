/**
 * "Forgot your password?" over HTTP (issue 13): the sign-in page links to a page with one
 * address field; every well-formed address gets the same answer; an enabled account gets a
 * reset link by mail (delivered by a real SMTP server, or held in the outbox where no SMTP_URL
 * is set); the link sets a new password once and ends the account's other sessions; an
 * admin's second factor stays; requests are limited per address and per IP in the database;
 * bad input gets a 400 with an error summary and writes nothing.
 */
import http from 'node:http';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleResetRequest, ResetRequestQueue } from '../../src/auth/forgot-password.ts';
import { currentTotpCode } from '../../src/auth/totp.ts';
import { RESET_REQUESTS_PER_ADDRESS, RESET_REQUESTS_PER_IP } from '../../src/auth/rate-limit.ts';
import { campaignParties, accountLinks, auditLog, loginAttemptCounts, outbox, parties, users } from '../../src/db/schema.ts';
import { setUserDisabled } from '../../src/domain/users.ts';
import { SYSTEM_ACTOR } from '../../src/domain/actors.ts';
import { createAccount, signInOverHttp, type TestAccount } from '../helpers/accounts.ts';
import { ENGINES } from '../helpers/engines.ts';
import { databaseFingerprint } from '../helpers/fingerprint.ts';
import { FormClient } from '../helpers/form-client.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';
import { TEST_PARTIES, addTestParties } from '../fixtures/board.ts';

const FROM = 'campagne@board.example';
const NEW_PASSWORD = 'zeven blauwe olifanten dansen op het dak';
const textOf = (html: string) =>
  html
    .replace(/<(style|script)\b[\s\S]*?<\/\1>/g, '')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
const resetLinkIn = (text: string) => /https?:\/\/[^\s/]+(\/(?:en\/reset-password|wachtwoord-herstellen)\/[a-z2-7]{32})/.exec(text)?.[1];
const CONFIRMATION_NL = 'Als er een account met dit adres bestaat, hebben we er een link naartoe gestuurd. De link werkt één keer, 2 uur lang.';

/**
 * Asks for a reset link as a browser without JavaScript does; `ip` goes in X-Forwarded-For
 * (TRUST_PROXY=1). The lookup and the mail happen after the answer (auth/forgot-password.ts):
 * unless `settle` is false, this waits until the server has handled them too.
 */
async function ask(site: TestSite, email: string, { page = '/wachtwoord-vergeten', ip, settle = true }: { page?: string; ip?: string; settle?: boolean } = {}) {
  const body = new URLSearchParams({ email });
  const response = await fetch(new URL(`${page}?_action=requestPasswordReset`, site.url), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: site.origin, ...(ip ? { 'x-forwarded-for': ip } : {}) },
    body: body.toString(),
    redirect: 'manual',
  });
  if (settle) await site.app.resetRequests.idle();
  return response;
}

/** Sets a new password through the link's page, as the owner's browser does. */
async function redeem(site: TestSite, path: string, password = NEW_PASSWORD) {
  const token = path.split('/').at(-1)!;
  return new FormClient(site.url).submit(path, 'resetPassword', { token, password });
}

/**
 * Every table's digest but the outbox's, whose sender marks earlier mails sent at any moment,
 * and which mails the outbox holds: equal before and after means the request wrote nothing.
 */
async function writtenState(site: TestSite, except: string[] = []) {
  const mails = await site.db.select({ id: outbox.id }).from(outbox);
  return { ...(await databaseFingerprint(site.db, { except: ['outbox', ...except] })), outbox: mails.map((m) => m.id).sort((a, b) => a - b) };
}

const mailRowsTo = (site: TestSite, address: string) =>
  site.db
    .select()
    .from(outbox)
    .where(and(eq(outbox.toAddress, address), eq(outbox.kind, 'password-reset')));

describe.each(ENGINES)('forgot password with a real SMTP server, on %s', (engine) => {
  let site: TestSite;
  let smtp: TestSmtpServer;
  let rep: TestAccount;
  let admin: TestAccount;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    site = await startTestSite(engine, { SMTP_URL: smtp.url, MAIL_FROM: FROM, TRUST_PROXY: '1' });
    await site.db.delete(campaignParties);
    await site.db.delete(parties);
    await addTestParties(site.db, TEST_PARTIES);
    rep = await createAccount(site.db, { email: 'vergeetachtig@partij-a.example', party: 'testpartij-a' });
    admin = await createAccount(site.db, { email: 'beheer@campagne.example', totp: true });
  });
  afterAll(async () => {
    await site?.close();
    await smtp?.close();
  });

  it('the sign-in page links to a page with one address field, in both languages', async () => {
    const signIn = await (await fetch(new URL('/inloggen', site.url))).text();
    expect(signIn).toMatch(/<a href="\/wachtwoord-vergeten">Wachtwoord vergeten\?<\/a>/);
    const signInEn = await (await fetch(new URL('/en/sign-in', site.url))).text();
    expect(signInEn).toMatch(/<a href="\/en\/forgot-password">Forgot your password\?<\/a>/);
    for (const [path, heading] of [
      ['/wachtwoord-vergeten', 'Wachtwoord vergeten'],
      ['/en/forgot-password', 'Forgot your password'],
    ] as const) {
      const response = await fetch(new URL(path, site.url));
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toContain('no-store');
      const page = await response.text();
      expect(page).toContain(`<h1>${heading}</h1>`);
      expect(page.match(/<input /g)).toHaveLength(1);
      expect(page).toMatch(/<input id="field-email" name="email" type="email"/);
    }
  });

  it('mails a link that sets a new password once, ends the other sessions and is dead after', async () => {
    const elsewhere = new FormClient(site.url);
    await signInOverHttp(elsewhere, rep);
    expect((await elsewhere.get('/mijn-partij')).status).toBe(200);

    const response = await ask(site, ' Vergeetachtig@Partij-A.example ');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/wachtwoord-vergeten?verstuurd=1');
    const confirmation = await (await fetch(new URL(response.headers.get('location')!, site.url))).text();
    expect(textOf(confirmation)).toContain(CONFIRMATION_NL);

    const [mail] = await smtp.waitForMails(1);
    expect(mail!.envelopeTo).toEqual([rep.email]);
    expect(mail!.parsed.from?.value).toEqual([{ name: 'Houd kinderen veilig – óók online', address: FROM }]);
    expect(mail!.parsed.subject).toBe('Nieuw wachtwoord kiezen voor Houd kinderen veilig – óók online');
    const path = resetLinkIn(mail!.parsed.text ?? '')!;
    expect(path).toMatch(/^\/wachtwoord-herstellen\//);
    expect(mail!.parsed.html).toContain(path);
    expect(mail!.parsed.text).toContain('De link werkt één keer');

    const done = await redeem(site, path);
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/inloggen?hersteld=1');
    // The session from before is gone; the new password signs in.
    expect((await elsewhere.get('/mijn-partij')).status).toBe(303);
    await signInOverHttp(new FormClient(site.url), { ...rep, password: NEW_PASSWORD });

    const again = await redeem(site, path, 'nog een heel ander lang wachtwoord erbij');
    expect(again.status).toBe(410);
    expect(textOf(await again.text())).toContain('Deze link is al gebruikt.');
    expect(
      (await new FormClient(site.url).submit('/inloggen', 'signIn', { email: rep.email, password: 'nog een heel ander lang wachtwoord erbij' })).status,
    ).toBe(401);
    const [link] = await site.db
      .select()
      .from(accountLinks)
      .where(and(eq(accountLinks.userId, rep.user.id), eq(accountLinks.selfService, true)));
    expect(link!.clearsSecondFactor).toBe(false);
    expect(link!.expiresAt.getTime() - link!.createdAt.getTime()).toBe(2 * 60 * 60 * 1000);
    const audit = await site.db.select().from(auditLog).where(eq(auditLog.action, 'password.reset-requested'));
    expect(audit.map((a) => [a.subject, a.details])).toEqual([[rep.email, { mailed: true }]]);
  });

  it('answers an unknown address the same: no mail, nothing written but the limiter’s count', async () => {
    const except = ['login_attempt_counts'];
    const before = await writtenState(site, except);
    const countsBefore = await site.db.select().from(loginAttemptCounts);
    const mailsBefore = smtp.received.length;
    const response = await ask(site, 'niemand@nergens.example');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/wachtwoord-vergeten?verstuurd=1');
    expect(await writtenState(site, except)).toEqual(before);
    const counted = (await site.db.select().from(loginAttemptCounts)).filter((row) => row.email === 'niemand@nergens.example');
    expect(counted).toHaveLength(1);
    expect(counted[0]).toMatchObject({ kind: 'reset-request', failures: 1, refusals: 0 });
    expect((await site.db.select().from(loginAttemptCounts)).length).toBe(countsBefore.length + 1);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(smtp.received.length).toBe(mailsBefore);
  });

  it('takes as long for an unknown address as for a known one (at least the floor)', async () => {
    const timed = async (email: string, ip: string) => {
      const started = performance.now();
      const response = await ask(site, email, { ip });
      expect(response.status).toBe(303);
      return performance.now() - started;
    };
    expect(await timed('ook-niemand@nergens.example', '192.0.2.40')).toBeGreaterThanOrEqual(245);
    expect(await timed(admin.email, '192.0.2.40')).toBeGreaterThanOrEqual(245);
    await smtp.waitForMails(2);
  });

  it('gives a disabled account the same answer and no mail', async () => {
    const disabled = await createAccount(site.db, { email: 'uitgeschakeld@partij-b.example', party: 'testpartij-b' });
    await setUserDisabled(site.db, disabled.user.id, true, SYSTEM_ACTOR);
    const response = await ask(site, disabled.email, { ip: '192.0.2.41' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/wachtwoord-vergeten?verstuurd=1');
    expect(await mailRowsTo(site, disabled.email)).toEqual([]);
    expect(await site.db.select().from(accountLinks).where(eq(accountLinks.userId, disabled.user.id))).toEqual([]);
  });

  it('an admin’s reset keeps the second factor: the new password still needs the code', async () => {
    // The request in the timing test above mailed the admin; a new one revokes that link.
    const response = await ask(site, admin.email, { page: '/en/forgot-password', ip: '192.0.2.42' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/en/forgot-password?verstuurd=1');
    const mails = await smtp.waitForMails(3);
    const [earlier, latest] = mails.filter((m) => m.envelopeTo[0] === admin.email);
    // Asked on the English page, but the account's last mail was Dutch: its language wins.
    expect(latest!.parsed.subject).toBe('Nieuw wachtwoord kiezen voor Houd kinderen veilig – óók online');
    expect(latest!.parsed.text).toContain('Voor inloggen blijft de code uit je authenticator-app nodig.');
    const earlierPath = resetLinkIn(earlier!.parsed.text ?? '')!;
    expect((await fetch(new URL(earlierPath, site.url))).status).toBe(410);

    const path = resetLinkIn(latest!.parsed.text ?? '')!;
    expect((await redeem(site, path)).status).toBe(303);
    const [after] = await site.db.select().from(users).where(eq(users.id, admin.user.id));
    expect(after!.totpKey).toBe(admin.totpKey);
    const client = new FormClient(site.url);
    const signIn = await client.submit('/inloggen', 'signIn', { email: admin.email, password: NEW_PASSWORD });
    expect(signIn.headers.get('location')).toBe('/inloggen/code');
    expect((await client.get('/beheer')).status).toBe(303);
    const code = await client.submit('/inloggen/code', 'verifySecondFactor', { code: currentTotpCode(admin.totpKey!, new Date()) });
    expect(code.status).toBe(303);
    expect((await client.get('/beheer')).status).toBe(200);
  });

  it('answers before it looks the address up: a known and an unknown address do the same work until the answer is out', async () => {
    // A queue that holds its work until the test lets go: what the database holds once both
    // answers are in is what the requests themselves did before answering.
    const queue = site.app.resetRequests;
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    // Its timer waits a minute: the test sees that it is armed, then lets go (idle).
    const held = new ResetRequestQueue(site.db, { delayMs: () => 60_000, work: (db, request) => gate.then(() => handleResetRequest(db, request)) });
    site.app.resetRequests = held;
    try {
      const known = await createAccount(site.db, { email: 'bekend@partij-b.example', party: 'testpartij-b' });
      const before = await writtenState(site, ['login_attempt_counts']);
      const answers = [];
      for (const [email, ip] of [
        [known.email, '192.0.2.60'],
        ['onbekend@nergens.example', '192.0.2.61'],
      ] as const) {
        const response = await ask(site, email, { ip, settle: false });
        answers.push({ status: response.status, location: response.headers.get('location'), body: await response.text() });
      }
      expect(answers[0]!.status).toBe(303);
      expect(answers[0]).toEqual(answers[1]);
      // Both answers are out; neither request looked anything up nor wrote a link, a mail or an
      // audit row (only the limiter's count): both wait in the queue alike.
      expect(await writtenState(site, ['login_attempt_counts'])).toEqual(before);
      expect(held.size).toBe(2);
      // Once the responses are out the server arms the queue's timer by itself.
      for (let i = 0; i < 100 && !held.scheduled; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(held.scheduled).toBe(true);
      release();
      await held.idle();
      expect(await mailRowsTo(site, known.email)).toHaveLength(1);
      expect(await mailRowsTo(site, 'onbekend@nergens.example')).toEqual([]);
    } finally {
      release();
      site.app.resetRequests = queue;
    }
  });

  it(`limits an address to ${RESET_REQUESTS_PER_ADDRESS} mails an hour, with the same answer after`, async () => {
    const account = await createAccount(site.db, { email: 'veel-gevraagd@partij-c.example', party: 'testpartij-c' });
    const ips = ['192.0.2.50', '192.0.2.51', '192.0.2.52', '192.0.2.53', '2001:db8::1'];
    for (const ip of ips) {
      const response = await ask(site, account.email, { ip });
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('/wachtwoord-vergeten?verstuurd=1');
    }
    expect(await mailRowsTo(site, account.email)).toHaveLength(RESET_REQUESTS_PER_ADDRESS);
    const limited = await site.db.select().from(auditLog).where(eq(auditLog.action, 'password.reset-request.limited'));
    expect(limited.map((a) => [a.subject, a.details])).toEqual([[account.email, { limit: 'address' }]]);
    // Only the newest link works.
    const links = await site.db.select().from(accountLinks).where(eq(accountLinks.userId, account.user.id));
    expect(links.filter((l) => l.revokedAt === null)).toHaveLength(1);
  });

  it(`limits an IP to ${RESET_REQUESTS_PER_IP} requests an hour, then answers 429 (an IPv6 /64 counts as one, on either language's page)`, async () => {
    for (let i = 0; i < RESET_REQUESTS_PER_IP; i++) {
      const response = await ask(site, `raden-${i}@nergens.example`, { ip: `2001:db8:1:2::${i + 1}` });
      expect(response.status, `request ${i + 1}`).toBe(303);
    }
    const before = await writtenState(site, ['login_attempt_counts', 'audit_log']);
    const refused = await ask(site, rep.email, { ip: '2001:db8:1:2::ffff' });
    expect(refused.status).toBe(429);
    const page = textOf(await refused.text());
    expect(page).toContain('Te veel aanvragen vanaf dit netwerk. Probeer het over een uur opnieuw');
    const refusedEn = await ask(site, rep.email, { page: '/en/forgot-password', ip: '2001:db8:1:2::fffe' });
    expect(refusedEn.status, String(refusedEn.headers.get('location'))).toBe(429);
    expect(textOf(await refusedEn.text())).toContain('Too many requests from this network.');
    expect(await writtenState(site, ['login_attempt_counts', 'audit_log'])).toEqual(before);
    const limited = await site.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'password.reset-request.limited'), eq(auditLog.subject, '2001:db8:1:2::/64')));
    expect(limited).toHaveLength(1);
    // Another network is not affected.
    expect((await ask(site, 'weer-iemand@nergens.example', { ip: '198.51.100.9' })).status).toBe(303);
  });

  it('counts the client behind the proxy on English addresses too (sign-in as well), not the proxy', async () => {
    // @astrojs/node hands the front's locals only to addresses with a page file; /en/… has none.
    const response = await fetch(new URL('/en/sign-in?_action=signIn', site.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: site.origin, 'x-forwarded-for': '203.0.113.77' },
      body: new URLSearchParams({ email: 'engels@nergens.example', password: 'fout' }).toString(),
      redirect: 'manual',
    });
    expect(response.status).toBe(401);
    const [failed] = await site.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'login.failed'), eq(auditLog.subject, 'engels@nergens.example')));
    expect(failed!.ip).toBe('203.0.113.77');
  });

  it.each([2, 6])('mails every one of %i requests asked at the same moment, and the ones after', async (count) => {
    const accounts = await Promise.all(
      Array.from({ length: count }, (_, i) => createAccount(site.db, { email: `tegelijk-${count}-${i}@partij-c.example`, party: 'testpartij-c' })),
    );
    const mailsTo = (address: string) => smtp.received.filter((m) => m.envelopeTo[0] === address);
    // Answered together: the queue takes them up while (or just after) the others are handled.
    const responses = await Promise.all(accounts.map((account, i) => ask(site, account.email, { ip: `198.51.100.${count * 10 + i}`, settle: false })));
    expect(responses.map((r) => r.status)).toEqual(Array(count).fill(303));
    // Then one more, on its own, after the queue was empty: it must not be left waiting either.
    const later = await createAccount(site.db, { email: `daarna-${count}@partij-c.example`, party: 'testpartij-c' });
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect((await ask(site, later.email, { ip: `198.51.100.${count * 10 + 9}`, settle: false })).status).toBe(303);
    // Without waiting for the queue (idle): the server's own drain must send them all.
    for (const address of [...accounts.map((a) => a.email), later.email]) {
      for (let i = 0; i < 150 && mailsTo(address).length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(mailsTo(address), address).toHaveLength(1);
    }
  });

  it.each([
    ['an empty address', { email: '' }, 'E-mailadres: Vul dit veld in.'],
    ['no field at all', {}, 'E-mailadres: Vul dit veld in.'],
    ['a malformed address', { email: 'geen adres' }, 'E-mailadres: Vul een geldig e-mailadres in.'],
    ['an overlong address', { email: `${'a'.repeat(250)}@x.example` }, 'E-mailadres: Deze tekst is te lang.'],
    ['a header injection (CR/LF)', { email: 'vergeetachtig@partij-a.example\r\nBcc: stiekem@elders.example' }, 'E-mailadres: Vul een geldig e-mailadres in.'],
    ['a trailing line break', { email: 'vergeetachtig@partij-a.example\n' }, 'E-mailadres: Vul een geldig e-mailadres in.'],
    ['a NUL', { email: 'vergeetachtig\u0000@partij-a.example' }, 'onzichtbaar stuurteken'],
  ])('refuses %s with a 400, an error summary, and writes nothing', async (_, fields, message) => {
    const before = await writtenState(site);
    const response = await new FormClient(site.url).submit('/wachtwoord-vergeten', 'requestPasswordReset', fields);
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain('href="#field-email"');
    expect(textOf(page)).toContain(message);
    expect(await writtenState(site)).toEqual(before);
  });

  it('refuses the address sent twice with a 400 and writes nothing', async () => {
    const before = await writtenState(site);
    const response = await fetch(new URL('/wachtwoord-vergeten?_action=requestPasswordReset', site.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: site.origin },
      body: 'email=niemand%40nergens.example&email=vergeetachtig%40partij-a.example',
      redirect: 'manual',
    });
    expect(response.status).toBe(400);
    expect(textOf(await response.text())).toContain('Dit formulier is niet (meer) geldig.');
    expect(await writtenState(site)).toEqual(before);
  });
});

describe.each(ENGINES)('forgot password without SMTP (mail held in the outbox), on %s', (engine) => {
  let site: TestSite;
  let rep: TestAccount;

  beforeAll(async () => {
    site = await startTestSite(engine);
    await site.db.delete(campaignParties);
    await site.db.delete(parties);
    await addTestParties(site.db, TEST_PARTIES);
    rep = await createAccount(site.db, { email: 'zonder-smtp@partij-a.example', party: 'testpartij-a' });
  });
  afterAll(() => site?.close());

  it('holds the mail with its link; the link works once and ends the other sessions', async () => {
    const elsewhere = new FormClient(site.url);
    await signInOverHttp(elsewhere, rep);
    const response = await ask(site, rep.email, { page: '/en/forgot-password' });
    expect(response.status).toBe(303);
    const [row] = await mailRowsTo(site, rep.email);
    expect(row!.status).toBe('held');
    expect(row!.locale).toBe('en');
    expect(row!.accountLinkId).not.toBeNull();
    expect(row!.subject).toBe('Set a new password for Keep children safe – online too');
    const path = resetLinkIn(row!.textBody)!;
    expect(path).toMatch(/^\/en\/reset-password\//);
    expect((await redeem(site, path)).status).toBe(303);
    expect((await elsewhere.get('/mijn-partij')).status).toBe(303);
    expect((await redeem(site, path, 'nog een heel ander lang wachtwoord erbij')).status).toBe(410);
  });

  it('links the mail to the site itself, never to the Host a request names', async () => {
    // A forged Host with a matching Origin passes the form's origin check: the mail it causes
    // must still point here, or the campaign would mail a victim the attacker's reset page.
    const evil = 'pledgeboard-evil.example';
    await createAccount(site.db, { email: 'host-proef@partij-b.example', party: 'testpartij-b' });
    const status = await new Promise<number>((resolve, reject) => {
      const request = http.request(new URL('/wachtwoord-vergeten?_action=requestPasswordReset', site.url), {
        method: 'POST',
        headers: { host: evil, origin: `http://${evil}`, 'content-type': 'application/x-www-form-urlencoded' },
      });
      request.on('response', (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('error', reject);
      request.end(new URLSearchParams({ email: 'host-proef@partij-b.example' }).toString());
    });
    expect(status).toBe(303);
    await site.app.resetRequests.idle();
    const [row] = await mailRowsTo(site, 'host-proef@partij-b.example');
    expect(row!.textBody + row!.htmlBody).not.toContain(evil);
    // The address it listens on (localhost or 127.0.0.1, its own port).
    expect(row!.textBody).toMatch(new RegExp(`http://(localhost|127\\.0\\.0\\.1):${new URL(site.url).port}/wachtwoord-herstellen/`));
  });

  it('limits the address the same way (the counts are in the database)', async () => {
    for (let i = 0; i < RESET_REQUESTS_PER_ADDRESS + 2; i++) expect((await ask(site, 'nog-een@partij-b.example')).status).toBe(303);
    await createAccount(site.db, { email: 'nog-een@partij-b.example', party: 'testpartij-b' });
    // Unknown or not: the address had its requests for this hour.
    expect((await ask(site, 'nog-een@partij-b.example')).status).toBe(303);
    expect(await mailRowsTo(site, 'nog-een@partij-b.example')).toEqual([]);
  });
});
