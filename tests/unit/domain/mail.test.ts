/**
 * The mail texts and the outbox's rules that need no database: every kind's text in both
 * languages escapes what it is given in its HTML part; header values with CR, LF or NUL are
 * refused; retries back off exponentially up to a ceiling.
 */
import { describe, expect, it } from 'vitest';
import { composeMail, inviteMail } from '../../../src/domain/mail-texts.ts';
import { isSafeHeaderValue, MAIL_KINDS, retryDelayMs, type MailKind } from '../../../src/domain/outbox.ts';

const ODD = 'Partij <script>alert(1)</script> & "Co" \'s';
const EXPIRES = new Date('2026-12-09T13:30:00Z');

describe('mail texts', () => {
  it.each(['nl', 'en'] as const)('the invitation in %s: the same words in text and HTML, everything escaped in HTML', (locale) => {
    const mail = inviteMail(locale, {
      campaignName: 'Campagne & co',
      partyName: ODD,
      link: 'https://board.example/uitnodiging/abc?x=1&y=2',
      expiresAt: EXPIRES,
    });
    expect(mail.subject).toContain(ODD);
    expect(mail.text).toContain(ODD);
    expect(mail.text).toContain('https://board.example/uitnodiging/abc?x=1&y=2');
    expect(mail.text).toContain(locale === 'nl' ? '9 december 2026 om 14:30' : '9 December 2026 at 14:30');
    expect(mail.text.endsWith('— Campagne & co\n')).toBe(true);
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('Partij &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot; &#39;s');
    expect(mail.html).toContain('href="https://board.example/uitnodiging/abc?x=1&amp;y=2"');
    expect(mail.html).toContain(`<html lang="${locale}">`);
    expect(mail.html).toContain('— Campagne &amp; co');
  });

  it('puts only web links in a button', () => {
    for (const url of ['javascript:alert(1)', 'data:text/html,x', 'https://board.example/a b']) {
      expect(() => composeMail('nl', { subject: 'x', campaignName: 'c', blocks: [{ action: { label: 'Klik', url } }] })).toThrow(/http\(s\) URL/);
    }
  });
});

describe('the outbox rules', () => {
  it('refuses CR, LF and NUL in a header value', () => {
    expect(isSafeHeaderValue('Uitnodiging: vertegenwoordig Partij – óók')).toBe(true);
    for (const bad of ['a\rb', 'a\nb', 'a\r\nBcc: x@y.example', 'a\u0000b']) expect(isSafeHeaderValue(bad)).toBe(false);
  });

  it('backs off exponentially, up to the ceiling', () => {
    const policy = { maxAttempts: 8, firstRetryMs: 60_000, maxRetryMs: 6 * 3_600_000 };
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, policy))).toEqual([60_000, 120_000, 240_000, 480_000]);
    expect(retryDelayMs(20, policy)).toBe(6 * 3_600_000);
  });

  it('knows the kinds other features will send', () => {
    const kinds: MailKind[] = ['invite', 'candidate-invite', 'password-reset', 'reminder', 'pledge-changed'];
    expect([...MAIL_KINDS]).toEqual(kinds);
  });
});
