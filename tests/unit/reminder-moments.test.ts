/**
 * "N days before the deadline" counts calendar days in Amsterdam: the same wall-clock time,
 * across a change to or from summer time; and a mail's stance words are the site's.
 */
import { describe, expect, it } from 'vitest';
import { MAIL_STANCE_WORDS, pledgeChangedMail, reminderMail } from '../../src/domain/mail-texts.ts';
import { parseDaysBefore, reminderMoment } from '../../src/domain/reminders.ts';
import { BOARD_STANCES } from '../../src/domain/stances.ts';
import { stanceLabel } from '../../src/i18n/ui.ts';

describe('reminderMoment', () => {
  it('keeps the deadline’s wall-clock time in Amsterdam', () => {
    // 17:00 winter time.
    expect(reminderMoment(new Date('2026-12-15T16:00:00Z'), 7).toISOString()).toBe('2026-12-08T16:00:00.000Z');
  });
  it('crosses the change to summer time', () => {
    // 1 April 17:00 CEST (15:00 UTC); seven days earlier is 25 March 17:00 CET (16:00 UTC).
    expect(reminderMoment(new Date('2026-04-01T15:00:00Z'), 7).toISOString()).toBe('2026-03-25T16:00:00.000Z');
  });
  it('crosses the change back to winter time', () => {
    // 27 October 09:00 CET (08:00 UTC); three days earlier is 24 October 09:00 CEST (07:00 UTC).
    expect(reminderMoment(new Date('2026-10-27T08:00:00Z'), 3).toISOString()).toBe('2026-10-24T07:00:00.000Z');
  });
});

describe('parseDaysBefore', () => {
  it('takes whole days from 1 to 365', () => {
    expect(parseDaysBefore(' 14 ')).toEqual({ ok: true, days: 14 });
    expect(parseDaysBefore('365')).toEqual({ ok: true, days: 365 });
    for (const bad of ['0', '-2', '366', '400', '1e2', '2.5', 'twee', '', '7\u0000', '٧']) expect(parseDaysBefore(bad).ok, bad).toBe(false);
  });
});

describe('mail texts of the reminders branch', () => {
  it('use the site’s stance words', () => {
    for (const locale of ['nl', 'en'] as const) for (const stance of BOARD_STANCES) expect(MAIL_STANCE_WORDS[locale][stance]).toBe(stanceLabel(locale, stance));
  });
  it('say what changed, escape names in HTML, and never carry a statement', () => {
    const mail = pledgeChangedMail('nl', {
      campaignName: 'Testcampagne',
      partyName: 'Partij <B> & Co',
      by: 'Anna',
      kind: 'colleague',
      changes: [{ goalTitle: 'Eerste doel', stanceBefore: 'partial', stanceAfter: 'committed', alsoChanged: ['statement'] }],
      reason: null,
      link: 'https://board.example/mijn-partij',
    });
    expect(mail.text).toContain('Eerste doel: Gedeeltelijk → Toegezegd (ook gewijzigd: toelichting)');
    expect(mail.text).toContain('Anna heeft de toezegging van Partij <B> & Co gewijzigd');
    expect(mail.html).toContain('Partij &lt;B&gt; &amp; Co');
    const reminder = reminderMail('en', {
      campaignName: 'C',
      partyName: 'P',
      deadline: new Date('2026-12-15T16:00:00Z'),
      answered: 0,
      total: 4,
      link: 'https://b.example/en/my-party',
    });
    expect(reminder.subject).toBe('Reminder: P has answered 0 of 4 goals (deadline 15 December 2026 at 17:00)');
  });
});
