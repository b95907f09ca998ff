/**
 * The audit log's words (src/i18n/audit.ts): every action the log records has its sentence in
 * both languages, led by who did it, and an entry the templates do not know still reads.
 */
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, type AuditLogEntry } from '../../src/domain/audit.ts';
import { auditActionLabel, auditSentence } from '../../src/i18n/audit.ts';
import { messages } from '../../src/i18n/ui.ts';

const entry = (overrides: Partial<AuditLogEntry>): AuditLogEntry => ({
  id: 1,
  at: new Date('2026-12-02T13:03:00Z'),
  action: 'pledging.closed',
  actor: { userId: 7, label: 'anna@campagne.example', name: 'Anna de Vries', role: 'admin' },
  subject: null,
  party: null,
  goalSlug: null,
  ip: null,
  details: {},
  ...overrides,
});

describe('the audit log in words', () => {
  it('has one sentence per action in both languages, each starting with who did it', () => {
    for (const locale of ['nl', 'en'] as const) {
      for (const action of AUDIT_ACTIONS) {
        const template = (messages[locale] as Record<string, string>)[`audit.${action}`];
        expect(template, `${locale} ${action}`).toMatch(/^\{actor\} /);
        expect(auditActionLabel(locale, action), `${locale} ${action}`).not.toMatch(/[{}]/);
      }
    }
  });

  it('names the party and the goal by number, and the moderation reason', () => {
    const hidden = entry({
      action: 'statement.hidden',
      party: { slug: 'zeewind', name: 'Zeewind' },
      goalSlug: 'tweede',
      details: { reason: 'Bevat een telefoonnummer', version: 3 },
    });
    expect(auditSentence('nl', hidden, () => 2)).toBe(
      'Anna de Vries (beheerder) verborg de toelichting van Zeewind bij doel 2 (reden: Bevat een telefoonnummer)',
    );
    expect(auditSentence('en', hidden, () => 2)).toBe('Anna de Vries (admin) hid the statement of Zeewind on goal 2 (reason: Bevat een telefoonnummer)');
    // A goal no longer in the campaign keeps its slug; a removed party its slug.
    const corrected = entry({ action: 'pledge.corrected', party: { slug: 'weg', name: null }, goalSlug: 'oud-doel' });
    expect(auditSentence('nl', corrected, () => undefined)).toBe('Anna de Vries (beheerder) corrigeerde het standpunt van weg voor oud-doel');
    // A correction that gives its reason (every one since reasons are recorded) says it.
    const withReason = entry({
      action: 'pledge.corrected',
      party: { slug: 'zeewind', name: 'Zeewind' },
      goalSlug: 'tweede',
      details: { version: 2, reason: 'Verkeerde pagina' },
    });
    expect(auditSentence('nl', withReason, () => 2)).toBe(
      'Anna de Vries (beheerder) corrigeerde het standpunt van Zeewind voor doel 2 (reden: Verkeerde pagina)',
    );
    expect(auditSentence('en', withReason, () => 2)).toBe('Anna de Vries (admin) corrected the stance of Zeewind on goal 2 (reason: Verkeerde pagina)');
    expect(auditActionLabel('nl', 'pledge.corrected')).toBe('corrigeerde het standpunt van … voor …');
  });

  it('names the command line, the system and someone not signed in; an unknown action still reads', () => {
    const cli = entry({
      action: 'invite.created',
      actor: { userId: null, label: 'cli', name: null, role: null },
      subject: 'a@b.example',
      party: { slug: 'zeewind', name: 'Zeewind' },
    });
    expect(auditSentence('nl', cli, () => undefined)).toBe('De opdrachtregel nodigde a@b.example uit voor Zeewind');
    const anonymous = entry({ action: 'login.failed', actor: { userId: null, label: 'anonymous', name: null, role: null }, subject: 'a@b.example' });
    expect(auditSentence('en', anonymous, () => undefined)).toBe('Someone not signed in tried to sign in as a@b.example, without success');
    expect(auditSentence('en', entry({ action: 'something.new' }), () => undefined)).toBe('Anna de Vries (admin): something.new');
  });
});
