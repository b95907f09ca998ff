/**
 * Mail over HTTP (issue 13, "Email, for real"): an admin invites one or several addresses in
 * Beheer and each gets a mail with its link from a real SMTP server the test runs; bad lines
 * are named by number and nothing is written; the party must be chosen; an invitation can be
 * sent again (a fresh link, the old one dead); Beheer → Mail lists the outbox, failed first,
 * for admins only. And the README's promise: `npm start` with SMTP_URL plus
 * `npm run cli -- invite …` delivers the link within seconds.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { campaignParties, accountLinks, auditLog, outbox, parties } from '../../src/db/schema.ts';
import { PROJECT_ROOT } from '../../src/server/build.ts';
import { createAccount, signInOverHttp } from '../helpers/accounts.ts';
import { createPostgresDatabase, ENGINES } from '../helpers/engines.ts';
import { databaseFingerprint } from '../helpers/fingerprint.ts';
import { FormClient } from '../helpers/form-client.ts';
import { runToExit, startServer } from '../helpers/server.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';
import { TEST_PARTIES, addTestParties } from '../fixtures/board.ts';

const FROM = 'campagne@board.example';
const textOf = (html: string) =>
  html
    .replace(/<(style|script)\b[\s\S]*?<\/\1>/g, '')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
const linksIn = (html: string) => [...html.matchAll(/value="(http[^"]+\/uitnodiging\/[a-z2-7]{32})"/g)].map((m) => m[1]!);

describe.each(ENGINES)('mail from Beheer, on %s', (engine) => {
  let site: TestSite;
  let smtp: TestSmtpServer;
  let admin: FormClient;
  let rep: FormClient;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    site = await startTestSite(engine, { SMTP_URL: smtp.url, MAIL_FROM: FROM });
    await site.db.delete(campaignParties);
    await site.db.delete(parties);
    await addTestParties(site.db, TEST_PARTIES);
    admin = new FormClient(site.url);
    await signInOverHttp(admin, await createAccount(site.db, { email: 'beheer@campagne.example', totp: true }));
    rep = new FormClient(site.url);
    await signInOverHttp(rep, await createAccount(site.db, { email: 'rep@partij-a.example', party: 'testpartij-a' }));
  });
  afterAll(async () => {
    await site?.close();
    await smtp?.close();
  });
  afterEach(() => {
    smtp.behaviour = { mode: 'accept' };
  });

  it('offers no party until one is chosen, and refuses a form without one', async () => {
    const page = await (await admin.get('/beheer/uitnodigingen')).text();
    const select = /<select id="invite-party"[\s\S]*?<\/select>/.exec(page)![0];
    expect(select).toMatch(/<option value="" selected>Kies een partij<\/option>/);
    expect(select.match(/ selected/g)).toHaveLength(1);

    const before = await databaseFingerprint(site.db, { except: ['sessions', 'login_known_devices', 'login_known_clients'] });
    const response = await admin.submit('/beheer/uitnodigingen', 'createInvite', { party: '', emails: 'iemand@partij-b.example', locale: 'nl' });
    expect(response.status).toBe(400);
    expect(textOf(await response.text())).toContain('Kies de partij waarvoor je uitnodigt.');
    expect(await databaseFingerprint(site.db, { except: ['sessions', 'login_known_devices', 'login_known_clients'] })).toEqual(before);
  });

  it('invites several addresses at once: each gets a mail with its own link; the page shows the links to copy', async () => {
    const emails = ['een@partij-b.example', 'Twee@Partij-B.example', 'drie@partij-b.example'];
    const response = await admin.submit('/beheer/uitnodigingen', 'createInvite', {
      party: 'testpartij-b',
      emails: `${emails.join('\r\n')}\r\n\r\n`,
      locale: 'en',
    });
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(textOf(page)).toContain('Uitnodigingen gemaakt voor 3 adres(sen).');
    expect(textOf(page)).toContain('Ze worden nu gemaild.');
    const links = linksIn(page.replaceAll('/en/invitation/', '/uitnodiging/'));
    expect(links).toHaveLength(3);
    expect(page).toContain('data-copy="invite-link-0"');

    const mails = await smtp.waitForMails(3);
    const received = mails.slice(-3);
    expect(received.map((m) => m.envelopeTo[0]).sort()).toEqual(['drie@partij-b.example', 'een@partij-b.example', 'twee@partij-b.example']);
    for (const mail of received) {
      expect(mail.parsed.from?.value).toEqual([{ name: 'Keep children safe – online too', address: FROM }]);
      expect(mail.parsed.subject).toBe('Invitation: represent Testpartij B on Keep children safe – online too');
      const link = /http:\/\/127\.0\.0\.1:\d+\/en\/invitation\/[a-z2-7]{32}/.exec(mail.parsed.text ?? '')![0];
      expect(mail.parsed.html).toContain(`href="${link}"`);
    }
    // The server has them; the sender notes each as sent once it hears so.
    const sent = async () => (await site.db.select().from(outbox).where(eq(outbox.status, 'sent'))).length;
    // Up to 20 s: on a busy machine the sender's next round can be late.
    for (let i = 0; i < 200 && (await sent()) < 3; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await sent()).toBe(3);
  });

  it('names every bad line by its number, and writes nothing when one is bad', async () => {
    const before = await databaseFingerprint(site.db, { except: ['sessions', 'login_known_devices', 'login_known_clients'] });
    const response = await admin.submit('/beheer/uitnodigingen', 'createInvite', {
      party: 'testpartij-c',
      emails: ['goed@partij-c.example', 'geen adres', 'rep@partij-a.example', 'goed@partij-c.example', 'a@b.example\r\nBcc: stiekem@elders.example'].join('\n'),
      locale: 'nl',
    });
    expect(response.status).toBe(400);
    const text = textOf(await response.text());
    expect(text).toContain('Regel 2: Vul een geldig e-mailadres in.');
    expect(text).toContain('Regel 3: Er bestaat al een account met dit e-mailadres.');
    expect(text).toContain('Regel 4: Dit adres staat al op een eerdere regel.');
    // A line break in a textarea starts a new line: the "Bcc:" header is line 6, not an address.
    expect(text).toContain('Regel 6: Vul een geldig e-mailadres in.');
    expect(text).not.toContain('Regel 1:');
    expect(text).not.toContain('Regel 5:');
    expect(await databaseFingerprint(site.db, { except: ['sessions', 'login_known_devices', 'login_known_clients'] })).toEqual(before);
  });

  it.each([
    ['an address with a NUL', { party: 'testpartij-c', emails: 'x\u0000@partij-c.example', locale: 'nl' }, 'onzichtbaar stuurteken'],
    ['an unknown language', { party: 'testpartij-c', emails: 'x@partij-c.example', locale: 'fr' }, 'Dit formulier is niet (meer) geldig.'],
    ['no addresses', { party: 'testpartij-c', emails: '', locale: 'nl' }, 'Vul dit veld in.'],
    ['too many addresses', { party: 'testpartij-c', emails: Array.from({ length: 51 }, (_, i) => `p${i}@c.example`).join('\n'), locale: 'nl' }, 'hoogstens 50'],
  ])('refuses %s with a 400 and writes nothing', async (_, fields, message) => {
    const before = await databaseFingerprint(site.db, { except: ['sessions', 'login_known_devices', 'login_known_clients'] });
    const response = await admin.submit('/beheer/uitnodigingen', 'createInvite', fields);
    expect(response.status).toBe(400);
    expect(textOf(await response.text())).toContain(message);
    expect(await databaseFingerprint(site.db, { except: ['sessions', 'login_known_devices', 'login_known_clients'] })).toEqual(before);
  });

  it('sends an invitation again with a fresh link; the old link no longer works', async () => {
    await admin.submit('/beheer/uitnodigingen', 'createInvite', { party: 'testpartij-c', emails: 'opnieuw@partij-c.example', locale: 'nl' });
    const first = (await smtp.waitForMails(4)).at(-1)!;
    const oldLink = /http:\/\/127\.0\.0\.1:\d+\/uitnodiging\/[a-z2-7]{32}/.exec(first.parsed.text ?? '')![0];
    const [invite] = await site.db.select().from(accountLinks).where(eq(accountLinks.email, 'opnieuw@partij-c.example'));

    const response = await admin.submit('/beheer/uitnodigingen', 'resendInvite', { id: String(invite!.id) });
    expect(response.status).toBe(200);
    expect(textOf(await response.text())).toContain('Nieuwe uitnodiging voor opnieuw@partij-c.example gemaakt en gemaild; de vorige link werkt niet meer.');
    const second = (await smtp.waitForMails(5)).at(-1)!;
    expect(second.envelopeTo).toEqual(['opnieuw@partij-c.example']);
    expect(second.parsed.subject).toBe(first.parsed.subject);
    const newLink = /http:\/\/127\.0\.0\.1:\d+\/uitnodiging\/[a-z2-7]{32}/.exec(second.parsed.text ?? '')![0];
    expect(newLink).not.toBe(oldLink);
    expect(second.parsed.messageId).not.toBe(first.parsed.messageId);

    const oldPage = await (await fetch(new URL(new URL(oldLink).pathname, site.url))).text();
    expect(oldPage).not.toContain('name="password"');
    const newPage = await (await fetch(new URL(new URL(newLink).pathname, site.url))).text();
    expect(newPage).toContain('name="password"');
    expect(await site.db.select().from(auditLog).where(eq(auditLog.action, 'invite.resent'))).toHaveLength(1);

    // The old one cannot be sent again: it was revoked.
    const again = await admin.submit('/beheer/uitnodigingen', 'resendInvite', { id: String(invite!.id) });
    expect(again.status).toBe(409);
  });

  it('Beheer → Mail lists the outbox, failed mails first and marked; only for admins', async () => {
    smtp.behaviour = { mode: 'refuse-data', code: 550 };
    await admin.submit('/beheer/uitnodigingen', 'createInvite', { party: 'testpartij-a', emails: 'bestaat-niet@partij-a.example', locale: 'nl' });
    for (let i = 0; i < 100; i++) {
      const [row] = await site.db.select().from(outbox).where(eq(outbox.toAddress, 'bestaat-niet@partij-a.example'));
      if (row?.status === 'failed') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const page = await (await admin.get('/beheer/mail')).text();
    const rows = [...page.matchAll(/data-mail-status="(\w+)"/g)].map((m) => m[1]);
    expect(rows[0]).toBe('failed');
    expect(rows.slice(1).every((status) => status !== 'failed')).toBe(true);
    const text = textOf(page);
    expect(text).toContain('Mislukt');
    expect(text).toContain('bestaat-niet@partij-a.example');
    expect(text).toMatch(/550/);
    expect(text).toMatch(/1 mislukt, \d+ wachtend, \d+ vastgehouden, \d+ verstuurd/);
    expect(page).toContain('href="/beheer/mail"');
    expect(textOf(await (await admin.get('/en/admin/mail')).text())).toContain('Failed');

    // A mail no longer wanted when its turn came (src/domain/mail-wanted.ts): cancelled, and why.
    await site.db.update(outbox).set({ status: 'cancelled', lastError: 'link-used' }).where(eq(outbox.toAddress, 'bestaat-niet@partij-a.example'));
    const cancelled = await (await admin.get('/beheer/mail')).text();
    expect(cancelled).toContain('data-mail-status="cancelled"');
    expect(textOf(cancelled)).toContain('Geannuleerd (niet meer nodig) Uitnodiging bestaat-niet@partij-a.example');
    expect(textOf(cancelled)).toContain('Niet verstuurd: de link is al gebruikt.');
    expect(textOf(cancelled)).toMatch(/0 mislukt, \d+ wachtend, \d+ vastgehouden, \d+ verstuurd, 1 geannuleerd/);
    const english = textOf(await (await admin.get('/en/admin/mail')).text());
    expect(english).toContain('Cancelled (no longer needed)');
    expect(english).toContain('Not sent: the link was already used.');

    const refused = await rep.get('/beheer/mail');
    expect([302, 303, 403]).toContain(refused.status);
    expect(await refused.text()).not.toContain('bestaat-niet@partij-a.example');
    const anonymous = await fetch(new URL('/beheer/mail', site.url), { redirect: 'manual' });
    expect([302, 303, 403]).toContain(anonymous.status);
  });
});

describe('npm start with SMTP_URL, and npm run cli -- invite', () => {
  const CLI = path.join(PROJECT_ROOT, 'src', 'cli.ts');
  let smtp: TestSmtpServer;
  beforeAll(async () => {
    smtp = await startSmtpServer({ users: { campagne: 'geheim' } });
  });
  afterAll(() => smtp.close());

  const mailEnv = () => ({ SMTP_URL: smtp.url, MAIL_FROM: FROM, PUBLIC_URL: 'https://board.example' });

  it.runIf(Boolean(process.env.DATABASE_URL))('on Postgres: the CLI beside the running server; the mail with the link arrives within seconds', async () => {
    const database = await createPostgresDatabase();
    const server = await startServer({ DATABASE_URL: database.url, ...mailEnv() });
    try {
      const started = Date.now();
      const result = await runToExit({ DATABASE_URL: database.url, ...mailEnv() }, CLI, ['invite', '--party', 'volt', '--email', 'rep@volt.example']);
      expect(result.code).toBe(0);
      const link = result.output.trim().split('\n').at(-1)!;
      expect(link).toMatch(/^https:\/\/board\.example\/uitnodiging\/[a-z2-7]{32}$/);
      const [mail] = await smtp.waitForMails(1, 5000);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(mail!.envelopeTo).toEqual(['rep@volt.example']);
      expect(mail!.user).toBe('campagne');
      expect(mail!.parsed.text).toContain(link);
      expect(mail!.parsed.html).toContain(`href="${link}"`);
    } finally {
      await server.stop();
      await database.drop();
    }
  });

  it('on PGlite: an invitation made by the CLI while the server is stopped is mailed when it starts', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'pb-mail-'));
    try {
      const result = await runToExit({ DATA_DIR: dataDir }, CLI, ['invite', '--party', 'volt', '--email', 'later@volt.example', '--locale', 'en']);
      expect(result.code).toBe(0);
      expect(result.output).toContain('kept in the outbox: SMTP_URL is not set');
      const link = result.output.trim().split('\n').at(-1)!;
      expect(link).toMatch(/^http:\/\/localhost:4321\/en\/invitation\/[a-z2-7]{32}$/);
      const outboxBefore = await runToExit({ DATA_DIR: dataDir }, CLI, ['outbox']);
      expect(outboxBefore.output).toMatch(/HELD +.*invite +later@volt\.example {2}Invitation: represent Volt/);

      const count = smtp.received.length;
      const server = await startServer({ DATA_DIR: dataDir, ...mailEnv() });
      try {
        const mails = await smtp.waitForMails(count + 1, 5000);
        const mail = mails.at(-1)!;
        expect(mail.envelopeTo).toEqual(['later@volt.example']);
        expect(mail.parsed.text).toContain(link);
      } finally {
        await server.stop();
      }
      const outboxAfter = await runToExit({ DATA_DIR: dataDir }, CLI, ['outbox']);
      expect(outboxAfter.code).toBe(0);
      expect(outboxAfter.output).toMatch(/SENT +1× .*later@volt\.example/);
      expect(outboxAfter.output.trim().split('\n').at(-1)).toMatch(/^0 failed, 0 pending, 0 held, 1 sent \(SMTP_URL is not set: mail is kept, not sent\)$/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
