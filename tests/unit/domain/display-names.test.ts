/**
 * A person's public name may not pose as the campaign or the site: the site itself shows who
 * speaks for the campaign (PledgeHistory's role marker), never a name.
 */
import { describe, expect, it } from 'vitest';
import { displayNameSchema } from '../../../src/domain/users.ts';

const problem = (name: string) => {
  const result = displayNameSchema.safeParse(name);
  return result.success ? null : result.error.issues[0]!.message;
};

describe('a display name', () => {
  it.each([
    'Eva (campagneteam)',
    'Team Campagne',
    'The Campaign',
    'ADMIN Anna',
    'Bob – beheer',
    'Mo de Moderator',
    'Redactie',
    'Terre des Hommes NL',
    'terre  des   hommes',
    'Pledgeboard-team',
    'c.a.m.p.a.g.n.e',
    'ＣＡＭＰＡＧＮＥ',
    'Сampagneteam', // a Cyrillic С
    'Cаmpagne', // a Cyrillic а
    'Аdmin', // a Cyrillic А
    'Αdmin', // a Greek Alpha
    'Τerre des Ηommes', // Greek Tau and Eta
    'Adm1n',
    'M0derat0r',
    'a.d.m.i.n',
    'Team-Admin',
    'Adrnin',
    'AdmlN',
  ])('refuses "%s": it names the campaign or a role', (name) => {
    expect(problem(name)).toBe('name.reserved');
  });

  it.each([
    'Eva Een',
    'Tom Twee',
    'Fien de Vries-Bakker',
    'Özlem Yılmaz',
    'Ольга Петрова',
    'Νίκος Παπαδόπουλος',
    'Team 4 Zeewind',
    'Badminton Bas',
    'Femke Beheersma',
    'Eddy Editorial',
  ])('accepts "%s"', (name) => {
    expect(problem(name)).toBeNull();
  });
});
