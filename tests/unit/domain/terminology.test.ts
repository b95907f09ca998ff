import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { OUTDATED_TERM, usesOutdatedTerm } from '../../../src/domain/terminology.ts';

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

describe('the warning while typing (public/scripts/term-warning.js)', () => {
  it('uses the same pattern as the server', async () => {
    const script = await readFile(new URL('../../../public/scripts/term-warning.js', import.meta.url), 'utf8');
    const [, source, flags] = /const OUTDATED = \/(.+)\/(\w*);/.exec(script)!;
    expect(source).toBe(OUTDATED_TERM.source);
    expect(flags).toBe(OUTDATED_TERM.flags);
  });
});
