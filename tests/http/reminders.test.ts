/**
 * Reminders and notices over HTTP and the command line: an admin plans reminders in Beheer
 * (bad input is a 400 with a message and writes nothing), a representative chooses notices on
 * the account page, and `npm run cli -- send-reminders --now …` sends what is due, once.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.ts';
import { auditLog, outbox, reminderSchedule, users } from '../../src/db/schema.ts';
import { SYSTEM_ACTOR } from '../../src/domain/actors.ts';
import { setDeadline } from '../../src/domain/pledging-window.ts';
import { PROJECT_ROOT } from '../../src/server/build.ts';
import { startReminders } from '../../src/server/entry.ts';
import { addTestParties, TEST_CAMPAIGN_ID, TEST_PARTIES } from '../fixtures/board.ts';
import { createAccount, signInOverHttp, type TestAccount } from '../helpers/accounts.ts';
import { ENGINES } from '../helpers/engines.ts';
import { FormClient } from '../helpers/form-client.ts';
import { runToExit } from '../helpers/server.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';
import { campaignParties, parties } from '../../src/db/schema.ts';

const textOf = (html: string) =>
  html
    .replace(/<(style|script)\b[\s\S]*?<\/\1>/g, '')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

describe.each(ENGINES)('Beheer → Herinneringen and the account’s notices, on %s', (engine) => {
  let site: TestSite;
  let admin: FormClient;
  let rep: FormClient;
  let repAccount: TestAccount;

  beforeAll(async () => {
    site = await startTestSite(engine);
    // Only the test's fictional parties on the campaign's board.
    await site.db.delete(campaignParties);
    await site.db.delete(parties);
    await addTestParties(site.db, TEST_PARTIES);
    const adminAccount = await createAccount(site.db, { email: 'beheer@campagne.example', name: 'Anna de Vries', totp: true });
    repAccount = await createAccount(site.db, { email: 'rep@partij-a.example', party: 'testpartij-a', name: 'Rita Rep' });
    admin = new FormClient(site.url);
    rep = new FormClient(site.url);
    await signInOverHttp(admin, adminAccount);
    await signInOverHttp(rep, repAccount);
  });
  afterAll(() => site?.close());

  const schedule = async () => (await site.db.select().from(reminderSchedule)).map((r) => r.daysBefore).sort((a, b) => a - b);

  it('plans and removes reminders, each step in the audit log, in both languages', async () => {
    let page = textOf(await (await admin.get('/beheer/herinneringen')).text());
    expect(page).toContain('Er zijn nog geen herinneringen gepland.');
    expect(page).toContain('Er is geen deadline ingesteld');
    for (const days of ['14', '7', ' 2 ']) expect((await admin.submit('/beheer/herinneringen', 'addReminder', { daysBefore: days })).status).toBe(200);
    expect(await schedule()).toEqual([2, 7, 14]);
    page = textOf(await (await admin.get('/beheer/herinneringen')).text());
    expect(page).toMatch(/14 dagen voor de deadline .* 7 dagen voor de deadline .* 2 dagen voor de deadline/);
    const en = textOf(await (await admin.get('/en/admin/reminders')).text());
    expect(en).toContain('14 days before the deadline');
    expect(en).toContain('Remove');
    const [seven] = await site.db.select().from(reminderSchedule).where(eq(reminderSchedule.daysBefore, 7));
    expect((await admin.submit('/beheer/herinneringen', 'removeReminder', { reminder: String(seven!.id) })).status).toBe(200);
    expect(await schedule()).toEqual([2, 14]);
    const audit = await site.db.select().from(auditLog).where(eq(auditLog.action, 'reminder.scheduled'));
    expect(audit.map((a) => a.subject).sort()).toEqual(['14', '2', '7']);
    expect(textOf(await (await admin.get('/beheer/audit')).text())).toContain('plande een herinnering 14 dagen voor de deadline');
  });

  it.each([
    ['0', 'Vul een heel aantal dagen in, van 1 tot en met 365.'],
    ['-3', 'Vul een heel aantal dagen in, van 1 tot en met 365.'],
    ['400', 'Vul een heel aantal dagen in, van 1 tot en met 365.'],
    ['veertien', 'Vul een heel aantal dagen in, van 1 tot en met 365.'],
    ['7\u0000', 'Vul een heel aantal dagen in, van 1 tot en met 365.'],
    ['', 'Vul een heel aantal dagen in, van 1 tot en met 365.'],
  ])('refuses %j with a 400 and a message, writing nothing', async (days, message) => {
    const before = await schedule();
    const response = await admin.submit('/beheer/herinneringen', 'addReminder', { daysBefore: days });
    expect(response.status).toBe(400);
    const page = textOf(await response.text());
    expect(page).toContain(`Dagen voor de deadline: ${message}`);
    expect(await schedule()).toEqual(before);
  });

  it('refuses a field sent twice (400), an existing number of days (409), and an unknown reminder (404)', async () => {
    const before = await schedule();
    const doubled = await fetch(new URL('/beheer/herinneringen?_action=addReminder', site.url), {
      method: 'POST',
      headers: { cookie: [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; '), origin: site.origin, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'daysBefore=5&daysBefore=6',
      redirect: 'manual',
    });
    expect(doubled.status).toBe(400);
    const again = await admin.submit('/beheer/herinneringen', 'addReminder', { daysBefore: '14' });
    expect(again.status).toBe(409);
    expect(textOf(await again.text())).toContain('Er is al een herinnering op dit aantal dagen voor de deadline.');
    expect((await admin.submit('/beheer/herinneringen', 'removeReminder', { reminder: '99999' })).status).toBe(404);
    expect((await admin.submit('/beheer/herinneringen', 'removeReminder', { reminder: '1e3' })).status).toBe(400);
    expect((await admin.submit('/beheer/herinneringen', 'removeReminder', { reminder: '99999999999' })).status).toBe(400);
    expect(await schedule()).toEqual(before);
  });

  it('lets a representative choose notices on the account page, off by default, in the page’s language', async () => {
    let page = await (await rep.get('/account')).text();
    expect(textOf(page)).toContain('Mail over je partij');
    expect(page).not.toMatch(/name="colleagueChanges"[^>]*checked/);
    const saved = await rep.submit('/en/account', 'setMailPreferences', { colleagueChanges: 'on', locale: 'en' });
    expect(saved.status).toBe(200);
    expect(textOf(await saved.text())).toContain('Your preferences are saved.');
    const [after] = await site.db.select().from(users).where(eq(users.id, repAccount.user.id));
    expect([after!.notifyColleagueChanges, after!.notifyCampaignChanges, after!.mailLocale]).toEqual([true, false, 'en']);
    page = await (await rep.get('/account')).text();
    expect(page).toMatch(/name="colleagueChanges"[^>]*checked/);
    expect(page).not.toMatch(/name="campaignChanges"[^>]*checked/);
    // Bad values: refused, nothing changed.
    const refused: Record<string, string>[] = [{ colleagueChanges: 'ja', locale: 'nl' }, { campaignChanges: 'on', locale: 'fr' }, { campaignChanges: 'on' }];
    for (const fields of refused) {
      expect((await rep.submit('/account', 'setMailPreferences', fields)).status, JSON.stringify(fields)).toBe(400);
    }
    const [unchanged] = await site.db.select().from(users).where(eq(users.id, repAccount.user.id));
    expect([unchanged!.notifyColleagueChanges, unchanged!.notifyCampaignChanges, unchanged!.mailLocale]).toEqual([true, false, 'en']);
    // An admin has no party: no such section, and the action says so.
    expect(textOf(await (await admin.get('/account')).text())).not.toContain('Mail over je partij');
    expect((await admin.submit('/account', 'setMailPreferences', { colleagueChanges: 'on', locale: 'nl' })).status).toBe(403);
  });
});

describe.each(ENGINES)('the reminder worker of a running site, on %s', (engine) => {
  const MINUTE = 60_000;
  const DAY = 24 * 60 * MINUTE;
  let site: TestSite;
  let smtp: TestSmtpServer;

  beforeAll(async () => {
    // With SMTP: a reminder is on the public record once it is sent (a held one reminded nobody).
    smtp = await startSmtpServer();
    site = await startTestSite(engine, { SMTP_URL: smtp.url, MAIL_FROM: 'campagne@board.example' });
  });
  afterAll(async () => {
    await site?.close();
    await smtp?.close();
  });

  it('a round that went out shows on the public board at once, without waiting for another write', async () => {
    const now = Date.now();
    await createAccount(site.db, { email: 'rep@volt.example', party: 'volt' });
    await site.db.insert(reminderSchedule).values({ campaignId: TEST_CAMPAIGN_ID, daysBefore: 1, createdAt: new Date(now - 7 * DAY) });
    // "1 day before" came five minutes ago; the deadline was set an hour before that.
    await setDeadline(site.db, TEST_CAMPAIGN_ID, new Date(now + DAY - 5 * MINUTE), SYSTEM_ACTOR, { now: new Date(now - 60 * MINUTE) });
    await site.app.boardVersion.refresh(); // as after a form
    const reminded = async () => {
      const body = (await (await fetch(new URL('/api/v1/scoreboard.json', site.url))).json()) as {
        parties: { slug: string; outreach: { reminders: number } }[];
      };
      return body.parties.find((p) => p.slug === 'volt')!.outreach.reminders;
    };
    expect(await reminded()).toBe(0); // and now cached, for this version of the board

    startReminders(site.app, site.url);
    for (let i = 0; i < 100 && (await site.db.select().from(outbox).where(eq(outbox.kind, 'reminder'))).length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await site.db.select({ to: outbox.toAddress }).from(outbox).where(eq(outbox.kind, 'reminder'))).toEqual([{ to: 'rep@volt.example' }]);
    expect((await smtp.waitForMails(1)).map((m) => m.envelopeTo)).toEqual([['rep@volt.example']]);
    // The sender read the board's version again: the public board says so without another write.
    let count = await reminded();
    for (let i = 0; i < 40 && count === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      count = await reminded();
    }
    expect(count).toBe(1);
  });
});

describe('npm run cli -- send-reminders', () => {
  const CLI = path.join(PROJECT_ROOT, 'src', 'cli.ts');
  const lastLine = (output: string) => output.trim().split('\n').at(-1)!;
  let dataDir: string;
  let contentDir: string;
  const env = () => ({ DATA_DIR: dataDir, CONTENT_DIR: contentDir });

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'pb-reminders-'));
    contentDir = await mkdtemp(path.join(os.tmpdir(), 'pb-reminders-content-'));
    // The campaign with a deadline: 15 December 2026, 17:00 in Amsterdam.
    await cp(path.join(PROJECT_ROOT, 'content'), contentDir, { recursive: true });
    const file = path.join(contentDir, 'campaign.yaml');
    const yaml = await readFile(file, 'utf8');
    await writeFile(file, yaml.replace(/^pledgeDeadline: .*$/m, "pledgeDeadline: '2026-12-15T17:00:00+01:00'"));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
    await rm(contentDir, { recursive: true, force: true });
  });

  it('sends what is due at --now once, to parties with a representative', async () => {
    const first = await runToExit(env(), CLI, ['send-reminders', '--now', '2026-12-01T16:30:00Z']);
    expect(first.code, first.output).toBe(0);
    expect(lastLine(first.output)).toBe('Nothing to send at 2026-12-01T16:30:00.000Z: no reminder is due that has not gone out.');
    // Plan "14 days before" and give Volt a representative (the CLI is not running: the folder is free).
    const database = await openDatabase({ engine: 'pglite', dataDir });
    try {
      await database.db.insert(reminderSchedule).values({ campaignId: TEST_CAMPAIGN_ID, daysBefore: 14, createdAt: new Date('2026-11-01T00:00:00Z') });
      await createAccount(database.db, { email: 'rep@volt.example', party: 'volt' });
    } finally {
      await database.close();
    }
    const early = await runToExit(env(), CLI, ['send-reminders', '--now', '2026-12-01T15:59:00Z']);
    expect(lastLine(early.output)).toMatch(/^Nothing to send/);
    const due = await runToExit(env(), CLI, ['send-reminders', '--now', '2026-12-01T16:30:00Z']);
    expect(due.code, due.output).toBe(0);
    expect(due.output).toMatch(/^14 days before the deadline \(due 2026-12-01T16:00:00\.000Z\): reminded volt; no representative for /m);
    expect(lastLine(due.output)).toBe('Reminder rounds written: 1.');
    const again = await runToExit(env(), CLI, ['send-reminders', '--now', '2026-12-01T16:31:00Z']);
    expect(lastLine(again.output)).toMatch(/^Nothing to send/);
    const listed = await runToExit(env(), CLI, ['outbox']);
    expect(listed.output).toMatch(/^HELD +0× .* reminder +rep@volt\.example {2}Herinnering: Volt Nederland heeft 0 van 4 doelen beantwoord/m);
    const database2 = await openDatabase({ engine: 'pglite', dataDir });
    try {
      expect(await database2.db.select().from(outbox).where(eq(outbox.kind, 'reminder'))).toHaveLength(1);
    } finally {
      await database2.close();
    }
  });

  it('does not send a round again when the deadline moves earlier after it went out; a later round still goes', async () => {
    const database = await openDatabase({ engine: 'pglite', dataDir });
    try {
      // An hour after "14 days before" went out (the test above), the deadline moves two days earlier.
      const moved = await setDeadline(database.db, TEST_CAMPAIGN_ID, new Date('2026-12-13T16:00:00Z'), SYSTEM_ACTOR, {
        now: new Date('2026-12-01T17:30:00Z'),
      });
      expect(moved).toBe('done');
      await database.db.insert(reminderSchedule).values({ campaignId: TEST_CAMPAIGN_ID, daysBefore: 7, createdAt: new Date('2026-11-01T00:00:00Z') });
    } finally {
      await database.close();
    }
    const again = await runToExit(env(), CLI, ['send-reminders', '--now', '2026-12-01T17:31:00Z']);
    expect(again.code, again.output).toBe(0);
    expect(lastLine(again.output)).toMatch(/^Nothing to send/);
    const seven = await runToExit(env(), CLI, ['send-reminders', '--now', '2026-12-06T16:01:00Z']);
    expect(seven.output).toMatch(/^7 days before the deadline \(due 2026-12-06T16:00:00\.000Z\): reminded volt; /m);
    expect(lastLine(seven.output)).toBe('Reminder rounds written: 1.');
  });

  it.each([
    [['send-reminders', '--now', 'gisteren'], /--now \("gisteren"\) must be a moment such as 2026-12-01T09:00:00Z/],
    [['send-reminders', '--now', '2026-13-01T00:00:00Z'], /--now \("2026-13-01T00:00:00Z"\) must be a moment/],
    [['send-reminders', '--now', '1900-01-01T00:00:00Z'], /between the years 2000 and 2100/],
    [['send-reminders', '--now', '2026-12-01T00:00:00'], /must be a moment/],
    [['send-reminders', '--now', '2026-12-01T00:00:00Z', '--now', '2026-12-02T00:00:00Z'], /--now is given more than once/],
    [['send-reminders', '--email', 'a@b.example'], /send-reminders takes no --email/],
    [['outbox', '--now', '2026-12-01T00:00:00Z'], /--now is only for send-reminders/],
  ])('%j fails with a clear message and exit code 1', async (args, message) => {
    const result = await runToExit(env(), CLI, args);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(message);
    expect(result.output).not.toMatch(/\n\s+at /);
  });
});
