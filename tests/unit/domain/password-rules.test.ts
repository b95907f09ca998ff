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

  it("refuses the person's own name and address, and the campaign's name", () => {
    expect(passwordProblem('Fien Fictief 2026', about)).toMatch(/^password\.weak/);
    expect(passwordProblem('fictief@partij-a.example', about)).not.toBeNull();
    expect(passwordProblem('Pledgeboard Kinderrechten', { ...about, siteWords: ['Kinderrechten'] })).toMatch(/^password\.weak/);
  });

  it("refuses the organiser's name however it is run together, with a year or without", () => {
    const campaign = { ...about, siteWords: ['Terre des Hommes', 'Houd kinderen veilig – óók online'] };
    for (const password of ['Terre des Hommes 2026', 'terredeshommes2026', 'TerreDesHommes!', 'houdkinderenveilig2026']) {
      expect(passwordProblem(password, campaign), password).toMatch(/^password\.weak/);
    }
  });

  it('judges only the first 32 characters, so a long password costs no more to judge than a short one', () => {
    // A guessable start is not made strong by what follows it…
    const tail = Array.from({ length: 200 }, (_, i) => String.fromCharCode(33 + ((i * 11) % 90))).join('');
    expect(passwordProblem(`${'a'.repeat(32)}${tail}`, about)).toMatch(/^password\.weak/);
    // …and a strong start is enough, however long the rest.
    expect(passwordProblem(`kaasschaaf regenjas tulpenbol ${'x'.repeat(200)}`, about)).toBeNull();
  });

  it("explains why in the reader's language, with zxcvbn's own hints", () => {
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
