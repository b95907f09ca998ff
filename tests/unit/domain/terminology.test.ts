import { describe, expect, it } from 'vitest';
import { usesOutdatedTerm } from '../../../src/domain/terminology.ts';

describe('the outdated-term warning', () => {
  it.each([
    'Wij bestrijden kinderporno.',
    'KINDERPORNO',
    'de aanpak van kinder-porno',
    'kinder porno op servers',
    'kinderpornografie en grooming',
    'kinderpornografisch materiaal',
    'child pornography online',
    'child porn',
  ])('warns for %j', (text) => {
    expect(usesOutdatedTerm(text)).toBe(true);
  });

  it.each([
    'seksueel kindermisbruikmateriaal (CSAM)',
    'Wij nemen de doelstelling over.',
    'kinderen en pornografie-filters', // "kinderen" is not "kinder-porno"
    '',
  ])('does not warn for %j', (text) => {
    expect(usesOutdatedTerm(text)).toBe(false);
  });
});
