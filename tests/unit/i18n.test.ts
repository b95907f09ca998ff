import { describe, expect, it } from 'vitest';
import { identityQuery, linkPath, matchPath, pathTo, readQuery, translateQuery } from '../../src/i18n/routes.ts';
import { formatCount, formatDate, formatNumber, messages, translator } from '../../src/i18n/ui.ts';

describe('dates and numbers per language', () => {
  const moment = new Date('2026-03-04T18:05:00Z'); // 19:05 in Amsterdam (winter time)

  it('writes dates the Dutch and the English way, in Dutch time', () => {
    expect(formatDate('nl', moment)).toBe('4 maart 2026');
    expect(formatDate('en', moment)).toBe('4 March 2026');
    expect(formatDate('nl', moment, true)).toBe('4 maart 2026 om 19:05');
    expect(formatDate('en', moment, true)).toBe('4 March 2026 at 19:05');
  });

  it('groups thousands per language', () => {
    expect(formatNumber('nl', 12345)).toBe('12.345');
    expect(formatNumber('en', 12345)).toBe('12,345');
  });

  it('counts seats in the singular for one, in both languages', () => {
    expect(formatCount('en', 'count.seats', 1)).toBe('1 seat');
    expect(formatCount('en', 'count.seats', 0)).toBe('0 seats');
    expect(formatCount('en', 'count.seats', 2)).toBe('2 seats');
    expect(formatCount('nl', 'count.seats', 1)).toBe('1 zetel');
    expect(formatCount('nl', 'count.seats', 0)).toBe('0 zetels');
    expect(formatCount('nl', 'count.seats', 150)).toBe('150 zetels');
  });

  it('fills in values in messages', () => {
    expect(translator('en')('board.showing', { shown: '2', total: '6' })).toBe('Showing 2 of 6 parties.');
  });
});

describe('every UI string in both languages', () => {
  const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

  it('has the same keys in Dutch and English, none empty, with the same placeholders', () => {
    expect(Object.keys(messages.en).sort()).toEqual(Object.keys(messages.nl).sort());
    for (const [key, dutch] of Object.entries(messages.nl)) {
      const english = messages.en[key as keyof typeof messages.en];
      expect(dutch.trim(), key).not.toBe('');
      expect(english.trim(), key).not.toBe('');
      expect(placeholders(english), key).toEqual(placeholders(dutch));
    }
  });

  it('has no Dutch sentence left untranslated in English', () => {
    const sameInBoth = new Set<string>(); // keys whose text is Dutch as well as English
    const untranslated = Object.entries(messages.nl)
      .filter(([key, dutch]) => dutch.split(' ').length > 2 && messages.en[key as keyof typeof messages.en] === dutch && !sameInBoth.has(key))
      .map(([key]) => key);
    expect(untranslated).toEqual([]);
  });
});

describe('addresses in both languages', () => {
  it('finds the page and its parameters from either address', () => {
    expect(matchPath('/en/goals/financiering')).toEqual({ name: 'goal', locale: 'en', params: { slug: 'financiering' }, campaign: null });
    expect(matchPath('/doelen/financiering/')).toEqual({ name: 'goal', locale: 'nl', params: { slug: 'financiering' }, campaign: null });
    expect(matchPath('/en')).toEqual({ name: 'scoreboard', locale: 'en', params: {}, campaign: null });
    expect(matchPath('/nergens')).toBeNull();
    // A campaign's own address names the campaign; only its public pages live there.
    expect(matchPath('/campagnes/tweede-kamer-2025/doelen/financiering')).toEqual({
      name: 'goal',
      locale: 'nl',
      params: { slug: 'financiering' },
      campaign: 'tweede-kamer-2025',
    });
    expect(matchPath('/en/campaigns/tweede-kamer-2025/goals/financiering')).toEqual({
      name: 'goal',
      locale: 'en',
      params: { slug: 'financiering' },
      campaign: 'tweede-kamer-2025',
    });
    expect(matchPath('/campagnes/tweede-kamer-2025')).toEqual({ name: 'scoreboard', locale: 'nl', params: {}, campaign: 'tweede-kamer-2025' });
    // A campaign's own Beheer lives under its address; the site-wide pages do not.
    expect(matchPath('/campagnes/tweede-kamer-2025/beheer')).toMatchObject({ name: 'admin', campaign: 'tweede-kamer-2025' });
    expect(matchPath('/campagnes/tweede-kamer-2025/beheer/accounts')).toBeNull();
  });

  it('builds the same page in the other language', () => {
    expect(pathTo('compare', 'en')).toBe('/en/compare');
    expect(pathTo('adminParty', 'nl', { slug: 'gl-pvda' })).toBe('/beheer/partijen/gl-pvda');
  });

  it('sends a one-time link to its page in the default language', () => {
    const token = 'abcdefghijklmnopqrstuvwxyz234567';
    expect(linkPath('invite', token)).toBe(`/uitnodiging/${token}`);
    expect(linkPath('admin-setup', token)).toBe(`/uitnodiging/${token}`);
    expect(linkPath('password-reset', token)).toBe(`/wachtwoord-herstellen/${token}`);
  });

  it("writes a page's identity query in each language, a comma list kept readable", () => {
    expect(identityQuery({ parties: 'zeewind,kompas' }, 'nl')).toBe('?partijen=zeewind,kompas');
    expect(identityQuery({ parties: 'zeewind,kompas' }, 'en')).toBe('?parties=zeewind,kompas');
    expect(identityQuery({ parties: '' }, 'nl')).toBe('');
    expect(identityQuery({}, 'en')).toBe('');
  });

  it('translates query words for the language switch, dropping what is not part of the page', () => {
    const dutch = new URLSearchParams('sorteer=toezeggingen&standpunt=niet-toegezegd&doel=financiering&_action=x');
    expect(translateQuery(dutch, 'nl', 'en').toString()).toBe('sort=commitments&stance=declined&goal=financiering');
    expect(readQuery(new URLSearchParams('stance=none'), 'stance', 'en')).toBe('none');
    expect(readQuery(new URLSearchParams('stance=geen-reactie'), 'stance', 'en')).toBeNull();
  });
});
