/**
 * What a new password must be: judged as zxcvbn does (common, English and Dutch words, and the
 * words of this site and of the person), not only against one list of common passwords.
 */
import { describe, expect, it } from 'vitest';
import { passwordProblem } from '../../../src/domain/password-rules.ts';
import { translateMessage } from '../../../src/i18n/ui.ts';

const about = { email: 'fictief@partij-a.example', name: 'Fien Fictief' };

describe('a new password', () => {
  it.each(['aaaaaaaaaa', 'wachtwoord1', 'wachtwoord123', 'Welkom2026!', 'pledgeboard', 'zomer2026!!'])('refuses "%s" as too easy to guess', (password) => {
    expect(passwordProblem(password, about)).toMatch(/^password\.weak/);
  });

  it('accepts a passphrase of ordinary words', () => {
    expect(passwordProblem('kaasschaaf regenjas tulpenbol fietspomp', about)).toBeNull();
  });

  it('refuses the person\'s own name and address, and the campaign\'s name', () => {
    expect(passwordProblem('Fien Fictief 2026', about)).toMatch(/^password\.weak/);
    expect(passwordProblem('fictief@partij-a.example', about)).not.toBeNull();
    expect(passwordProblem('Pledgeboard Kinderrechten', { ...about, siteWords: ['Kinderrechten'] })).toMatch(/^password\.weak/);
  });

  it('explains why in the reader\'s language, with zxcvbn\'s own hints', () => {
    const problem = passwordProblem('aaaaaaaaaa', about)!;
    const dutch = translateMessage('nl', problem);
    const english = translateMessage('en', problem);
    expect(dutch).toContain('makkelijk te raden');
    expect(dutch).toContain('Herhalende letters');
    expect(english).toContain('easy to guess');
    expect(english).toMatch(/Repeated characters/i);
  });

  it('keeps the rules on length', () => {
    expect(passwordProblem('kort', about)).toBe('password.tooShort');
    expect(passwordProblem('x'.repeat(257), about)).toBe('password.tooLong');
  });
});
