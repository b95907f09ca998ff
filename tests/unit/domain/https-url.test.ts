import { describe, expect, it } from 'vitest';
import { optionalHttpsUrl } from '../../../src/domain/https-url.ts';
import { partyFormSchema } from '../../../src/domain/parties.ts';
import { pledgeInputSchema } from '../../../src/domain/pledges.ts';

/** The database's own check on evidence links (src/db/schema.ts, pledges_evidence_https). */
const databaseAccepts = (url: string | null) => url === null || url.startsWith('https://');

describe('an https link, the one rule for evidence links and party websites', () => {
  const schema = optionalHttpsUrl('evidenceUrl.invalid');

  it.each([['https://example.org/programma.pdf'], ['https://example.org/a?b=c#d'], ['https://xn--bcher-kva.example/']])('accepts %s as it is', (url) => {
    expect(schema.parse(url)).toBe(url);
  });

  it('writes the scheme in lower case, as the database expects', () => {
    expect(schema.parse('HTTPS://example.org/Programma')).toBe('https://example.org/Programma');
    expect(schema.parse('Https://example.org/')).toBe('https://example.org/');
  });

  it('upgrades http:// to https:// rather than refusing it', () => {
    expect(schema.parse('http://example.org/programma.pdf')).toBe('https://example.org/programma.pdf');
    expect(schema.parse('  HTTP://example.org/')).toBe('https://example.org/');
    expect(schema.safeParse('http://exa mple.org/').success).toBe(false);
  });

  it('treats an empty field as no link', () => {
    expect(schema.parse('')).toBeNull();
    expect(schema.parse(undefined)).toBeNull();
  });

  it.each([
    ['https:evil.example'],
    ['https:/evil.example'],
    ['https:\\\\evil.example'],
    ['https://\\evil.example'],
    ['https://example.org/a\\b'],
    ['https://exa\tmple.org/'],
    ['https://example.org/a\nb'],
    ['https://example.org/a b'],
    ['https://example.org/\u202Egnp.exe'],
    ['http:/example.org/'],
    ['http:example.org'],
    ['javascript:alert(1)'],
    ['https://'],
    ['https://localhost/x'],
  ])('refuses %s', (url) => {
    expect(schema.safeParse(url).success).toBe(false);
  });

  it.each([['https:evil.example'], ['HTTPS://example.org/'], ['https:/evil.example'], ['https:\\\\evil.example'], ['https://example.org/x']])(
    'never passes %s on in a form the database refuses',
    (url) => {
      const result = pledgeInputSchema.safeParse({ stance: 'committed', statement: '', evidenceUrl: url });
      if (result.success) expect(databaseAccepts(result.data.evidenceUrl)).toBe(true);
    },
  );

  it('is the rule of the party website too', () => {
    const party = { slug: 'p', name: 'P', abbreviation: 'P', seats: '1' };
    expect(partyFormSchema.safeParse({ ...party, website: 'https:evil.example' }).success).toBe(false);
    expect(partyFormSchema.parse({ ...party, website: 'HTTPS://p.example/' }).website).toBe('https://p.example/');
  });
});
